import { isEmail } from 'class-validator';
import type { EntityManager } from 'typeorm';
import { type Caller, officeScope } from '../../auth/caller';
import type { Database } from '../../db/database';
import { AppError, throwIfItems } from '../../errors';
import { type IdempotencyClaim, once } from '../../idempotency/idempotency';
import { PartyTypeCode } from './directory.model';
import { Problems, inIdOrder, normalizeUuid, wellFormedIds } from '../../validation';
import type { Agent, Party } from './directory.model';
import {
  findAgents,
  findParties,
  upsertAgentRows,
  upsertPartyRows,
} from '../storage/directory.repository';

export const DIRECTORY_LIMITS = { rowsPerCall: 1000, name: 255, email: 255, phone: 64 } as const;

const PHONE = /^\+?[0-9][0-9 ()-]*$/;

/** Parties or agents whose searchable text (names, e-mail, phone) an upsert changed. */
export interface DirectoryChange {
  kind: 'party' | 'agent';
  ids: readonly string[];
}

/** Told of every such change inside the upsert's transaction, with its manager. */
export type DirectoryListener = (manager: EntityManager, change: DirectoryChange) => Promise<void>;

/** The directory of parties and agents that meetings refer to: looked up, and kept by operators. */
export class DirectoryService {
  private readonly listeners: DirectoryListener[] = [];

  constructor(
    private readonly db: Database,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Adds a listener of directory changes (the meetings' free-text index keeps names in it). */
  onChange(listener: DirectoryListener): void {
    this.listeners.push(listener);
  }

  /**
   * The parties and agents among these ids that the directory knows, read with the manager of the
   * caller's transaction: what a meeting being written may refer to.
   */
  async known(
    manager: EntityManager,
    partyIds: readonly string[],
    agentIds: readonly string[],
  ): Promise<{ parties: Party[]; agents: Agent[] }> {
    return {
      parties: await findParties(manager, partyIds),
      agents: await findAgents(manager, agentIds),
    };
  }

  /** Parties by id, in the order of `ids`; null for an id the directory does not know. */
  async partiesByIds(ids: readonly string[]): Promise<(Party | null)[]> {
    const found = await this.db.read((m) => findParties(m, wellFormedIds(ids)));
    return inIdOrder(ids, found, (p) => p.partyId);
  }

  /** Agents by id, in the order of `ids`; null for an id the directory does not know. */
  async agentsByIds(ids: readonly string[]): Promise<(Agent | null)[]> {
    const found = await this.db.read((m) => findAgents(m, wellFormedIds(ids)));
    return inIdOrder(ids, found, (a) => a.agentId);
  }

  /**
   * Parties by id for a caller (federation entity references): an admin sees every party, anyone
   * else only the parties of live meetings in their offices; null otherwise and for a malformed id.
   */
  async partiesFor(caller: Caller, ids: readonly string[]): Promise<(Party | null)[]> {
    const found = await this.db.read((m) =>
      findParties(m, wellFormedIds(ids), officeScope(caller)),
    );
    return inIdOrder(ids, found, (p) => p.partyId);
  }

  /** Agents by id for a caller, scoped as partiesFor. */
  async agentsFor(caller: Caller, ids: readonly string[]): Promise<(Agent | null)[]> {
    const found = await this.db.read((m) => findAgents(m, wellFormedIds(ids), officeScope(caller)));
    return inIdOrder(ids, found, (a) => a.agentId);
  }

  private async changed(m: EntityManager, kind: DirectoryChange['kind'], ids: string[]) {
    if (ids.length === 0) return;
    for (const listener of this.listeners) await listener(m, { kind, ids });
  }

  /** Creates or replaces parties by partyId, all or none. */
  async upsertParties(
    caller: Caller,
    input: readonly Party[],
    idempotency?: IdempotencyClaim,
  ): Promise<Party[]> {
    requireAdmin(caller);
    const p = new Problems();
    checkBatch(p, input);
    const seen = new Set<string>();
    input.forEach((party, i) => {
      const at = `input[${i}]`;
      if (p.required(`${at}.partyId`, party.partyId) && p.uuid(`${at}.partyId`, party.partyId)) {
        unique(p, seen, `${at}.partyId`, party.partyId);
      }
      if (p.required(`${at}.partyTypeCode`, party.partyTypeCode)) {
        p.oneOf(`${at}.partyTypeCode`, party.partyTypeCode, PartyTypeCode);
      }
      if (p.required(`${at}.partyName`, party.partyName)) {
        p.text(`${at}.partyName`, party.partyName, DIRECTORY_LIMITS.name);
      }
      if (
        party.emailAddress != null &&
        p.text(`${at}.emailAddress`, party.emailAddress, DIRECTORY_LIMITS.email)
      ) {
        if (!isEmail(party.emailAddress))
          p.add(`${at}.emailAddress`, 'INVALID_VALUE', 'emailAddress must be an e-mail address');
      }
      if (
        party.phoneNumber != null &&
        p.text(`${at}.phoneNumber`, party.phoneNumber, DIRECTORY_LIMITS.phone)
      ) {
        if (!PHONE.test(party.phoneNumber))
          p.add(
            `${at}.phoneNumber`,
            'INVALID_VALUE',
            'phoneNumber may hold digits, spaces, ( ) - and a leading +',
          );
      }
    });
    throwIfItems('BAD_REQUEST_BODY', 'Invalid parties', p.items);

    const parties = input.map((party) => ({
      partyId: normalizeUuid(party.partyId),
      partyTypeCode: party.partyTypeCode,
      partyName: party.partyName.trim(),
      emailAddress: party.emailAddress ?? null,
      phoneNumber: party.phoneNumber ?? null,
    }));
    const now = this.clock();
    return this.db.transaction((m) =>
      once(m, idempotency, now, {
        write: async () => {
          await this.changed(m, 'party', await upsertPartyRows(m, parties, now));
          return parties;
        },
        keep: (rows) => rows.map((r) => r.partyId),
        recall: async (ids) => present(inIdOrder(ids, await findParties(m, ids), (r) => r.partyId)),
      }),
    );
  }

  /** Creates or replaces agents by agentId, all or none. */
  async upsertAgents(
    caller: Caller,
    input: readonly Agent[],
    idempotency?: IdempotencyClaim,
  ): Promise<Agent[]> {
    requireAdmin(caller);
    const p = new Problems();
    checkBatch(p, input);
    const seen = new Set<string>();
    input.forEach((agent, i) => {
      const at = `input[${i}]`;
      if (p.required(`${at}.agentId`, agent.agentId) && p.uuid(`${at}.agentId`, agent.agentId)) {
        unique(p, seen, `${at}.agentId`, agent.agentId);
      }
      if (p.required(`${at}.firstName`, agent.firstName))
        p.text(`${at}.firstName`, agent.firstName, DIRECTORY_LIMITS.name);
      if (p.required(`${at}.lastName`, agent.lastName))
        p.text(`${at}.lastName`, agent.lastName, DIRECTORY_LIMITS.name);
    });
    throwIfItems('BAD_REQUEST_BODY', 'Invalid agents', p.items);

    const agents = input.map((agent) => ({
      agentId: normalizeUuid(agent.agentId),
      firstName: agent.firstName.trim(),
      lastName: agent.lastName.trim(),
    }));
    const now = this.clock();
    return this.db.transaction((m) =>
      once(m, idempotency, now, {
        write: async () => {
          await this.changed(m, 'agent', await upsertAgentRows(m, agents, now));
          return agents;
        },
        keep: (rows) => rows.map((r) => r.agentId),
        recall: async (ids) => present(inIdOrder(ids, await findAgents(m, ids), (r) => r.agentId)),
      }),
    );
  }
}

/** Directory rows are never removed: a replayed upsert finds every row it wrote. */
function present<T>(rows: (T | null)[]): T[] {
  return rows.filter((row): row is T => row !== null);
}

function requireAdmin(caller: Caller): void {
  if (!caller.admin) {
    throw new AppError('UNAUTHORIZED', 'Directory upkeep needs the admin role', [
      {
        target: 'input',
        errorCode: 'UNAUTHORIZED',
        message: 'Only an admin may change the directory',
      },
    ]);
  }
}

function checkBatch(p: Problems, input: readonly unknown[]): void {
  if (input.length === 0) p.add('input', 'VALUE_REQUIRED', 'input must hold at least one row');
  if (input.length > DIRECTORY_LIMITS.rowsPerCall) {
    throw new AppError('BAD_REQUEST_BODY', 'Too many rows', [
      {
        target: 'input',
        errorCode: 'INVALID_VALUE',
        message: `input can hold at most ${DIRECTORY_LIMITS.rowsPerCall} rows a call`,
      },
    ]);
  }
}

function unique(p: Problems, seen: Set<string>, target: string, id: string): void {
  const key = normalizeUuid(id);
  if (seen.has(key)) p.add(target, 'INVALID_VALUE', `The id ${key} is listed twice`);
  seen.add(key);
}
