import type { EntityManager } from 'typeorm';
import type { OfficeScope } from '../../auth/caller';
import { dialectOf, query } from '../../db/sql';
import type { CheckedSearch } from '../domain/meeting-search';
import {
  type FreeTextForm,
  type FreeTextPlan,
  type WordFrequency,
  freeTextCondition,
  freeTextPlan,
  isIndexableWord,
} from './meeting-search-index';
import { readOffices } from './meeting-search-sql';
import { orderedMatches, runCode } from './meeting-sort-runs';

/**
 * How a page of a free-text search finds its words. A common word is walked (freeTextPlan), which
 * assumes its meetings are spread evenly through the sort's order. Under other filters (an office,
 * say) they may not be: an office whose meetings never have the word would be walked to its end.
 * So the walk's first rows are tried: with too few matches among them, the word's rows are found
 * once instead (`set`) and the filters' index, walked in order, is tested against them. Over two
 * offices or more there is no walk in order (the office index is read and sorted): `set` at once.
 */
export async function pageFreeText(
  manager: EntityManager,
  search: CheckedSearch,
  scope: OfficeScope,
  limit: number,
): Promise<{ form: FreeTextForm; frequency: WordFrequency }> {
  const frequency = await freeTextPlan(manager, search.words, limit);
  const form = await formOf(manager, search, scope, limit, frequency.plan);
  return { form, frequency };
}

async function formOf(
  manager: EntityManager,
  search: CheckedSearch,
  scope: OfficeScope,
  limit: number,
  plan: FreeTextPlan,
): Promise<FreeTextForm> {
  if (plan !== 'walk' || !filtered(search, scope)) return plan;
  // Two offices or more are read from the office index and sorted, each row's text tested before
  // the sort: no walk stops early there, and finding the word's rows in the index once costs less.
  // Runs (a code then visit time) are split by office and walk in order: they are tried below, as
  // one office is (the set would be found again in each run).
  const offices = readOffices(search, scope);
  if (offices && offices.length > 1 && !runCode(search) && search.words.some(isIndexableWord))
    return 'set';
  const dialect = dialectOf(manager);
  const tried = Math.min(TRIED_ROWS * limit, MAX_TRIED);
  const walked = orderedMatches(
    { ...search, words: [] },
    scope,
    dialect,
    { position: null, forward: true, reach: tried },
    { columns: ['m.search_key'] },
  );
  const params = [...walked.params];
  const bind = (value: unknown) => (params.push(value), '?');
  const found = freeTextCondition(search.words, dialect, bind, 'walk');
  const [{ matches }] = await query<{ matches: number }>(
    manager,
    `SELECT count(*) AS matches FROM (${walked.sql} LIMIT ${tried}) m WHERE ${found}`,
    params,
  );
  // At least one match in MIN_SHARE of the rows tried: the walk ends within tried / share rows.
  return Number(matches) * MIN_SHARE >= tried ? 'walk' : 'set';
}

const TRIED_ROWS = 4;
const MAX_TRIED = 2000;
const MIN_SHARE = 32;

function filtered(search: CheckedSearch, scope: OfficeScope): boolean {
  return (
    scope !== null ||
    Object.values(search.filter).some(
      (v) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0),
    )
  );
}
