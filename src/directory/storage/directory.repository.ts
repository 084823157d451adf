import type { EntityManager } from 'typeorm';
import { query } from '../../db/sql';
import type { OfficeScope } from '../../auth/caller';
import type { PartyTypeCode } from '../domain/directory.model';
import type { Agent, Party } from '../domain/directory.model';

// Rows an INSERT carries at most: far below SQLite's limit of bound parameters.
const CHUNK = 100;

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
  const rows: {
    party_id: string;
    party_type_code: string;
    party_name: string;
    email_address: string | null;
    phone_number: string | null;
  }[] = await query(
    manager,
    `SELECT party_id, party_type_code, party_name, email_address, phone_number FROM party d
     WHERE party_id IN (${ids.map(() => '?').join(', ')})${scoped.sql}`,
    [...ids, ...scoped.params],
  );
  return rows.map((r) => ({
    partyId: r.party_id,
    partyTypeCode: r.party_type_code as PartyTypeCode,
    partyName: r.party_name,
    emailAddress: r.email_address,
    phoneNumber: r.phone_number,
  }));
}

export async function findAgents(
  manager: EntityManager,
  ids: readonly string[],
  scope: OfficeScope = null,
): Promise<Agent[]> {
  if (ids.length === 0) return [];
  const scoped = seenInScope('meeting_agent', 'agent_id', scope);
  const rows: { agent_id: string; first_name: string; last_name: string }[] = await query(
    manager,
    `SELECT agent_id, first_name, last_name FROM agent d
     WHERE agent_id IN (${ids.map(() => '?').join(', ')})${scoped.sql}`,
    [...ids, ...scoped.params],
  );
  return rows.map((r) => ({ agentId: r.agent_id, firstName: r.first_name, lastName: r.last_name }));
}

/** Writes parties; answers the ids of stored ones whose searchable text changed. */
export async function upsertPartyRows(
  manager: EntityManager,
  parties: readonly Party[],
  now: Date,
): Promise<string[]> {
  const at = now.toISOString();
  const texts = new Map(
    parties.map((p) => [p.partyId, searchText([p.partyName, p.emailAddress, p.phoneNumber])]),
  );
  const renamed = await changedSearchText(manager, 'party', 'party_id', texts);
  const rows = inKeyOrder(parties, (p) => p.partyId);
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    await query(
      manager,
      `INSERT INTO party (party_id, party_type_code, party_name, email_address, phone_number, search_text,
         creation_time, modification_time)
       VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
       ON CONFLICT (party_id) DO UPDATE SET party_type_code = excluded.party_type_code,
         party_name = excluded.party_name, email_address = excluded.email_address,
         phone_number = excluded.phone_number, search_text = excluded.search_text,
         modification_time = excluded.modification_time`,
      chunk.flatMap((p) => [
        p.partyId,
        p.partyTypeCode,
        p.partyName,
        p.emailAddress,
        p.phoneNumber,
        texts.get(p.partyId),
        at,
        at,
      ]),
    );
  }
  return renamed;
}

/** Writes agents; answers the ids of stored ones whose searchable text changed. */
export async function upsertAgentRows(
  manager: EntityManager,
  agents: readonly Agent[],
  now: Date,
): Promise<string[]> {
  const at = now.toISOString();
  const texts = new Map(agents.map((a) => [a.agentId, searchText([a.firstName, a.lastName])]));
  const renamed = await changedSearchText(manager, 'agent', 'agent_id', texts);
  const rows = inKeyOrder(agents, (a) => a.agentId);
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    await query(
      manager,
      `INSERT INTO agent (agent_id, first_name, last_name, search_text, creation_time, modification_time)
       VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}
       ON CONFLICT (agent_id) DO UPDATE SET first_name = excluded.first_name,
         last_name = excluded.last_name, search_text = excluded.search_text,
         modification_time = excluded.modification_time`,
      chunk.flatMap((a) => [a.agentId, a.firstName, a.lastName, texts.get(a.agentId), at, at]),
    );
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
