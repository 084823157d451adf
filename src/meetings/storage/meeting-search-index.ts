import type { EntityManager } from 'typeorm';
import { type Dialect, dialectOf, query } from '../../db/sql';

/**
 * The free-text index of meetings: one row per live meeting, keyed by meeting.search_key, holding
 * the meeting's own searchable text and that of its parties and agents, lower-cased. Trigrams find
 * a word anywhere inside a word, as the search requires:
 * - SQLite: an FTS5 table with the trigram tokenizer (its rowid is the key);
 * - PostgreSQL: a table with a pg_trgm GIN index, which serves `LIKE '%word%'`.
 * Every write that changes searchable text refreshes the rows it touches in the same transaction.
 */

// Bounds the IN (...) list of one statement.
const CHUNK = 500;

/** The index's key column: FTS5's rowid on SQLite. */
export function ftsKey(dialect: Dialect): string {
  return dialect === 'postgres' ? 'search_key' : 'rowid';
}

/** The whole searchable text of meeting `m`, one field a line; doorCode is never part of it. */
export function meetingDocumentSql(dialect: Dialect): string {
  const [newline, lines] =
    dialect === 'postgres'
      ? ['chr(10)', (e: string) => `string_agg(${e}, chr(10))`]
      : ['char(10)', (e: string) => `group_concat(${e}, char(10))`];
  return `m.search_text
  || ${newline} || coalesce((SELECT ${lines('p.search_text')} FROM meeting_party mp
       JOIN party p ON p.party_id = mp.party_id WHERE mp.meeting_id = m.meeting_id), '')
  || ${newline} || coalesce((SELECT ${lines('a.search_text')} FROM meeting_agent ma
       JOIN agent a ON a.agent_id = ma.agent_id WHERE ma.meeting_id = m.meeting_id), '')`;
}

/**
 * How a search finds its words: through the trigram index (`index`: the matching rows first, then
 * sorted, for rare words), or by testing the text of each row an ordered walk of the sort's index
 * reaches (`walk`: stops after the page, for common words, where the index would hand over a
 * large part of the table to be sorted).
 */
export type FreeTextPlan = 'index' | 'walk';

/**
 * How the free-text condition is written: `index` and `walk` as the plans say; `set`, for common
 * words under other filters (their counts, and pages no walk serves), has the index's rows found
 * once and each row of the filters' index tested against them (SQLite's unary `+` keeps the
 * planner from driving the statement from the index's rows, one meeting lookup each).
 */
export type FreeTextForm = FreeTextPlan | 'set';

/**
 * The condition that every word is in the indexed text of meeting `m`. `index`: words of three
 * characters or more are looked up in the trigram index; shorter ones (no trigram) are looked for
 * in the text of the rows the index found, or, alone, of every row. `walk`: the row's own text is
 * read by its key and tested for every word.
 */
export function freeTextCondition(
  words: readonly string[],
  dialect: Dialect,
  bind: (value: unknown) => string,
  plan: FreeTextForm = 'index',
): string {
  if (plan === 'walk') {
    const found = words.map((w) =>
      dialect === 'postgres'
        ? `f.text LIKE ${bind(`%${escapeLike(w)}%`)}`
        : `instr(f.text, ${bind(w)}) > 0`,
    );
    return `EXISTS (SELECT 1 FROM meeting_fts f WHERE f.${ftsKey(dialect)} = m.search_key AND ${found.join(' AND ')})`;
  }
  const key = plan === 'set' ? '+m.search_key' : 'm.search_key';
  return `${key} IN (SELECT ${ftsKey(dialect)} FROM meeting_fts WHERE ${ftsCondition(words, dialect, bind)})`;
}

/** The condition on meeting_fts's own rows that their text has every word. */
function ftsCondition(
  words: readonly string[],
  dialect: Dialect,
  bind: (value: unknown) => string,
): string {
  if (dialect === 'postgres') {
    return words.map((w) => `text LIKE ${bind(`%${escapeLike(w)}%`)}`).join(' AND ');
  }
  const indexed = words.filter(isIndexableWord);
  return [
    ...(indexed.length > 0 ? [`meeting_fts MATCH ${bind(ftsQuery(indexed))}`] : []),
    ...words
      .filter((w) => !isIndexableWord(w))
      .map((w) => `instr(meeting_fts.text, ${bind(w)}) > 0`),
  ].join(' AND ');
}

/**
 * Picks the plan of a free-text search by how many meetings its words match, which the trigram
 * index tells cheaply up to a bound: fewer than the bound, the index's rows are few enough to
 * sort; more, a walk of the sort's index meets a match every (meetings / matches) rows and stops
 * after the page. The bound, sqrt(2 * meetings * page), is where the two cost about the same
 * (the index's rows grow with the matches, the walk's with their inverse). Words without a
 * trigram cannot be looked up: they are walked. PostgreSQL's planner weighs the same two plans
 * from its statistics (the semi-join either way), so it is left to choose.
 */
export async function freeTextPlan(
  manager: EntityManager,
  words: readonly string[],
  pageSize: number,
): Promise<WordFrequency> {
  const dialect = dialectOf(manager);
  if (words.length === 0 || dialect === 'postgres') return { plan: 'index' };
  if (!words.some(isIndexableWord)) return { plan: 'walk' };
  // One statement: the largest search key (the end of the index), and the count up to the bound
  // it gives (boundOf, in SQL).
  const largestKey = '(SELECT coalesce(max(search_key), 0) FROM meeting)';
  const limit = `max(1, CAST(round(sqrt(2 * ${largestKey} * ${Math.trunc(pageSize)})) AS INTEGER))`;
  const params: unknown[] = [];
  const bind = (value: unknown) => (params.push(value), '?');
  const [row] = await query<{ found: number; keys: number }>(
    manager,
    `SELECT count(*) AS found, ${largestKey} AS keys FROM (SELECT 1 FROM meeting_fts WHERE ${ftsCondition(words, dialect, bind)} LIMIT ${limit})`,
    params,
  );
  const keys = Number(row.keys);
  const counted = { found: Number(row.found), bound: boundOf(keys, pageSize), keys };
  return { plan: counted.found < counted.bound ? 'index' : 'walk', counted };
}

/** Where a word's index rows cost a page of `pageSize` as much as a walk: sqrt(2 x keys x size). */
function boundOf(keys: number, pageSize: number): number {
  return Math.max(1, Math.round(Math.sqrt(2 * keys * Math.trunc(pageSize))));
}

/**
 * A plan and what it was picked from: the matches counted up to the bound of its page size (all of
 * them when fewer), and the largest search key. None counted: the same plan at any size.
 */
export interface WordFrequency {
  plan: FreeTextPlan;
  counted?: { found: number; bound: number; keys: number };
}

/**
 * The plan `frequency` gives for pages of `pageSize` (freeTextPlan's rule), when it tells; null
 * when it counted too few matches to (a smaller bound than this size's, reached).
 */
export function planAt(frequency: WordFrequency, pageSize: number): FreeTextPlan | null {
  const { counted } = frequency;
  if (!counted) return frequency.plan;
  const bound = boundOf(counted.keys, pageSize);
  if (counted.found < counted.bound) return counted.found < bound ? 'index' : 'walk';
  return counted.bound >= bound ? 'walk' : null;
}

/**
 * The number of live meetings whose text has every word, from the index alone: it holds one row
 * per live meeting, so a search of free text and nothing else needs no meeting row.
 */
export async function countFreeText(
  manager: EntityManager,
  words: readonly string[],
): Promise<number> {
  const params: unknown[] = [];
  const bind = (value: unknown) => (params.push(value), '?');
  const [{ total }] = await query<{ total: number }>(
    manager,
    `SELECT count(*) AS total FROM meeting_fts WHERE ${ftsCondition(words, dialectOf(manager), bind)}`,
    params,
  );
  return Number(total);
}

/** A LIKE pattern's special characters taken literally (backslash is PostgreSQL's escape). */
export function escapeLike(word: string): string {
  return word.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Writes the index rows of these meetings anew (live ones only). The rows are removed first on
 * both databases: on PostgreSQL the removal waits for a concurrent writer of the same row, so the
 * text written next is read after that writer committed (an upsert alone would compute it before).
 */
export async function refreshSearchIndex(
  manager: EntityManager,
  meetingIds: readonly string[],
): Promise<void> {
  for (let i = 0; i < meetingIds.length; i += CHUNK) {
    const chunk = meetingIds.slice(i, i + CHUNK);
    const marks = chunk.map(() => '?').join(', ');
    await query(
      manager,
      `DELETE FROM meeting_fts WHERE ${ftsKey(dialectOf(manager))} IN (SELECT search_key FROM meeting WHERE meeting_id IN (${marks}))`,
      chunk,
    );
    await addToSearchIndex(manager, chunk);
  }
}

/** Writes the index rows of meetings that have none yet (new ones), at most CHUNK at a time. */
export async function addToSearchIndex(
  manager: EntityManager,
  meetingIds: readonly string[],
): Promise<void> {
  const dialect = dialectOf(manager);
  // PostgreSQL: a concurrent transaction (a directory rename and a meeting update of the same
  // meeting, say) may have written the row since this one removed it; the later text wins.
  const upsert =
    dialect === 'postgres' ? ' ON CONFLICT (search_key) DO UPDATE SET text = excluded.text' : '';
  await query(
    manager,
    `${indexLiveMeetings(dialect, `m.meeting_id IN (${meetingIds.map(() => '?').join(', ')})`)}${upsert}`,
    meetingIds,
  );
}

/** The statement that indexes the live meetings `m` of `where`, or all of them. */
function indexLiveMeetings(dialect: Dialect, where?: string): string {
  return `INSERT INTO meeting_fts (${ftsKey(dialect)}, text) SELECT m.search_key, ${meetingDocumentSql(dialect)}
     FROM meeting m WHERE ${where ? `${where} AND ` : ''}m.deleted_time IS NULL`;
}

/** The statement that indexes every live meeting, once, into an empty index (a bulk load). */
export function fillSearchIndexSql(dialect: Dialect): string {
  return indexLiveMeetings(dialect);
}

/** Refreshes the meetings that name any of these parties or agents (after a directory change). */
export async function refreshSearchIndexOfParticipants(
  manager: EntityManager,
  kind: 'party' | 'agent',
  ids: readonly string[],
): Promise<void> {
  if (ids.length === 0) return;
  const [table, column] =
    kind === 'party' ? ['meeting_party', 'party_id'] : ['meeting_agent', 'agent_id'];
  const meetingIds: string[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const rows = await query<{ meeting_id: string }>(
      manager,
      `SELECT DISTINCT meeting_id FROM ${table} WHERE ${column} IN (${chunk.map(() => '?').join(', ')})`,
      chunk,
    );
    meetingIds.push(...rows.map((r) => r.meeting_id));
  }
  await refreshSearchIndex(manager, [...new Set(meetingIds)]);
}

/** Removes a meeting from the index (it was deleted). */
export async function dropFromSearchIndex(
  manager: EntityManager,
  meetingId: string,
): Promise<void> {
  await query(
    manager,
    `DELETE FROM meeting_fts WHERE ${ftsKey(dialectOf(manager))} = (SELECT search_key FROM meeting WHERE meeting_id = ?)`,
    [meetingId],
  );
}

/** The FTS5 query (SQLite) of words a trigram index can look up: each quoted, all required. */
export function ftsQuery(words: readonly string[]): string {
  return words.map((w) => `"${w.replace(/"/g, '""')}"`).join(' AND ');
}

/** Trigrams index words of three characters or more; shorter ones are looked for in the text. */
export function isIndexableWord(word: string): boolean {
  return [...word].length >= 3;
}
