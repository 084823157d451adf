import type { EntityManager } from 'typeorm';
import { query } from '../../db/sql';
import type { NewRecord } from '../../db/table';
import type { OfficeScope } from '../../auth/caller';
import type { Agent, Party } from '../domain/directory.model';
import { agentTable, partyTable } from './directory.table';

// Rows an INSERT carries at most: far below SQLite's limit of bound parameters.
const CHUNK = 100;

/** The columns of a Party and of an Agent. */
const PARTY = partyTable.pick(
  'partyId',
  'partyTypeCode',
  'partyName',
  'emailAddress',
  'phoneNumber',
);
const AGENT = agentTable.pick('agentId', 'firstName', 'lastName');

/** What an upsert changes of a stored row: all but its id and creation time. */
const PARTY_CHANGES = partyTable.omit('partyId', 'creationTime').properties;
const AGENT_CHANGES = agentTable.omit('agentId', 'creationTime').properties;

/** The row of a party, written at `now`. */
export function partyRecord(party: Party, now: Date): NewRecord<typeof partyTable.columns> {
  return {
    partyId: party.partyId,
    partyTypeCode: party.partyTypeCode,
    partyName: party.partyName,
    emailAddress: party.emailAddress,
    phoneNumber: party.phoneNumber,
    searchText: searchText([party.partyName, party.emailAddress, party.phoneNumber]),
    creationTime: now,
    modificationTime: now,
  };
}

/** The row of an agent, written at `now`. */
export function agentRecord(agent: Agent, now: Date): NewRecord<typeof agentTable.columns> {
  return {
    agentId: agent.agentId,
    firstName: agent.firstName,
    lastName: agent.lastName,
    searchText: searchText([agent.firstName, agent.lastName]),
    creationTime: now,
    modificationTime: now,
  };
}

/**
 * With a scope, a directory row is found only when a live meeting in one of those offices names it:
 * a caller learns of the people of their own offices' meetings, never of the whole directory.
 */
function seenInScope(join: 'meeting_party' | 'meeting_agent', key: string, scope: OfficeScope) {
  if (scope === null) return { sql: '', params: [] as string[] };
  if (scope.length === 0) return { sql: ' AND 0 = 1', params: [] as string[] };
  return {
    sql: ` AND EXISTS (SELECT 1 FROM ${join} j JOIN meeting m ON m.meeting_id = j.meeting_id
       WHERE j.${key} = d.${key} AND m.deleted_time IS NULL
         AND m.agency_office_id IN (${scope.map(() => '?').join(', ')}))`,
    params: [...scope],
  };
}

export async function findParties(
  manager: EntityManager,
  ids: readonly string[],
  scope: OfficeScope = null,
): Promise<Party[]> {
  if (ids.length === 0) return [];
  const scoped = seenInScope('meeting_party', 'party_id', scope);
  const rows = await query(
    manager,
    `SELECT ${PARTY.sql()} FROM party d
     WHERE party_id IN (${ids.map(() => '?').join(', ')})${scoped.sql}`,
    [...ids, ...scoped.params],
  );
  return rows.map(PARTY.read);
}

export async function findAgents(
  manager: EntityManager,
  ids: readonly string[],
  scope: OfficeScope = null,
): Promise<Agent[]> {
  if (ids.length === 0) return [];
  const scoped = seenInScope('meeting_agent', 'agent_id', scope);
  const rows = await query(
    manager,
    `SELECT ${AGENT.sql()} FROM agent d
     WHERE agent_id IN (${ids.map(() => '?').join(', ')})${scoped.sql}`,
    [...ids, ...scoped.params],
  );
  return rows.map(AGENT.read);
}

/** Writes parties; answers the ids of stored ones whose searchable text changed. */
export async function upsertPartyRows(
  manager: EntityManager,
  parties: readonly Party[],
  now: Date,
): Promise<string[]> {
  const records = inKeyOrder(parties, (p) => p.partyId).map((p) => partyRecord(p, now));
  const texts = new Map(records.map((r) => [r.partyId, r.searchText]));
  const renamed = await changedSearchText(manager, 'party', 'party_id', texts);
  for (let i = 0; i < records.length; i += CHUNK) {
    const rows = partyTable.insert(records.slice(i, i + CHUNK));
    const upsert = partyTable.onConflictUpdate(['partyId'], PARTY_CHANGES);
    await query(manager, rows.sql + upsert, rows.params);
  }
  return renamed;
}

/** Writes agents; answers the ids of stored ones whose searchable text changed. */
export async function upsertAgentRows(
  manager: EntityManager,
  agents: readonly Agent[],
  now: Date,
): Promise<string[]> {
  const records = inKeyOrder(agents, (a) => a.agentId).map((a) => agentRecord(a, now));
  const texts = new Map(records.map((r) => [r.agentId, r.searchText]));
  const renamed = await changedSearchText(manager, 'agent', 'agent_id', texts);
  for (let i = 0; i < records.length; i += CHUNK) {
    const rows = agentTable.insert(records.slice(i, i + CHUNK));
    const upsert = agentTable.onConflictUpdate(['agentId'], AGENT_CHANGES);
    await query(manager, rows.sql + upsert, rows.params);
  }
  return renamed;
}

/** Stored rows among `texts` whose searchable text the upsert changes: their meetings' index rows go stale. */
async function changedSearchText(
  manager: EntityManager,
  table: 'party' | 'agent',
  key: 'party_id' | 'agent_id',
  texts: ReadonlyMap<string, string>,
): Promise<string[]> {
  const ids = [...texts.keys()];
  const changed: string[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const rows: { id: string; search_text: string }[] = await query(
      manager,
      `SELECT ${key} AS id, search_text FROM ${table} WHERE ${key} IN (${chunk.map(() => '?').join(', ')})`,
      chunk,
    );
    changed.push(...rows.filter((r) => r.search_text !== texts.get(r.id)).map((r) => r.id));
  }
  return changed;
}

/**
 * Rows in the order of their keys: concurrent upserts on PostgreSQL then lock shared rows in the
 * same order, and cannot deadlock each other.
 */
function inKeyOrder<T>(rows: readonly T[], key: (row: T) => string): T[] {
  return [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function searchText(values: (string | null)[]): string {
  return values
    .filter((v): v is string => !!v)
    .join('\n')
    .toLowerCase();
}
