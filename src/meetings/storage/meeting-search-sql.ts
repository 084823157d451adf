import type { OfficeScope } from '../../auth/caller';
import { type Dialect, type SqlFragment, scopeClause } from '../../db/sql';
import { MeetingSortField, SortDirection } from '../domain/meeting-codes';
import type { CheckedSearch } from '../domain/meeting-search';
import { type FreeTextForm, freeTextCondition } from './meeting-search-index';

/** The SQL of a checked search over `meeting m`: its WHERE clause, sort keys and keyset bounds. */

const SORT_COLUMNS: Record<MeetingSortField, string> = {
  [MeetingSortField.VISIT_TIME]: 'm.visit_time',
  [MeetingSortField.CREATION_TIME]: 'm.creation_time',
  [MeetingSortField.MODIFICATION_TIME]: 'm.modification_time',
  [MeetingSortField.STATUS_CODE]: 'm.status_code',
  [MeetingSortField.TYPE_CODE]: 'm.type_code',
  [MeetingSortField.SOURCE_TYPE_CODE]: 'm.source_type_code',
};

/**
 * The WHERE clause of a checked search over `meeting m`: live meetings of the caller's offices
 * only, every filter ANDed,
 * list filters matching any value, and each free-text word found in the meeting's own text or in
 * the directory text of one of its parties or agents.
 */
export function searchWhere(
  search: CheckedSearch,
  scope: OfficeScope,
  dialect: Dialect = 'sqlite',
  freeText: FreeTextForm = 'index',
): SqlFragment {
  const clauses = ['m.deleted_time IS NULL'];
  const params: unknown[] = [];
  const bind = (value: unknown): string => {
    params.push(value);
    return '?';
  };
  const anyOf = (column: string, values: readonly string[] | null | undefined): void => {
    if (values && values.length > 0) clauses.push(`${column} IN (${values.map(bind).join(', ')})`);
  };
  const f = search.filter;
  clauses.push(...scopeClause('m.agency_office_id', scope, bind));
  anyOf('m.source_type_code', f.sourceTypeCode);
  anyOf('m.status_code', f.statusCode);
  anyOf('m.type_code', f.typeCode);
  anyOf('m.agency_office_id', f.agencyOfficeId);
  if (f.partyId && f.partyId.length > 0) {
    clauses.push(
      `EXISTS (SELECT 1 FROM meeting_party mp WHERE mp.meeting_id = m.meeting_id AND mp.party_id IN (${f.partyId.map(bind).join(', ')}))`,
    );
  }
  if (f.agentId && f.agentId.length > 0) {
    clauses.push(
      `EXISTS (SELECT 1 FROM meeting_agent ma WHERE ma.meeting_id = m.meeting_id AND ma.agent_id IN (${f.agentId.map(bind).join(', ')}))`,
    );
  }
  if (f.visitTimeBefore) clauses.push(`m.visit_time < ${bind(f.visitTimeBefore.toISOString())}`);
  if (f.visitTimeAfter) clauses.push(`m.visit_time > ${bind(f.visitTimeAfter.toISOString())}`);
  if (f.modifiedAfter) clauses.push(`m.modification_time > ${bind(f.modifiedAfter.toISOString())}`);
  if (search.words.length > 0)
    clauses.push(freeTextCondition(search.words, dialect, bind, freeText));
  return { sql: clauses.join(' AND '), params };
}

/**
 * The offices a search reads, when they are listed (its filter's, else the caller's): each once,
 * none outside the caller's. Null when it reads every office.
 */
export function readOffices(search: CheckedSearch, scope: OfficeScope): string[] | null {
  const listed = search.filter.agencyOfficeId;
  if (!listed || listed.length === 0) return scope && [...new Set(scope)];
  return [...new Set(listed)].filter((o) => scope === null || scope.includes(o));
}

/** A column of the sort key, with its direction. */
export interface SortKey {
  column: string;
  direction: SortDirection;
}

/**
 * The sort key of a checked search: its sort, then meetingId in the direction of the last key.
 * Each key's index holds (key, meeting_id) ascending; read forwards or backwards, it serves the
 * whole order without a sort, which meetingId ascending after a descending key would need.
 */
export function sortKeys(search: CheckedSearch): SortKey[] {
  const keys = search.sort.map((s) => ({ column: SORT_COLUMNS[s.field], direction: s.direction }));
  return [...keys, { column: 'm.meeting_id', direction: keys[keys.length - 1].direction }];
}

/**
 * The rows strictly after (`forward`) or before a key in sort order, for keyset pagination: with
 * mixed directions, (k1 > v1) OR (k1 = v1 AND k2 < v2) OR ... as each key's direction says, under
 * a leading bound k1 >= v1 (or <=) that lets the first key's index seek to the position instead
 * of reading from its start.
 */
export function keysetClause(
  keys: readonly SortKey[],
  values: readonly string[],
  forward: boolean,
  bind: (value: unknown) => string,
): string {
  const op = (key: SortKey) => ((key.direction === SortDirection.ASC) === forward ? '>' : '<');
  const lead = `${keys[0].column} ${op(keys[0])}= ${bind(values[0])}`;
  const alternatives = keys.map((key, i) => {
    const equal = keys.slice(0, i).map((k, j) => `${k.column} = ${bind(values[j])}`);
    return `(${[...equal, `${key.column} ${op(key)} ${bind(values[i])}`].join(' AND ')})`;
  });
  return `${lead} AND (${alternatives.join(' OR ')})`;
}

/** ORDER BY of sort keys, or of their reverse (to walk backwards from a cursor). */
export function orderByKeys(keys: readonly SortKey[], reversed: boolean): string {
  const flip = (d: SortDirection) =>
    d === SortDirection.ASC ? SortDirection.DESC : SortDirection.ASC;
  return keys.map((k) => `${k.column} ${reversed ? flip(k.direction) : k.direction}`).join(', ');
}

/** The ORDER BY of a checked search, with meetingId last as the unique tie-breaker. */
export function searchOrderBy(search: CheckedSearch): string {
  return orderByKeys(sortKeys(search), false);
}
