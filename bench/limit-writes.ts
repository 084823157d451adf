/** The limit server's writes: create, update and delete, storing what the gateway stores. */
import { randomUUID } from 'node:crypto';
import type { LimitDb } from './limit-db';

/** What the bench's MeetingInput carries, as the request sends it. */
export interface MeetingInput {
  typeCode: string;
  statusCode: string;
  parties: { partyId: string; partyTypeCode: string }[];
  realtyId?: string | null;
  visitTime: string;
  agencyOfficeId: string;
  agents: { agentId: string }[];
  sourceTypeCode: string;
  meetingRealty: {
    title?: string | null;
    doorCode?: string | null;
    address?: Record<string, unknown> | null;
    [field: string]: unknown;
  };
  priceEstimate?: { value: number; currencyCode: string } | null;
  notes?: string | null;
}

/**
 * The stored values of the content columns, as the gateway stores them: in the column order of
 * the INSERT and UPDATE below; the realty as JSON without its door code, which has a column.
 */
function contentValues(input: MeetingInput): unknown[] {
  const { doorCode, ...realty } = input.meetingRealty;
  return [
    input.typeCode,
    input.statusCode,
    input.realtyId ?? null,
    new Date(input.visitTime).toISOString(),
    input.agencyOfficeId,
    input.sourceTypeCode,
    JSON.stringify(realty),
    doorCode ?? null,
    input.priceEstimate?.value ?? null,
    input.priceEstimate?.currencyCode ?? null,
    input.notes ?? null,
  ];
}

/**
 * The meeting's own searchable text, as the gateway stores it: lower-cased, one field a line, no
 * door code (the limit's meetings have no creator's name).
 */
function searchText(input: MeetingInput): string {
  const realty = input.meetingRealty;
  const address = realty.address ?? {};
  return [
    input.notes,
    realty.title,
    address.addressLine1,
    address.addressLine2,
    address.district,
    address.postcode,
    address.postalArea,
    address.locality,
    address.region,
  ]
    .filter((v): v is string => typeof v === 'string' && v.length > 0)
    .join('\n')
    .toLowerCase();
}

function countKey(input: MeetingInput): CountKey {
  return {
    agency_office_id: input.agencyOfficeId,
    status_code: input.statusCode,
    type_code: input.typeCode,
  };
}

/** The indexed text of meeting `m`: its own, then its parties' and its agents', one a line. */
const DOCUMENT_SQL = `m.search_text
  || char(10) || coalesce((SELECT group_concat(p.search_text, char(10)) FROM meeting_party mp
       JOIN party p ON p.party_id = mp.party_id WHERE mp.meeting_id = m.meeting_id), '')
  || char(10) || coalesce((SELECT group_concat(a.search_text, char(10)) FROM meeting_agent ma
       JOIN agent a ON a.agent_id = ma.agent_id WHERE ma.meeting_id = m.meeting_id), '')`;

function writeParticipants(db: LimitDb, meetingId: string, input: MeetingInput): void {
  db.run('DELETE FROM meeting_party WHERE meeting_id = ?', [meetingId]);
  db.run('DELETE FROM meeting_agent WHERE meeting_id = ?', [meetingId]);
  db.run(
    `INSERT INTO meeting_party (meeting_id, position, party_id, party_type_code) VALUES ${input.parties.map(() => '(?, ?, ?, ?)').join(', ')}`,
    input.parties.flatMap((p, i) => [meetingId, i, p.partyId, p.partyTypeCode]),
  );
  db.run(
    `INSERT INTO meeting_agent (meeting_id, position, agent_id) VALUES ${input.agents.map(() => '(?, ?, ?)').join(', ')}`,
    input.agents.flatMap((a, i) => [meetingId, i, a.agentId]),
  );
}

/** The meeting's row of the limit's document table, written anew from the FTS document. */
function redocument(db: LimitDb, meetingId: string): void {
  db.run('DELETE FROM limit_document WHERE meeting_id = ?', [meetingId]);
  db.run(
    `INSERT INTO limit_document SELECT m.agency_office_id, m.visit_time, m.meeting_id, m.status_code,
       m.type_code, f.text FROM meeting m JOIN meeting_fts f ON f.rowid = m.search_key
     WHERE m.meeting_id = ? AND m.deleted_time IS NULL`,
    [meetingId],
  );
}

function reindex(db: LimitDb, meetingId: string): void {
  db.run(
    'DELETE FROM meeting_fts WHERE rowid = (SELECT search_key FROM meeting WHERE meeting_id = ?)',
    [meetingId],
  );
  db.run(
    `INSERT INTO meeting_fts (rowid, text) SELECT m.search_key, ${DOCUMENT_SQL} FROM meeting m WHERE m.meeting_id = ?`,
    [meetingId],
  );
}

/** Moves one live meeting in or out of the limit's counts (bench/limit-schema.ts). */
function count(db: LimitDb, key: CountKey, delta: 1 | -1): void {
  db.run(
    `INSERT INTO limit_count (agency_office_id, status_code, type_code, n) VALUES (?, ?, ?, ?)
     ON CONFLICT DO UPDATE SET n = n + excluded.n`,
    [key.agency_office_id, key.status_code, key.type_code, delta],
  );
}

interface CountKey {
  agency_office_id: string;
  status_code: string;
  type_code: string;
}

/** The caller's offices; null for every office. */
type Scope = readonly string[] | null;

const inScope = (scope: Scope) =>
  scope ? ` AND agency_office_id IN (${scope.map(() => '?').join(', ')})` : '';

/**
 * The three writes, each one transaction, answering as the gateway's mutations of the bench, and
 * keeping the counts. A meeting outside the caller's offices is not there for the caller.
 */
export function writes(db: LimitDb) {
  const existing = (id: string, scope: Scope) =>
    db.get<CountKey>(
      `SELECT agency_office_id, status_code, type_code FROM meeting WHERE meeting_id = ? AND deleted_time IS NULL${inScope(scope)}`,
      [id, ...(scope ?? [])],
    );

  const create = db.transaction((scope: Scope, input: MeetingInput) => {
    if (scope && !scope.includes(input.agencyOfficeId)) throw new Error('UNAUTHORIZED');
    const meetingId = randomUUID();
    const now = new Date().toISOString();
    db.run(
      `INSERT INTO meeting (meeting_id, type_code, status_code, realty_id, visit_time, agency_office_id,
         source_type_code, realty, door_code, price_estimate_value, price_estimate_currency_code, notes,
         created_by_name, search_text, creation_time, modification_time, deleted_time, search_key)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, (SELECT coalesce(max(search_key), 0) + 1 FROM meeting))`,
      [meetingId, ...contentValues(input), null, searchText(input), now, now],
    );
    writeParticipants(db, meetingId, input);
    reindex(db, meetingId);
    redocument(db, meetingId);
    count(db, countKey(input), 1);
    return { createMeeting: { meetingId } };
  });

  const update = db.transaction((scope: Scope, id: string, input: MeetingInput) => {
    if (scope && !scope.includes(input.agencyOfficeId)) throw new Error('UNAUTHORIZED');
    const before = existing(id, scope);
    if (!before) throw new Error('INVALID_ID');
    db.run(
      `UPDATE meeting SET type_code = ?, status_code = ?, realty_id = ?, visit_time = ?, agency_office_id = ?,
         source_type_code = ?, realty = ?, door_code = ?, price_estimate_value = ?,
         price_estimate_currency_code = ?, notes = ?, search_text = ?, modification_time = ?
       WHERE meeting_id = ? AND deleted_time IS NULL`,
      [...contentValues(input), searchText(input), new Date().toISOString(), id],
    );
    writeParticipants(db, id, input);
    reindex(db, id);
    redocument(db, id);
    const after = countKey(input);
    if (
      after.agency_office_id !== before.agency_office_id ||
      after.status_code !== before.status_code ||
      after.type_code !== before.type_code
    ) {
      count(db, before, -1);
      count(db, after, 1);
    }
    return { updateMeeting: { meeting: { meetingId: id, statusCode: input.statusCode } } };
  });

  const remove = db.transaction((scope: Scope, id: string) => {
    const before = existing(id, scope);
    if (!before) throw new Error('INVALID_ID');
    const at = new Date().toISOString();
    db.run(
      'DELETE FROM meeting_fts WHERE rowid = (SELECT search_key FROM meeting WHERE meeting_id = ?)',
      [id],
    );
    db.run(
      'UPDATE meeting SET deleted_time = ?, modification_time = ? WHERE meeting_id = ? AND deleted_time IS NULL',
      [at, at, id],
    );
    db.run('DELETE FROM limit_document WHERE meeting_id = ?', [id]);
    count(db, before, -1);
    return { deleteMeeting: { meetingId: id } };
  });

  return { create, update, remove };
}
