import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { type Caller, mayAccessOffice, officeScope } from '../auth/caller';
import type { Database } from '../db/database';
import { findAgents, findParties } from '../directory/directory.repository';
import { AppError, ERROR_CODES, type ErrorItem, throwIfItems } from '../errors';
import { type IdempotencyClaim, once } from '../idempotency/idempotency';
import { Problems, inIdOrder, normalizeUuid, wellFormedIds } from '../validation';
import { mayDelete, statusViolationMessage, statusViolations } from './meeting-rules';
import { SEARCH_LIMITS, checkSearch } from './meeting-search';
import { encodeCursor } from './meeting-cursor';
import {
  type ConnectionArgs,
  type MeetingConnectionPage,
  checkConnectionArgs,
  cursorValues,
} from './meeting-connection';
import { validateMeetingDraft } from './meeting-validation';
import type { Meeting, MeetingDraft, MeetingSearch, MeetingTombstone, Page } from './meeting.model';
import {
  countMeetings,
  findMeeting,
  findMeetings,
  keysetPage,
  insertMeeting,
  listTombstones,
  markDeleted,
  replaceMeeting,
  searchMeetings,
} from './meeting.repository';

/** How a write may be limited: to the version the caller saw, to once per Idempotency-Key. */
export interface MeetingWriteOptions {
  expectedVersion?: number | null;
  idempotency?: IdempotencyClaim;
}

/**
 * The rules of the meetings domain, as the REST API applies them. Each operation checks its whole
 * input first, then reads, checks and writes inside one transaction. Every operation takes the
 * caller and is limited to the caller's offices in the same SQL statement that finds the meeting:
 * there is no unscoped way in.
 */
export class MeetingService {
  constructor(
    private readonly db: Database,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** One meeting, doorCode included. Unknown: INVALID_ID; deleted: GONE. */
  async get(caller: Caller, meetingId: string): Promise<Meeting> {
    const id = checkMeetingId(meetingId);
    return this.db.read(async (m) =>
      requireLive(await findMeeting(m, id, officeScope(caller)), id),
    );
  }

  /**
   * Meetings by id, in the order of the ids: null for an id that is unknown, deleted or outside
   * the caller's offices (for schema stitching and Relay). At most 100 ids; a malformed one is null.
   */
  async getMany(caller: Caller, meetingIds: readonly string[]): Promise<(Meeting | null)[]> {
    if (meetingIds.length > SEARCH_LIMITS.maxSize) {
      throw new AppError('BAD_REQUEST_PARAMETERS', undefined, [
        {
          target: 'meetingIds',
          errorCode: 'INVALID_VALUE',
          message: `At most ${SEARCH_LIMITS.maxSize} ids`,
        },
      ]);
    }
    const found = await this.db.read((m) =>
      findMeetings(m, wellFormedIds(meetingIds), officeScope(caller)),
    );
    return inIdOrder(meetingIds, found, (meeting) => meeting.meetingId);
  }

  /** The REST search: filters, sort, startIndex/size, and the count of all matches. */
  async search(caller: Caller, search: MeetingSearch): Promise<Page<Meeting>> {
    const checked = checkSearch(search);
    const { meetings, totalCount } = await this.db.read((m) =>
      searchMeetings(m, checked, officeScope(caller)),
    );
    return { items: meetings, totalCount };
  }

  /**
   * A Relay connection over the search: keyset cursors, forward (first/after) or backward
   * (last/before); the total is counted only if asked for.
   */
  async connection(caller: Caller, args: ConnectionArgs): Promise<MeetingConnectionPage> {
    const checked = checkSearch({ filter: args.filter, sort: args.sort });
    const { forward, limit, position, fingerprint } = checkConnectionArgs(args, checked);
    const scope = officeScope(caller);
    const rows = await this.db.read((m) =>
      keysetPage(m, checked, scope, { position, forward, limit: limit + 1 }),
    );
    const more = rows.length > limit;
    const meetings = more ? (forward ? rows.slice(0, limit) : rows.slice(1)) : rows;
    const edges = meetings.map((node) => ({
      cursor: encodeCursor({ values: cursorValues(node, checked.sort) }, fingerprint),
      node,
    }));
    return {
      edges,
      pageInfo: {
        hasNextPage: forward ? more : position !== null,
        hasPreviousPage: forward ? position !== null : more,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
      count: () => this.db.read((m) => countMeetings(m, checked, scope)),
    };
  }

  /** Deleted meetings, oldest deletion first, so a sync client can drop its copies. */
  async tombstones(
    caller: Caller,
    deletedAfter: Date | null,
    startIndex: number,
    size: number,
  ): Promise<Page<MeetingTombstone>> {
    checkSearch({ startIndex, size });
    const page = await this.db.read((m) =>
      listTombstones(m, officeScope(caller), deletedAfter, startIndex, size),
    );
    return { items: page.tombstones, totalCount: page.totalCount };
  }

  /** Creates a meeting; under an Idempotency-Key a repeat answers the meeting the first made. */
  async create(
    caller: Caller,
    draft: MeetingDraft,
    options: Pick<MeetingWriteOptions, 'idempotency'> = {},
  ): Promise<Meeting> {
    const now = this.clock();
    checkDraft(draft, now);
    checkOfficeAccess(caller, draft.agencyOfficeId);
    const meeting: Meeting = {
      ...normalizeDraft(draft),
      meetingId: randomUUID(),
      createdByName: caller.name,
      creationTime: now,
      modificationTime: now,
      version: 1,
    };
    return this.db.transaction((m) =>
      once(m, options.idempotency, now, {
        write: async () => {
          await checkDirectoryReferences(m, meeting);
          await insertMeeting(m, meeting);
          return meeting;
        },
        keep: (created) => created.meetingId,
        recall: (id) => this.reread(m, caller, id),
      }),
    );
  }

  /**
   * Replaces the whole meeting (PUT), within what its stored status allows; with `expectedVersion`,
   * only if that is still the meeting's version (CONFLICT otherwise).
   */
  async update(
    caller: Caller,
    meetingId: string,
    draft: MeetingDraft,
    options: MeetingWriteOptions = {},
  ): Promise<Meeting> {
    const id = checkMeetingId(meetingId);
    const { expectedVersion } = options;
    checkExpectedVersion(expectedVersion);
    const now = this.clock();
    checkDraft(draft, now);
    const requested = normalizeDraft(draft);
    const write = async (m: EntityManager) => {
      const stored = requireLive(
        await findMeeting(m, id, officeScope(caller), { forUpdate: true }),
        id,
      );
      requireVersion(stored, expectedVersion);
      checkOfficeAccess(caller, requested.agencyOfficeId);
      await checkDirectoryReferences(m, requested);
      const violations = statusViolations(stored, requested);
      throwIfItems(
        'INVALID_STATUS',
        statusViolationMessage(stored.statusCode, violations),
        violations,
      );
      const meeting: Meeting = {
        ...requested,
        meetingId: id,
        createdByName: stored.createdByName,
        creationTime: stored.creationTime,
        modificationTime: now,
        version: stored.version + 1,
      };
      await replaceMeeting(m, meeting);
      return meeting;
    };
    return this.db.transaction((m) =>
      once(m, options.idempotency, now, {
        write: () => write(m),
        keep: (updated) => updated.meetingId,
        recall: (kept) => this.reread(m, caller, kept),
      }),
    );
  }

  /** Deletes a WAITING meeting, keeping a tombstone; with `expectedVersion`, as update does. */
  async delete(
    caller: Caller,
    meetingId: string,
    options: MeetingWriteOptions = {},
  ): Promise<string> {
    const id = checkMeetingId(meetingId);
    const { expectedVersion } = options;
    checkExpectedVersion(expectedVersion);
    const now = this.clock();
    const write = async (m: EntityManager) => {
      const stored = requireLive(
        await findMeeting(m, id, officeScope(caller), { forUpdate: true }),
        id,
      );
      requireVersion(stored, expectedVersion);
      if (!mayDelete(stored.statusCode)) {
        throw new AppError(
          'INVALID_STATUS',
          `Meeting status ${stored.statusCode} does not allow deleting; only a WAITING meeting can be deleted`,
          [
            {
              target: 'meetingId',
              errorCode: 'INVALID_STATUS',
              message: `The meeting is ${stored.statusCode}`,
            },
          ],
        );
      }
      await markDeleted(m, id, now);
      return id;
    };
    return this.db.transaction((m) =>
      once(m, options.idempotency, now, {
        write: () => write(m),
        keep: (deleted) => deleted,
        recall: (kept) => Promise.resolve(kept),
      }),
    );
  }

  /** A replayed write's meeting, as it is now. */
  private async reread(m: EntityManager, caller: Caller, meetingId: string): Promise<Meeting> {
    return requireLive(await findMeeting(m, meetingId, officeScope(caller)), meetingId);
  }
}

function checkMeetingId(meetingId: string): string {
  const p = new Problems();
  p.uuid('meetingId', meetingId);
  throwIfItems('BAD_REQUEST_PARAMETERS', ERROR_CODES.BAD_REQUEST_PARAMETERS.message, p.items);
  return normalizeUuid(meetingId);
}

function checkExpectedVersion(expectedVersion: number | null | undefined): void {
  if (expectedVersion === undefined || expectedVersion === null || expectedVersion >= 1) return;
  throw new AppError('BAD_REQUEST_PARAMETERS', ERROR_CODES.BAD_REQUEST_PARAMETERS.message, [
    { target: 'expectedVersion', errorCode: 'INVALID_VALUE', message: 'A version is 1 or more' },
  ]);
}

/** CONFLICT when the caller expected another version than the stored one. */
function requireVersion(stored: Meeting, expectedVersion: number | null | undefined): void {
  if (expectedVersion === undefined || expectedVersion === null) return;
  if (stored.version === expectedVersion) return;
  throw new AppError(
    'CONFLICT',
    `Meeting ${stored.meetingId} is at version ${stored.version}, not ${expectedVersion}`,
    [
      {
        target: 'expectedVersion',
        errorCode: 'CONFLICT',
        message: `The current version is ${stored.version}`,
      },
    ],
  );
}

/** A meeting may only be put in an office of the caller's. */
function checkOfficeAccess(caller: Caller, officeId: string): void {
  if (!mayAccessOffice(caller, officeId)) {
    throw new AppError('UNAUTHORIZED', 'The agency office is not one of yours', [
      {
        target: 'input.agencyOfficeId',
        errorCode: 'UNAUTHORIZED',
        message: 'You may not act in this agency office',
      },
    ]);
  }
}

function requireLive(found: Awaited<ReturnType<typeof findMeeting>>, meetingId: string): Meeting {
  if (found.state === 'live') return found.meeting;
  if (found.state === 'deleted') {
    throw new AppError('GONE', `Meeting ${meetingId} has been deleted`, [
      {
        target: 'meetingId',
        errorCode: 'INVALID_ID',
        message: 'The meeting is no longer available',
      },
    ]);
  }
  throw new AppError('INVALID_ID', `Meeting ${meetingId} does not exist`, [
    { target: 'meetingId', errorCode: 'INVALID_ID', message: 'No meeting has this id' },
  ]);
}

function checkDraft(draft: MeetingDraft, now: Date): void {
  throwIfItems('BAD_REQUEST_BODY', 'Invalid meeting input', validateMeetingDraft(draft, now));
}

/** The draft as it is stored: ids in lower case, optional values null, no unknown keys. */
function normalizeDraft(
  draft: MeetingDraft,
): Omit<Meeting, 'meetingId' | 'createdByName' | 'creationTime' | 'modificationTime' | 'version'> {
  const realty = { ...draft.meetingRealty };
  return {
    typeCode: draft.typeCode,
    statusCode: draft.statusCode,
    parties: draft.parties.map((p) => ({
      partyId: normalizeUuid(p.partyId),
      partyTypeCode: p.partyTypeCode,
    })),
    realtyId: draft.realtyId ? normalizeUuid(draft.realtyId) : null,
    visitTime: new Date(draft.visitTime.getTime()),
    agencyOfficeId: normalizeUuid(draft.agencyOfficeId),
    agents: draft.agents.map((a) => ({ agentId: normalizeUuid(a.agentId) })),
    sourceTypeCode: draft.sourceTypeCode,
    meetingRealty: withoutEmpty(realty),
    priceEstimate: draft.priceEstimate
      ? { value: draft.priceEstimate.value, currencyCode: draft.priceEstimate.currencyCode }
      : null,
    notes: draft.notes ?? null,
  };
}

/** Drops undefined and null members, so the stored JSON holds only what was given. */
function withoutEmpty<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined || v === null) continue;
    out[key] = v !== null && typeof v === 'object' && !Array.isArray(v) ? withoutEmpty(v) : v;
  }
  return out as T;
}

/**
 * Every party and agent the meeting names must be known to the directory (INVALID_ID), and each
 * party must have the type the directory gives it (BAD_REQUEST_BODY).
 */
async function checkDirectoryReferences(
  m: EntityManager,
  meeting: Pick<Meeting, 'parties' | 'agents'>,
): Promise<void> {
  const parties = new Map(
    (
      await findParties(
        m,
        meeting.parties.map((p) => p.partyId),
      )
    ).map((p) => [p.partyId, p]),
  );
  const agents = new Set(
    (
      await findAgents(
        m,
        meeting.agents.map((a) => a.agentId),
      )
    ).map((a) => a.agentId),
  );
  const unknown: ErrorItem[] = [];
  const mismatched: ErrorItem[] = [];
  meeting.parties.forEach((ref, i) => {
    const party = parties.get(ref.partyId);
    if (!party) {
      unknown.push({
        target: `input.parties[${i}].partyId`,
        errorCode: 'INVALID_ID',
        message: `Party ${ref.partyId} is not in the directory`,
      });
    } else if (party.partyTypeCode !== ref.partyTypeCode) {
      mismatched.push({
        target: `input.parties[${i}].partyTypeCode`,
        errorCode: 'INVALID_VALUE',
        message: `Party ${ref.partyId} is a ${party.partyTypeCode}, not a ${ref.partyTypeCode}`,
      });
    }
  });
  meeting.agents.forEach((ref, i) => {
    if (!agents.has(ref.agentId)) {
      unknown.push({
        target: `input.agents[${i}].agentId`,
        errorCode: 'INVALID_ID',
        message: `Agent ${ref.agentId} is not in the directory`,
      });
    }
  });
  throwIfItems('INVALID_ID', 'Unknown parties or agents', unknown);
  throwIfItems('BAD_REQUEST_BODY', 'Invalid meeting input', mismatched);
}
