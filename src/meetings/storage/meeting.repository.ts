import type { EntityManager } from 'typeorm';
import type { MeetingTypeCode, SourceTypeCode, StatusCode } from '../domain/meeting-codes';
import type { PartyTypeCode } from '../../directory/domain/directory.model';
import type { OfficeScope } from '../../auth/caller';
import type { CheckedSearch } from '../domain/meeting-search';
import {
  keysetClause,
  orderByKeys,
  searchOrderBy,
  searchWhere,
  sortKeys,
} from './meeting-search-sql';
import { type Dialect, type SqlFragment, dialectOf, query, scopeClause } from '../../db/sql';
import { addToSearchIndex, dropFromSearchIndex, refreshSearchIndex } from './meeting-search-index';
import type {
  Meeting,
  MeetingAgentRef,
  MeetingPartyRef,
  MeetingRealty,
  MeetingTombstone,
} from '../domain/meeting.model';

/**
 * SQL of the meeting tables, run with the manager of the caller's transaction. Rows are mapped to
 * the domain's Meeting here and only here.
 */

/** A stored time: ISO-8601 text on SQLite, a Date (from timestamptz) on PostgreSQL. */
type StoredTime = string | Date;

interface MeetingRow {
  meeting_id: string;
  type_code: string;
  status_code: string;
  realty_id: string | null;
  visit_time: StoredTime;
  agency_office_id: string;
  source_type_code: string;
  realty: string;
  door_code?: string | null;
  price_estimate_value: number | null;
  price_estimate_currency_code: string | null;
  notes: string | null;
  created_by_name: string | null;
  creation_time: StoredTime;
  modification_time: StoredTime;
  version: number;
}

// door_code is never in this list: listings must not even read it.
const COLUMNS = `m.meeting_id, m.type_code, m.status_code, m.realty_id, m.visit_time, m.agency_office_id,
  m.source_type_code, m.realty, m.price_estimate_value, m.price_estimate_currency_code, m.notes,
  m.created_by_name, m.creation_time, m.modification_time, m.version`;

/** Whether a meeting id is live, deleted (a tombstone), or unknown. */
export type MeetingPresence =
  { state: 'live'; meeting: Meeting } | { state: 'deleted' } | { state: 'unknown' };

/**
 * Loads one meeting with its doorCode: the single-meeting read. A meeting outside the scope is
 * unknown, deleted or not: an outsider learns nothing of it.
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
  const rows: (MeetingRow & { deleted_time: StoredTime | null })[] = await query(
    manager,
    `SELECT ${COLUMNS}, m.door_code, m.deleted_time FROM meeting m WHERE m.meeting_id = ?${scoped}${
      options.forUpdate ? rowLock(dialectOf(manager)) : ''
    }`,
    params,
  );
  if (rows.length === 0) return { state: 'unknown' };
  if (rows[0].deleted_time !== null) return { state: 'deleted' };
  const [meeting] = await withParticipants(manager, rows);
  return { state: 'live', meeting };
}

/**
 * Locks the meeting row until the transaction ends, so that a concurrent write of the same meeting
 * waits and then reads what this one committed. SQLite's writers are serialized already.
 */
function rowLock(dialect: Dialect): string {
  return dialect === 'postgres' ? ' FOR UPDATE' : '';
}

/** Live meetings of the scope among `ids`, in one statement (plus their parties and agents). */
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
  const rows: MeetingRow[] = await query(
    manager,
    `SELECT ${COLUMNS} FROM meeting m WHERE m.meeting_id IN (${ids.map(() => '?').join(', ')}) AND m.deleted_time IS NULL${scoped}`,
    params,
  );
  return withParticipants(manager, rows);
}

/**
 * The statement of one page of an offset search: the page's ids first, on the index alone (a deep
 * offset skips index entries, not rows), then the rows of those ids.
 */
export function searchPageStatement(
  search: CheckedSearch,
  scope: OfficeScope,
  dialect: Dialect,
): SqlFragment {
  const where = searchWhere(search, scope, dialect);
  const order = searchOrderBy(search);
  return {
    sql: `WITH page AS (SELECT m.meeting_id FROM meeting m WHERE ${where.sql} ORDER BY ${order} LIMIT ? OFFSET ?)
     SELECT ${COLUMNS} FROM page JOIN meeting m ON m.meeting_id = page.meeting_id ORDER BY ${order}`,
    params: [...where.params, search.size, search.startIndex],
  };
}

/** One page of a search and the number of all matches. */
export async function searchMeetings(
  manager: EntityManager,
  search: CheckedSearch,
  scope: OfficeScope,
): Promise<{ meetings: Meeting[]; totalCount: number }> {
  const page = searchPageStatement(search, scope, dialectOf(manager));
  const rows: MeetingRow[] = await query(manager, page.sql, page.params);
  // A full page, or an empty page past the start, says nothing about how many there are in all.
  const totalCount =
    rows.length === search.size || (rows.length === 0 && search.startIndex > 0)
      ? await countMeetings(manager, search, scope)
      : search.startIndex + rows.length;
  return { meetings: await withParticipants(manager, rows), totalCount };
}

/**
 * Up to `limit` meetings after (forward) or before a keyset position, in sort order; the sort
 * key's index serves a deep position as well as the first page.
 */
export async function keysetPage(
  manager: EntityManager,
  search: CheckedSearch,
  scope: OfficeScope,
  page: { position: readonly string[] | null; forward: boolean; limit: number },
): Promise<Meeting[]> {
  const where = searchWhere(search, scope, dialectOf(manager));
  const params = [...where.params];
  const bind = (value: unknown) => (params.push(value), '?');
  const keys = sortKeys(search);
  const after = page.position
    ? ` AND ${keysetClause(keys, page.position, page.forward, bind)}`
    : '';
  const rows: MeetingRow[] = await query(
    manager,
    `SELECT ${COLUMNS} FROM meeting m WHERE ${where.sql}${after} ORDER BY ${orderByKeys(keys, !page.forward)} LIMIT ?`,
    [...params, page.limit],
  );
  const meetings = await withParticipants(manager, rows);
  return page.forward ? meetings : meetings.reverse();
}

/**
 * What a count reads. Unfiltered, SQLite's planner scans the whole table (wide rows) rather than
 * the narrow partial index of live meetings, about 7 times slower: it is told which index to use.
 * PostgreSQL's planner needs no hint.
 */
export function countSource(where: SqlFragment, dialect: Dialect): string {
  return where.sql === LIVE_ONLY && dialect === 'sqlite'
    ? 'meeting m INDEXED BY IDX_meeting_visit_time'
    : 'meeting m';
}

const LIVE_ONLY = 'm.deleted_time IS NULL';

/** The number of all matches of a search. */
export async function countMeetings(
  manager: EntityManager,
  search: CheckedSearch,
  scope: OfficeScope,
): Promise<number> {
  const dialect = dialectOf(manager);
  const where = searchWhere(search, scope, dialect);
  const [{ total }]: { total: number }[] = await query(
    manager,
    `SELECT count(*) AS total FROM ${countSource(where, dialect)} WHERE ${where.sql}`,
    where.params,
  );
  return Number(total);
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
  const rows: { meeting_id: string; agency_office_id: string; deleted_time: StoredTime }[] =
    await query(
      manager,
      `SELECT meeting_id, agency_office_id, deleted_time FROM meeting WHERE ${where}
     ORDER BY deleted_time ASC, meeting_id ASC LIMIT ? OFFSET ?`,
      [...params, size, startIndex],
    );
  const [{ total }]: { total: number }[] = await query(
    manager,
    `SELECT count(*) AS total FROM meeting WHERE ${where}`,
    params,
  );
  return {
    tombstones: rows.map((r) => ({
      meetingId: r.meeting_id,
      agencyOfficeId: r.agency_office_id,
      deletionTime: new Date(r.deleted_time),
    })),
    totalCount: Number(total),
  };
}

/** Inserts a new meeting with its parties and agents. */
export async function insertMeeting(manager: EntityManager, meeting: Meeting): Promise<void> {
  await query(
    manager,
    `INSERT INTO meeting (meeting_id, type_code, status_code, realty_id, visit_time, agency_office_id,
       source_type_code, realty, door_code, price_estimate_value, price_estimate_currency_code, notes,
       created_by_name, search_text, creation_time, modification_time, version, deleted_time, search_key)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ${nextSearchKey(dialectOf(manager))})`,
    [
      meeting.meetingId,
      ...contentValues(meeting),
      meeting.createdByName,
      meetingSearchText(meeting),
      meeting.creationTime.toISOString(),
      meeting.modificationTime.toISOString(),
      meeting.version,
    ],
  );
  await insertParticipants(manager, meeting);
  await addToSearchIndex(manager, [meeting.meetingId]);
}

/** A new meeting's search key: PostgreSQL's sequence, so that concurrent inserts never collide. */
function nextSearchKey(dialect: Dialect): string {
  return dialect === 'postgres'
    ? 'DEFAULT'
    : '(SELECT coalesce(max(search_key), 0) + 1 FROM meeting)';
}

/** Replaces every editable field of a live meeting, its parties and its agents. */
export async function replaceMeeting(manager: EntityManager, meeting: Meeting): Promise<void> {
  await query(
    manager,
    `UPDATE meeting SET type_code = ?, status_code = ?, realty_id = ?, visit_time = ?, agency_office_id = ?,
       source_type_code = ?, realty = ?, door_code = ?, price_estimate_value = ?,
       price_estimate_currency_code = ?, notes = ?, search_text = ?, modification_time = ?, version = ?
     WHERE meeting_id = ? AND deleted_time IS NULL`,
    [
      ...contentValues(meeting),
      meetingSearchText(meeting),
      meeting.modificationTime.toISOString(),
      meeting.version,
      meeting.meetingId,
    ],
  );
  await query(manager, 'DELETE FROM meeting_party WHERE meeting_id = ?', [meeting.meetingId]);
  await query(manager, 'DELETE FROM meeting_agent WHERE meeting_id = ?', [meeting.meetingId]);
  await insertParticipants(manager, meeting);
  await refreshSearchIndex(manager, [meeting.meetingId]);
}

/** Turns a meeting into a tombstone; its version goes one up, as on an update. */
export async function markDeleted(
  manager: EntityManager,
  meetingId: string,
  at: Date,
): Promise<void> {
  await dropFromSearchIndex(manager, meetingId);
  await query(
    manager,
    'UPDATE meeting SET deleted_time = ?, modification_time = ?, version = version + 1 WHERE meeting_id = ? AND deleted_time IS NULL',
    [at.toISOString(), at.toISOString(), meetingId],
  );
}

/** Whether any meeting, live or deleted, is stored. */
export async function hasMeetings(manager: EntityManager): Promise<boolean> {
  const rows: unknown[] = await query(manager, 'SELECT 1 FROM meeting LIMIT 1');
  return rows.length > 0;
}

/**
 * The meeting's own searchable text, lower-cased, one field a line so that no word spans two
 * fields. Directory names are searched in their own tables, so a rename is found at once.
 * doorCode is never part of it.
 */
export function meetingSearchText(meeting: Meeting): string {
  const realty = meeting.meetingRealty;
  const address = realty.address ?? {};
  return [
    meeting.notes,
    realty.title,
    address.addressLine1,
    address.addressLine2,
    address.district,
    address.postcode,
    address.postalArea,
    address.locality,
    address.region,
    meeting.createdByName,
  ]
    .filter((v): v is string => typeof v === 'string' && v.length > 0)
    .join('\n')
    .toLowerCase();
}

/** The stored values of a meeting's content columns, in the order of the INSERT and UPDATE above. */
export function contentValues(meeting: Meeting): unknown[] {
  const { doorCode, ...realty } = meeting.meetingRealty;
  return [
    meeting.typeCode,
    meeting.statusCode,
    meeting.realtyId,
    meeting.visitTime.toISOString(),
    meeting.agencyOfficeId,
    meeting.sourceTypeCode,
    JSON.stringify(realty),
    doorCode ?? null,
    meeting.priceEstimate?.value ?? null,
    meeting.priceEstimate?.currencyCode ?? null,
    meeting.notes,
  ];
}

async function insertParticipants(manager: EntityManager, meeting: Meeting): Promise<void> {
  const { meetingId, parties, agents } = meeting;
  await query(
    manager,
    `INSERT INTO meeting_party (meeting_id, position, party_id, party_type_code) VALUES ${parties.map(() => '(?, ?, ?, ?)').join(', ')}`,
    parties.flatMap((p, i) => [meetingId, i, p.partyId, p.partyTypeCode]),
  );
  await query(
    manager,
    `INSERT INTO meeting_agent (meeting_id, position, agent_id) VALUES ${agents.map(() => '(?, ?, ?)').join(', ')}`,
    agents.flatMap((a, i) => [meetingId, i, a.agentId]),
  );
}

/**
 * Maps rows to meetings, loading the parties and agents of all of them, with their directory
 * details, in two statements.
 */
async function withParticipants(manager: EntityManager, rows: MeetingRow[]): Promise<Meeting[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.meeting_id);
  const marks = ids.map(() => '?').join(', ');
  const partyRows: {
    meeting_id: string;
    party_id: string;
    party_type_code: string;
    party_name: string;
    email_address: string | null;
    phone_number: string | null;
  }[] = await query(
    manager,
    `SELECT mp.meeting_id, mp.party_id, mp.party_type_code, p.party_name, p.email_address, p.phone_number
     FROM meeting_party mp JOIN party p ON p.party_id = mp.party_id
     WHERE mp.meeting_id IN (${marks}) ORDER BY mp.meeting_id, mp.position`,
    ids,
  );
  const agentRows: {
    meeting_id: string;
    agent_id: string;
    first_name: string;
    last_name: string;
  }[] = await query(
    manager,
    `SELECT ma.meeting_id, ma.agent_id, a.first_name, a.last_name
       FROM meeting_agent ma JOIN agent a ON a.agent_id = ma.agent_id
       WHERE ma.meeting_id IN (${marks}) ORDER BY ma.meeting_id, ma.position`,
    ids,
  );
  const parties = groupBy(partyRows, (r): MeetingPartyRef => ({
    partyId: r.party_id,
    partyTypeCode: r.party_type_code as PartyTypeCode,
    directory: {
      partyName: r.party_name,
      emailAddress: r.email_address,
      phoneNumber: r.phone_number,
    },
  }));
  const agents = groupBy(agentRows, (r): MeetingAgentRef => ({
    agentId: r.agent_id,
    directory: { firstName: r.first_name, lastName: r.last_name },
  }));
  return rows.map((row) =>
    toMeeting(row, parties.get(row.meeting_id) ?? [], agents.get(row.meeting_id) ?? []),
  );
}

function groupBy<R extends { meeting_id: string }, T>(
  rows: R[],
  map: (row: R) => T,
): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row.meeting_id);
    if (group) group.push(map(row));
    else groups.set(row.meeting_id, [map(row)]);
  }
  return groups;
}

function toMeeting(
  row: MeetingRow,
  parties: MeetingPartyRef[],
  agents: MeetingAgentRef[],
): Meeting {
  const realty = JSON.parse(row.realty) as MeetingRealty;
  if (row.door_code !== undefined) realty.doorCode = row.door_code;
  return {
    meetingId: row.meeting_id,
    typeCode: row.type_code as MeetingTypeCode,
    statusCode: row.status_code as StatusCode,
    parties,
    realtyId: row.realty_id,
    visitTime: new Date(row.visit_time),
    agencyOfficeId: row.agency_office_id,
    agents,
    sourceTypeCode: row.source_type_code as SourceTypeCode,
    meetingRealty: realty,
    priceEstimate:
      row.price_estimate_value === null && row.price_estimate_currency_code === null
        ? null
        : { value: row.price_estimate_value, currencyCode: row.price_estimate_currency_code },
    notes: row.notes,
    createdByName: row.created_by_name,
    creationTime: new Date(row.creation_time),
    modificationTime: new Date(row.modification_time),
    version: Number(row.version),
  };
}
