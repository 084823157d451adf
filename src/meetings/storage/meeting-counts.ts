import type { EntityManager } from 'typeorm';
import type { OfficeScope } from '../../auth/caller';
import { type SqlFragment, dialectOf, query, scopeClause } from '../../db/sql';
import { type CheckedSearch, SEARCH_LIMITS } from '../domain/meeting-search';
import { type WordFrequency, countFreeText, freeTextPlan, planAt } from './meeting-search-index';
import { searchWhere } from './meeting-search-sql';

/**
 * The number of all matches of a search, each kind by its fastest exact way (`words`: how common
 * the page of the same search found its words, if it was read; where that tells the plan at the
 * count's size, no lookup of its own):
 * - filters on office, status, type and source alone (and the caller's offices): the sum of
 *   meeting_tally's rows, which triggers keep in every write's transaction;
 * - free text alone: the trigram index's rows (one per live meeting), no meeting row read;
 * - free text with other filters: as the word's frequency says (see freeTextPlan);
 * - anything else: count(*) over the best index of the filters.
 */
export async function countMeetings(
  manager: EntityManager,
  search: CheckedSearch,
  scope: OfficeScope,
  words?: WordFrequency,
): Promise<number> {
  const dialect = dialectOf(manager);
  const tally = tallyWhere(search, scope);
  if (tally) {
    const [{ total }] = await query<{ total: number | null }>(
      manager,
      `SELECT sum(t.live_count) AS total FROM meeting_tally t${tally.sql ? ` WHERE ${tally.sql}` : ''}`,
      tally.params,
    );
    return Number(total ?? 0);
  }
  if (scope === null && onlyWords(search)) return countFreeText(manager, search.words);
  // A common word under other filters: its rows are found once and the filters' index tested
  // against them; a rare word's few rows lead.
  const plan =
    (words && planAt(words, SEARCH_LIMITS.defaultSize)) ??
    (await freeTextPlan(manager, search.words, SEARCH_LIMITS.defaultSize)).plan;
  const where = searchWhere(search, scope, dialect, plan === 'walk' ? 'set' : 'index');
  const [{ total }] = await query<{ total: number }>(
    manager,
    `SELECT count(*) AS total FROM meeting m WHERE ${where.sql}`,
    where.params,
  );
  return Number(total);
}

/**
 * The condition on meeting_tally of a search that filters on office, status, type and source
 * alone; null for any other search.
 */
export function tallyWhere(search: CheckedSearch, scope: OfficeScope): SqlFragment | null {
  const f = search.filter;
  const given = (v: readonly unknown[] | null | undefined) => !!v && v.length > 0;
  if (
    search.words.length > 0 ||
    given(f.partyId) ||
    given(f.agentId) ||
    f.visitTimeBefore ||
    f.visitTimeAfter ||
    f.modifiedAfter
  ) {
    return null;
  }
  const params: unknown[] = [];
  const bind = (value: unknown) => (params.push(value), '?');
  const clauses = scopeClause('t.agency_office_id', scope, bind);
  const anyOf = (column: string, values: readonly string[] | null | undefined): void => {
    if (values && values.length > 0) clauses.push(`${column} IN (${values.map(bind).join(', ')})`);
  };
  anyOf('t.agency_office_id', f.agencyOfficeId);
  anyOf('t.status_code', f.statusCode);
  anyOf('t.type_code', f.typeCode);
  anyOf('t.source_type_code', f.sourceTypeCode);
  return { sql: clauses.join(' AND '), params };
}

function onlyWords(search: CheckedSearch): boolean {
  return (
    search.words.length > 0 &&
    Object.values(search.filter).every(
      (v) => v === null || v === undefined || (Array.isArray(v) && v.length === 0),
    )
  );
}
