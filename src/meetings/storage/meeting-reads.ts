import type { EntityManager } from 'typeorm';
import type { OfficeScope } from '../../auth/caller';
import { type Dialect, type SqlFragment, dialectOf, query, scopeClause } from '../../db/sql';
import type { Row } from '../../db/table';
import type { CheckedSearch } from '../domain/meeting-search';
import type { Meeting, MeetingPresence, MeetingTombstone } from '../domain/meeting.model';
import { participantColumns, withParticipants } from './meeting-participants';
import type { FreeTextForm, WordFrequency } from './meeting-search-index';
import { pageFreeText } from './meeting-page-plan';
import { LISTED, WHOLE } from './meeting.record';
import { orderByKeys, searchOrderBy, sortKeys } from './meeting-search-sql';
import { orderedMatches } from './meeting-sort-runs';
import { meetingTable } from './meeting.table';

/**
 * The reads of the meeting tables, run with the manager of the caller's transaction: single
 * meetings, searches (offset and keyset pages, counts) and tombstones.
 */

const TOMBSTONE = meetingTable.pick('meetingId', 'agencyOfficeId', 'deletedTime');

/**
 * Loads one meeting with its doorCode: the single-meeting read. A meeting outside the scope is
 * unknown, deleted or not: an outsider learns nothing of it. A read for update locks the row first
 * and reads the parties and agents in a statement of its own: on PostgreSQL a statement that waited
 * for the lock sees the meeting row as the other writer committed it, but every other table as it
 * was when the statement began, so parties read with the lock could be those before that write.
 */
export async function findMeeting(
  manager: EntityManager,
  meetingId: string,
  scope: OfficeScope,
  options: { forUpdate?: boolean } = {},
): Promise<MeetingPresence> {
  const params: unknown[] = [meetingId];
  const bind = (value: unknown) => (params.push(value), '?');
  const scoped = scopeClause('m.agency_office_id', scope, bind)
    .map((c) => ` AND ${c}`)
    .join('');
  const dialect = dialectOf(manager);
  const { forUpdate } = options;
  const columns = forUpdate ? WHOLE.sql('m') : `${WHOLE.sql('m')}, ${participantColumns(dialect)}`;
  const rows = await query(
    manager,
    `SELECT ${columns} FROM meeting m WHERE m.meeting_id = ?${scoped}${forUpdate ? rowLock(dialect) : ''}`,
    params,
  );
  if (rows.length === 0) return { state: 'unknown' };
  const record = WHOLE.read(rows[0]);
  if (record.deletedTime !== null) return { state: 'deleted' };
  const [row] = forUpdate
    ? await query(
        manager,
        `SELECT ${participantColumns(dialect)} FROM meeting m WHERE m.meeting_id = ?`,
        [meetingId],
      )
    : rows;
  return { state: 'live', meeting: withParticipants(record, row) };
}

/**
 * Locks the meeting row until the transaction ends, so that a concurrent write of the same meeting
 * waits and then reads what this one committed. SQLite's writers are serialized already.
 */
function rowLock(dialect: Dialect): string {
  return dialect === 'postgres' ? ' FOR UPDATE' : '';
}

/** Live meetings of the scope among `ids`, with their parties and agents, in one statement. */
export async function findMeetings(
  manager: EntityManager,
  ids: readonly string[],
  scope: OfficeScope,
): Promise<Meeting[]> {
  if (ids.length === 0) return [];
  const params: unknown[] = [...ids];
  const bind = (value: unknown) => (params.push(value), '?');
  const scoped = scopeClause('m.agency_office_id', scope, bind)
    .map((c) => ` AND ${c}`)
    .join('');
  const rows = await query(
    manager,
    `SELECT ${LISTED.sql('m')}, ${participantColumns(dialectOf(manager))} FROM meeting m WHERE m.meeting_id IN (${ids.map(() => '?').join(', ')}) AND m.deleted_time IS NULL${scoped}`,
    params,
  );
  return listed(rows);
}

/** Meetings of rows read with the listed columns and participantColumns. */
const listed = (rows: Row[]): Meeting[] =>
  rows.map((row) => withParticipants(LISTED.read(row), row));

/**
 * The statement of one page of an offset search: the page's ids first, on the index alone (a deep
 * offset skips index entries, not rows), then the rows of those ids with their parties and agents.
 */
export function searchPageStatement(
  search: CheckedSearch,
  scope: OfficeScope,
  dialect: Dialect,
  freeText: FreeTextForm = 'index',
): SqlFragment {
  const ids = orderedMatches(
    search,
    scope,
    dialect,
    { position: null, forward: true, reach: search.startIndex + search.size },
    { freeText },
  );
  return {
    sql: `WITH page AS (${ids.sql} LIMIT ? OFFSET ?)
     SELECT ${LISTED.sql('m')}, ${participantColumns(dialect)} FROM page JOIN meeting m ON m.meeting_id = page.meeting_id ORDER BY ${searchOrderBy(search)}`,
    params: [...ids.params, search.size, search.startIndex],
  };
}

/**
 * One page of a search, and the number of all matches when the page tells it: a page that is not
 * full, and not empty past the start, ends the matches. Otherwise `total` is null and the count is
 * a statement of its own (countMeetings), run only when the caller asks for it.
 */
export async function searchMeetings(
  manager: EntityManager,
  search: CheckedSearch,
  scope: OfficeScope,
): Promise<{ meetings: Meeting[]; total: number | null; words: WordFrequency }> {
  const { form, frequency } = await pageFreeText(
    manager,
    search,
    scope,
    search.startIndex + search.size,
  );
  const page = searchPageStatement(search, scope, dialectOf(manager), form);
  const rows = await query(manager, page.sql, page.params);
  const total =
    rows.length === search.size || (rows.length === 0 && search.startIndex > 0)
      ? null
      : search.startIndex + rows.length;
  return {
    meetings: listed(rows),
    total,
    words: frequency,
  };
}

/** The statement of up to `limit` meeting ids after (forward) or before a keyset position. */
export function keysetPageStatement(
  search: CheckedSearch,
  scope: OfficeScope,
  dialect: Dialect,
  page: { position: readonly string[] | null; forward: boolean; limit: number },
  freeText: FreeTextForm = 'index',
): SqlFragment {
  const ids = orderedMatches(search, scope, dialect, { ...page, reach: page.limit }, { freeText });
  return {
    sql: `WITH page AS (${ids.sql} LIMIT ?)
     SELECT ${LISTED.sql('m')}, ${participantColumns(dialect)} FROM page JOIN meeting m ON m.meeting_id = page.meeting_id ORDER BY ${orderByKeys(sortKeys(search), !page.forward)}`,
    params: [...ids.params, page.limit],
  };
}

/**
 * Up to `limit` meetings after (forward) or before a keyset position, in sort order: the ids on
 * the sort key's index first (seeking to the position), then their rows; with how common the
 * page found its words (for the count of the same search: countMeetings).
 */
export async function keysetPage(
  manager: EntityManager,
  search: CheckedSearch,
  scope: OfficeScope,
  page: { position: readonly string[] | null; forward: boolean; limit: number },
): Promise<{ meetings: Meeting[]; words: WordFrequency }> {
  const { form, frequency } = await pageFreeText(manager, search, scope, page.limit);
  const statement = keysetPageStatement(search, scope, dialectOf(manager), page, form);
  const rows = await query(manager, statement.sql, statement.params);
  const meetings = listed(rows);
  return { meetings: page.forward ? meetings : meetings.reverse(), words: frequency };
}

/** Deleted meetings of the scope, oldest deletion first, for sync clients. */
export async function listTombstones(
  manager: EntityManager,
  scope: OfficeScope,
  deletedAfter: Date | null,
  startIndex: number,
  size: number,
): Promise<{ tombstones: MeetingTombstone[]; totalCount: number }> {
  const params: unknown[] = [];
  const bind = (value: unknown) => (params.push(value), '?');
  const clauses = ['deleted_time IS NOT NULL', ...scopeClause('agency_office_id', scope, bind)];
  if (deletedAfter) clauses.push(`deleted_time > ${bind(deletedAfter.toISOString())}`);
  const where = clauses.join(' AND ');
  const rows = await query(
    manager,
    `SELECT ${TOMBSTONE.sql()} FROM meeting WHERE ${where}
     ORDER BY deleted_time ASC, meeting_id ASC LIMIT ? OFFSET ?`,
    [...params, size, startIndex],
  );
  const [{ total }]: { total: number }[] = await query(
    manager,
    `SELECT count(*) AS total FROM meeting WHERE ${where}`,
    params,
  );
  return {
    tombstones: rows.map((row) => {
      const { meetingId, agencyOfficeId, deletedTime } = TOMBSTONE.read(row);
      return { meetingId, agencyOfficeId, deletionTime: deletedTime as Date };
    }),
    totalCount: Number(total),
  };
}
