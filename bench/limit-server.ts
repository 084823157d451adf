import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import BetterSqlite3 from 'better-sqlite3';
import { encodeCursor } from '../src/meetings/domain/meeting-cursor';
import { meetingDocumentSql, ftsQuery } from '../src/meetings/storage/meeting-search-index';
import type { Meeting } from '../src/meetings/domain/meeting.model';
import { contentValues, meetingSearchText } from '../src/meetings/storage/meeting.repository';

/**
 * The limit: the fastest program we can write that answers the benchmark's request bodies with the
 * gateway's JSON, on the same database. node:http, better-sqlite3 prepared statements, no GraphQL:
 * it knows each operation by name and builds its answer directly. It checks the bearer token's
 * HS256 signature and expiry (as cheaply as that can be done) but does no validation, no rules and
 * no office scoping: a floor, not a server to run.
 *
 * Usage: node limit-server.js <database file> <port> <jwt secret> <cursor fingerprint>
 */

const [file, portText, secret, fingerprint] = process.argv.slice(2);
const db = new BetterSqlite3(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');

let statements = 0;
let requests = 0;
const cache = new Map<string, BetterSqlite3.Statement>();
function prepared(sql: string): BetterSqlite3.Statement {
  let statement = cache.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement;
}
function all<T>(sql: string, params: unknown[]): T[] {
  statements++;
  return prepared(sql).all(...params) as T[];
}
function get<T>(sql: string, params: unknown[]): T | undefined {
  statements++;
  return prepared(sql).get(...params) as T | undefined;
}
function run(sql: string, params: unknown[]): void {
  statements++;
  prepared(sql).run(...params);
}

// ---- token ---------------------------------------------------------------------------------

const key = Buffer.from(secret, 'utf8');
const verified = new Map<string, number>();
function authorized(header: string | undefined): boolean {
  if (!header?.startsWith('Bearer ')) return false;
  const token = header.slice(7);
  const known = verified.get(token);
  if (known !== undefined) return known > Date.now() / 1000;
  const [h, p, s] = token.split('.');
  if (!h || !p || !s) return false;
  const expected = createHmac('sha256', key).update(`${h}.${p}`).digest();
  const given = Buffer.from(s, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
  const exp = (JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as { exp?: number }).exp;
  if (typeof exp !== 'number') return false;
  verified.set(token, exp);
  return exp > Date.now() / 1000;
}

// ---- reads ---------------------------------------------------------------------------------

interface Row {
  meeting_id: string;
  status_code: string;
  type_code: string;
  visit_time: string;
  agency_office_id: string;
  realty: string;
}

const ORDER = 'm.visit_time DESC, m.meeting_id ASC';
const PAGE_COLUMNS =
  'm.meeting_id, m.status_code, m.type_code, m.visit_time, m.agency_office_id, m.realty';

interface Filter {
  statusCode?: string[];
  typeCode?: string[];
  agencyOfficeId?: string[];
  freeTextSearch?: string;
}

function where(filter: Filter | undefined): { sql: string; params: unknown[] } {
  const clauses = ['m.deleted_time IS NULL'];
  const params: unknown[] = [];
  const anyOf = (column: string, values: string[] | undefined) => {
    if (values && values.length > 0) {
      clauses.push(`${column} IN (${values.map(() => '?').join(', ')})`);
      params.push(...values);
    }
  };
  anyOf('m.status_code', filter?.statusCode);
  anyOf('m.type_code', filter?.typeCode);
  anyOf('m.agency_office_id', filter?.agencyOfficeId);
  const words = (filter?.freeTextSearch ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length > 0) {
    clauses.push('m.search_key IN (SELECT rowid FROM meeting_fts WHERE meeting_fts MATCH ?)');
    params.push(ftsQuery(words));
  }
  return { sql: clauses.join(' AND '), params };
}

/** Parties and agents of the page's meetings, with their names: two statements. */
function pageItems(rows: Row[]): unknown[] {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.meeting_id);
  const marks = ids.map(() => '?').join(', ');
  const parties = all<{
    meeting_id: string;
    party_id: string;
    party_name: string;
    phone_number: string | null;
  }>(
    `SELECT mp.meeting_id, mp.party_id, p.party_name, p.phone_number FROM meeting_party mp
     JOIN party p ON p.party_id = mp.party_id WHERE mp.meeting_id IN (${marks}) ORDER BY mp.meeting_id, mp.position`,
    ids,
  );
  const agents = all<{
    meeting_id: string;
    agent_id: string;
    first_name: string;
    last_name: string;
  }>(
    `SELECT ma.meeting_id, ma.agent_id, a.first_name, a.last_name FROM meeting_agent ma
     JOIN agent a ON a.agent_id = ma.agent_id WHERE ma.meeting_id IN (${marks}) ORDER BY ma.meeting_id, ma.position`,
    ids,
  );
  const partiesOf = new Map<string, unknown[]>();
  for (const p of parties) {
    const list = partiesOf.get(p.meeting_id) ?? [];
    list.push({ partyId: p.party_id, partyName: p.party_name, phoneNumber: p.phone_number });
    partiesOf.set(p.meeting_id, list);
  }
  const agentsOf = new Map<string, unknown[]>();
  for (const a of agents) {
    const list = agentsOf.get(a.meeting_id) ?? [];
    list.push({ agentId: a.agent_id, firstName: a.first_name, lastName: a.last_name });
    agentsOf.set(a.meeting_id, list);
  }
  return rows.map((r) => {
    const address = (JSON.parse(r.realty) as { address?: Record<string, unknown> | null }).address;
    return {
      meetingId: r.meeting_id,
      statusCode: r.status_code,
      typeCode: r.type_code,
      visitTime: r.visit_time,
      agencyOfficeId: r.agency_office_id,
      address: address
        ? {
            addressLine1: address.addressLine1 ?? null,
            postcode: address.postcode ?? null,
            locality: address.locality ?? null,
          }
        : null,
      parties: partiesOf.get(r.meeting_id) ?? [],
      agents: agentsOf.get(r.meeting_id) ?? [],
    };
  });
}

function search(v: { filter?: Filter; startIndex?: number; size?: number }): unknown {
  const size = v.size ?? 50;
  const startIndex = v.startIndex ?? 0;
  const w = where(v.filter);
  const rows = all<Row>(
    `WITH page AS (SELECT m.meeting_id FROM meeting m WHERE ${w.sql} ORDER BY ${ORDER} LIMIT ? OFFSET ?)
     SELECT ${PAGE_COLUMNS} FROM page JOIN meeting m ON m.meeting_id = page.meeting_id ORDER BY ${ORDER}`,
    [...w.params, size, startIndex],
  );
  const totalCount =
    rows.length === size || (rows.length === 0 && startIndex > 0)
      ? get<{ n: number }>(
          `SELECT count(*) AS n FROM ${w.params.length === 0 ? 'meeting m INDEXED BY IDX_meeting_visit_time' : 'meeting m'} WHERE ${w.sql}`,
          w.params,
        )!.n
      : startIndex + rows.length;
  return { meetings: { totalCount, meetings: pageItems(rows) } };
}

function connection(v: { first?: number; after?: string }): unknown {
  const first = v.first ?? 50;
  const text = Buffer.from(v.after ?? '', 'base64url').toString('utf8');
  const split = text.lastIndexOf('|');
  const [, , [time, id]] = JSON.parse(text.slice(0, split)) as [number, string, string[]];
  const rows = all<Row>(
    `SELECT ${PAGE_COLUMNS} FROM meeting m WHERE m.deleted_time IS NULL
       AND (m.visit_time < ? OR (m.visit_time = ? AND m.meeting_id > ?))
     ORDER BY ${ORDER} LIMIT ?`,
    [time, time, id, first + 1],
  );
  const page = rows.slice(0, first);
  const items = pageItems(page);
  const edges = page.map((r, i) => ({
    cursor: encodeCursor({ values: [r.visit_time, r.meeting_id] }, fingerprint),
    node: items[i],
  }));
  return {
    meetingsConnection: {
      edges,
      pageInfo: {
        hasNextPage: rows.length > first,
        endCursor: edges.length > 0 ? edges[edges.length - 1].cursor : null,
      },
    },
  };
}

function getMeeting(v: { meetingId: string }): unknown {
  const m = get<{
    meeting_id: string;
    type_code: string;
    status_code: string;
    visit_time: string;
    agency_office_id: string;
    source_type_code: string;
    notes: string | null;
    created_by_name: string | null;
    creation_time: string;
    modification_time: string;
    realty_id: string | null;
    realty: string;
    door_code: string | null;
    price_estimate_value: number | null;
    price_estimate_currency_code: string | null;
  }>(
    `SELECT meeting_id, type_code, status_code, visit_time, agency_office_id, source_type_code, notes,
       created_by_name, creation_time, modification_time, realty_id, realty, door_code,
       price_estimate_value, price_estimate_currency_code
     FROM meeting WHERE meeting_id = ? AND deleted_time IS NULL`,
    [v.meetingId.toLowerCase()],
  );
  if (!m) return { meeting: null };
  const parties = all<{ party_id: string; party_type_code: string; party_name: string }>(
    `SELECT mp.party_id, mp.party_type_code, p.party_name FROM meeting_party mp
     JOIN party p ON p.party_id = mp.party_id WHERE mp.meeting_id = ? ORDER BY mp.position`,
    [m.meeting_id],
  );
  const agents = all<{ agent_id: string; first_name: string; last_name: string }>(
    `SELECT ma.agent_id, a.first_name, a.last_name FROM meeting_agent ma
     JOIN agent a ON a.agent_id = ma.agent_id WHERE ma.meeting_id = ? ORDER BY ma.position`,
    [m.meeting_id],
  );
  const realty = JSON.parse(m.realty) as {
    title?: string | null;
    roomCountCode?: string | null;
    area?: { value?: number | null; areaUnitCode?: string | null } | null;
    address?: Record<string, unknown> | null;
  };
  return {
    meeting: {
      meetingId: m.meeting_id,
      typeCode: m.type_code,
      statusCode: m.status_code,
      visitTime: m.visit_time,
      agencyOfficeId: m.agency_office_id,
      sourceTypeCode: m.source_type_code,
      notes: m.notes,
      createdByName: m.created_by_name,
      creationTime: m.creation_time,
      modificationTime: m.modification_time,
      realtyId: m.realty_id,
      meetingRealty: {
        title: realty.title ?? null,
        doorCode: m.door_code,
        roomCountCode: realty.roomCountCode ?? null,
        area: realty.area
          ? { value: realty.area.value ?? null, areaUnitCode: realty.area.areaUnitCode ?? null }
          : null,
        address: realty.address
          ? {
              addressLine1: realty.address.addressLine1 ?? null,
              postcode: realty.address.postcode ?? null,
              locality: realty.address.locality ?? null,
            }
          : null,
      },
      priceEstimate:
        m.price_estimate_value === null && m.price_estimate_currency_code === null
          ? null
          : { value: m.price_estimate_value, currencyCode: m.price_estimate_currency_code },
      parties: parties.map((p) => ({
        partyId: p.party_id,
        partyTypeCode: p.party_type_code,
        partyName: p.party_name,
      })),
      agents: agents.map((a) => ({
        agentId: a.agent_id,
        firstName: a.first_name,
        lastName: a.last_name,
      })),
    },
  };
}

// ---- writes --------------------------------------------------------------------------------

type Input = Omit<
  Meeting,
  'visitTime' | 'creationTime' | 'modificationTime' | 'meetingId' | 'createdByName'
> & {
  visitTime: string;
};

function toMeeting(id: string, input: Input, now: Date): Meeting {
  return {
    ...input,
    meetingId: id,
    realtyId: input.realtyId ?? null,
    priceEstimate: input.priceEstimate ?? null,
    notes: input.notes ?? null,
    visitTime: new Date(input.visitTime),
    createdByName: null,
    creationTime: now,
    modificationTime: now,
  };
}

function writeParticipants(meeting: Meeting): void {
  run('DELETE FROM meeting_party WHERE meeting_id = ?', [meeting.meetingId]);
  run('DELETE FROM meeting_agent WHERE meeting_id = ?', [meeting.meetingId]);
  run(
    `INSERT INTO meeting_party (meeting_id, position, party_id, party_type_code) VALUES ${meeting.parties.map(() => '(?, ?, ?, ?)').join(', ')}`,
    meeting.parties.flatMap((p, i) => [meeting.meetingId, i, p.partyId, p.partyTypeCode]),
  );
  run(
    `INSERT INTO meeting_agent (meeting_id, position, agent_id) VALUES ${meeting.agents.map(() => '(?, ?, ?)').join(', ')}`,
    meeting.agents.flatMap((a, i) => [meeting.meetingId, i, a.agentId]),
  );
}

function reindex(meetingId: string): void {
  run(
    'DELETE FROM meeting_fts WHERE rowid = (SELECT search_key FROM meeting WHERE meeting_id = ?)',
    [meetingId],
  );
  run(
    `INSERT INTO meeting_fts (rowid, text) SELECT m.search_key, ${meetingDocumentSql('sqlite')} FROM meeting m WHERE m.meeting_id = ?`,
    [meetingId],
  );
}

const create = db.transaction((input: Input) => {
  const meeting = toMeeting(randomUUID(), input, new Date());
  run(
    `INSERT INTO meeting (meeting_id, type_code, status_code, realty_id, visit_time, agency_office_id,
       source_type_code, realty, door_code, price_estimate_value, price_estimate_currency_code, notes,
       created_by_name, search_text, creation_time, modification_time, deleted_time, search_key)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, (SELECT coalesce(max(search_key), 0) + 1 FROM meeting))`,
    [
      meeting.meetingId,
      ...contentValues(meeting),
      meeting.createdByName,
      meetingSearchText(meeting),
      meeting.creationTime.toISOString(),
      meeting.modificationTime.toISOString(),
    ],
  );
  writeParticipants(meeting);
  reindex(meeting.meetingId);
  return { createMeeting: { meetingId: meeting.meetingId } };
});

const update = db.transaction((id: string, input: Input) => {
  const meeting = toMeeting(id, input, new Date());
  run(
    `UPDATE meeting SET type_code = ?, status_code = ?, realty_id = ?, visit_time = ?, agency_office_id = ?,
       source_type_code = ?, realty = ?, door_code = ?, price_estimate_value = ?,
       price_estimate_currency_code = ?, notes = ?, search_text = ?, modification_time = ?
     WHERE meeting_id = ? AND deleted_time IS NULL`,
    [
      ...contentValues(meeting),
      meetingSearchText(meeting),
      meeting.modificationTime.toISOString(),
      id,
    ],
  );
  writeParticipants(meeting);
  reindex(id);
  return { updateMeeting: { meeting: { meetingId: id, statusCode: meeting.statusCode } } };
});

const remove = db.transaction((id: string) => {
  const at = new Date().toISOString();
  run(
    'DELETE FROM meeting_fts WHERE rowid = (SELECT search_key FROM meeting WHERE meeting_id = ?)',
    [id],
  );
  run(
    'UPDATE meeting SET deleted_time = ?, modification_time = ? WHERE meeting_id = ? AND deleted_time IS NULL',
    [at, at, id],
  );
  return { deleteMeeting: { meetingId: id } };
});

// ---- HTTP ----------------------------------------------------------------------------------

type Variables = Record<string, unknown>;
const OPERATIONS: Record<string, (v: Variables) => unknown> = {
  Search: (v) => search(v),
  Connection: (v) => connection(v),
  Get: (v) => getMeeting(v as { meetingId: string }),
  Create: (v) => create(v.input as Input),
  Update: (v) => update(v.meetingId as string, v.input as Input),
  Delete: (v) => remove(v.meetingId as string),
};

function send(res: http.ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/stats') return send(res, 200, { requests, statements });
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    requests++;
    if (!authorized(req.headers.authorization))
      return send(res, 401, { errors: [{ message: 'Unauthorized' }] });
    try {
      const { operationName, variables } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        operationName: string;
        variables?: Variables;
      };
      const operation = OPERATIONS[operationName];
      if (!operation)
        return send(res, 400, { errors: [{ message: `Unknown operation ${operationName}` }] });
      send(res, 200, { data: operation(variables ?? {}) });
    } catch (error) {
      send(res, 500, { errors: [{ message: String(error) }] });
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(portText), '127.0.0.1', () => process.stdout.write('listening\n'));
process.on('SIGTERM', () => server.close(() => db.close()));
