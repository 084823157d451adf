/** The limit server's reads: a search page, a connection page after a cursor, one meeting. */
import type { LimitDb } from './limit-db';
import { decodeCursor, encodeCursor } from './limit-cursor';
import { type Filter, type PageKey, type SortKind, plannedSearch } from './limit-plan';

interface Row {
  meeting_id: string;
  status_code: string;
  type_code: string;
  visit_time: string;
  agency_office_id: string;
  realty: string;
  /** JSON: the meeting's party objects, in its order. */
  parties: string;
  /** JSON: the meeting's agent objects, in its order. */
  agents: string;
}

/**
 * A meeting's parties and agents (of the meeting aliased `m`) as JSON arrays of the objects the
 * response holds, in its order: built by SQLite in the meeting's own row.
 */
function participants(partyFields: Record<string, string>): string {
  const object = (fields: Record<string, string>) =>
    `json_object(${Object.entries(fields)
      .map(([key, column]) => `'${key}', ${column}`)
      .join(', ')})`;
  return `(SELECT json_group_array(${object(partyFields)} ORDER BY mp.position)
      FROM meeting_party mp JOIN party p ON p.party_id = mp.party_id WHERE mp.meeting_id = m.meeting_id) AS parties,
    (SELECT json_group_array(${object({ agentId: 'ma.agent_id', firstName: 'a.first_name', lastName: 'a.last_name' })} ORDER BY ma.position)
      FROM meeting_agent ma JOIN agent a ON a.agent_id = ma.agent_id WHERE ma.meeting_id = m.meeting_id) AS agents`;
}

const PAGE_COLUMNS = `m.meeting_id, m.status_code, m.type_code, m.visit_time, m.agency_office_id, m.realty,
  ${participants({ partyId: 'mp.party_id', partyName: 'p.party_name', phoneNumber: 'p.phone_number' })}`;

const GET_PARTICIPANTS = participants({
  partyId: 'mp.party_id',
  partyTypeCode: 'mp.party_type_code',
  partyName: 'p.party_name',
});

type Scope = readonly string[] | null;

/** The bench's sorts: the default, or status ascending then visit time descending. */
function sortKind(sort: { field: string; direction?: string }[] | undefined): SortKind {
  const text = (sort ?? []).map((s) => `${s.field}:${s.direction ?? 'ASC'}`).join(',');
  if (text === '' || text === 'VISIT_TIME:DESC') return 'visit';
  if (text === 'STATUS_CODE:ASC,VISIT_TIME:DESC') return 'status-visit';
  throw new Error(`the limit has no plan for the sort ${text}`);
}

/** The page's rows with their parties and agents, in the order of its keys: one statement. */
function pageRows(db: LimitDb, keys: PageKey[]): Row[] {
  if (keys.length === 0) return [];
  const rows = db.all<Row>(
    `SELECT ${PAGE_COLUMNS} FROM meeting m WHERE m.meeting_id IN (${keys.map(() => '?').join(', ')})`,
    keys.map((k) => k.meeting_id),
  );
  const byId = new Map(rows.map((r) => [r.meeting_id, r]));
  return keys.map((k) => byId.get(k.meeting_id)!);
}

/** The response's items of the page's rows. */
function pageItems(rows: Row[]): unknown[] {
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
      parties: JSON.parse(r.parties) as unknown,
      agents: JSON.parse(r.agents) as unknown,
    };
  });
}

export function search(
  db: LimitDb,
  scope: Scope,
  v: {
    filter?: Filter;
    sort?: { field: string; direction?: string }[];
    startIndex?: number;
    size?: number;
  },
): unknown {
  const size = v.size ?? 50;
  const startIndex = v.startIndex ?? 0;
  const planned = plannedSearch(
    db,
    { filter: v.filter ?? {}, scope, sort: sortKind(v.sort) },
    { offset: startIndex, limit: size, after: null },
  );
  const rows = pageRows(db, planned.keys);
  const totalCount =
    rows.length === size || (rows.length === 0 && startIndex > 0)
      ? planned.total()
      : startIndex + rows.length;
  return { meetings: { totalCount, meetings: pageItems(rows) } };
}

export function connection(
  db: LimitDb,
  scope: Scope,
  v: {
    filter?: Filter;
    sort?: { field: string; direction?: string }[];
    first?: number;
    after?: string;
  },
): unknown {
  const first = v.first ?? 50;
  // The bench's connection scenarios page the default search after a cursor: the page's cursors
  // carry the fingerprint of the cursor it starts after.
  const after = decodeCursor(v.after ?? '');
  const kind = sortKind(v.sort);
  if (kind !== 'visit') throw new Error('the limit pages cursors of the default sort only');
  const planned = plannedSearch(
    db,
    { filter: v.filter ?? {}, scope, sort: kind },
    { offset: 0, limit: first + 1, after: [after.values[0], after.values[1]] },
  );
  const page = pageRows(db, planned.keys.slice(0, first));
  const items = pageItems(page);
  const edges = page.map((r, i) => ({
    cursor: encodeCursor([r.visit_time, r.meeting_id], after.fingerprint),
    node: items[i],
  }));
  return {
    meetingsConnection: {
      edges,
      pageInfo: {
        hasNextPage: planned.keys.length > first,
        endCursor: edges.length > 0 ? edges[edges.length - 1].cursor : null,
      },
    },
  };
}

export function getMeeting(db: LimitDb, scope: Scope, v: { meetingId: string }): unknown {
  const m = db.get<{
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
    parties: string;
    agents: string;
  }>(
    `SELECT m.meeting_id, m.type_code, m.status_code, m.visit_time, m.agency_office_id, m.source_type_code,
       m.notes, m.created_by_name, m.creation_time, m.modification_time, m.realty_id, m.realty, m.door_code,
       m.price_estimate_value, m.price_estimate_currency_code, ${GET_PARTICIPANTS}
     FROM meeting m WHERE m.meeting_id = ? AND m.deleted_time IS NULL${scope ? ` AND m.agency_office_id IN (${scope.map(() => '?').join(', ')})` : ''}`,
    [v.meetingId.toLowerCase(), ...(scope ?? [])],
  );
  if (!m) return { meeting: null };
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
      parties: JSON.parse(m.parties) as unknown,
      agents: JSON.parse(m.agents) as unknown,
    },
  };
}
