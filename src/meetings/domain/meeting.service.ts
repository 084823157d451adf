import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { type Caller, officeScope } from '../../auth/caller';
import type { Database } from '../../db/database';
import type { Logger } from '../../logger';
import type { DirectoryService } from '../../directory/domain/directory.service';
import { AppError, throwIfItems } from '../../errors';
import { type IdempotencyClaim, once } from '../../idempotency/idempotency';
import { inIdOrder, wellFormedIds } from '../../validation';
import {
  checkDirectoryReferences,
  checkDraft,
  checkExpectedVersion,
  checkMeetingId,
  checkOfficeAccess,
  normalizeDraft,
  requireLive,
  requireVersion,
} from './meeting-checks';
import { mayDelete, statusViolationMessage, statusViolations } from './meeting-rules';
import { SEARCH_LIMITS, checkSearch } from './meeting-search';
import { encodeCursor } from './meeting-cursor';
import {
  type ConnectionArgs,
  type MeetingConnectionPage,
  checkConnectionArgs,
  cursorValues,
} from './meeting-connection';
import type {
  Meeting,
  MeetingDraft,
  MeetingSearch,
  MeetingTombstone,
  Page,
  SearchPage,
} from './meeting.model';
import { countMeetings } from '../storage/meeting-counts';
import {
  findMeeting,
  findMeetings,
  keysetPage,
  listTombstones,
  searchMeetings,
} from '../storage/meeting-reads';
import { insertMeeting, markDeleted, replaceMeeting } from '../storage/meeting.repository';
import type { ChangeArgs, LiveMeetingChange, WatchArgs } from './meeting-changes';
import {
  type ChangeFeedSettings,
  MeetingChangeFeed,
  type MeetingChangePage,
} from './meeting-change-feed';
import { refreshSearchIndexOfParticipants } from '../storage/meeting-search-index';

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
  private readonly feed: MeetingChangeFeed;

  constructor(
    private readonly db: Database,
    private readonly directory: DirectoryService,
    private readonly clock: () => Date = () => new Date(),
    changeFeed: ChangeFeedSettings = { retentionDays: 30, pollIntervalMs: 0 },
    log?: Logger,
  ) {
    this.feed = new MeetingChangeFeed(db, clock, changeFeed, log);
    // A meeting is found by its parties' and agents' names: a rename re-indexes their meetings.
    directory.onChange((m, change) => refreshSearchIndexOfParticipants(m, change.kind, change.ids));
  }

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

  /**
   * The REST search: filters, sort, startIndex/size; the count of all matches is a statement of
   * its own, run only when called (and not at all when the page tells it).
   */
  async search(caller: Caller, search: MeetingSearch): Promise<SearchPage<Meeting>> {
    const checked = checkSearch(search);
    const scope = officeScope(caller);
    const { meetings, total, words } = await this.db.read((m) => searchMeetings(m, checked, scope));
    return {
      items: meetings,
      count: () =>
        total !== null
          ? Promise.resolve(total)
          : this.db.read((m) => countMeetings(m, checked, scope, words)),
    };
  }

  /**
   * A Relay connection over the search: keyset cursors, forward (first/after) or backward
   * (last/before); the total is counted only if asked for.
   */
  async connection(caller: Caller, args: ConnectionArgs): Promise<MeetingConnectionPage> {
    const checked = checkSearch({ filter: args.filter, sort: args.sort });
    const { forward, limit, position, fingerprint } = checkConnectionArgs(args, checked);
    const scope = officeScope(caller);
    const { meetings: rows, words } = await this.db.read((m) =>
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
      count: () => this.db.read((m) => countMeetings(m, checked, scope, words)),
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

  /** The change feed after a cursor, limited to the caller's offices (see MeetingChangeFeed). */
  changes(caller: Caller, args: ChangeArgs): Promise<MeetingChangePage> {
    return this.feed.changes(caller, args);
  }

  /** The caller's changes as they commit (see MeetingChangeFeed.watch). */
  watchChanges(caller: Caller, args: WatchArgs): Promise<AsyncIterableIterator<LiveMeetingChange>> {
    return this.feed.watch(caller, args);
  }

  /** How many subscriptions follow the change feed in this instance. */
  get changeWatchers(): number {
    return this.feed.watcherCount;
  }

  /** Stops delivering live changes (the gateway is stopping). */
  stopWatching(): Promise<void> {
    return this.feed.stopWatching();
  }

  /** A cursor at the feed's present. */
  latestChangeCursor(): Promise<string> {
    return this.feed.latestChangeCursor();
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
          await checkDirectoryReferences(m, this.directory, meeting);
          await insertMeeting(m, meeting);
          await this.feed.record(m, {
            op: 'CREATED',
            meetingId: meeting.meetingId,
            agencyOfficeId: meeting.agencyOfficeId,
            previousOfficeId: null,
            version: meeting.version,
            changedAt: now,
          });
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
      await checkDirectoryReferences(m, this.directory, requested);
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
      await this.feed.record(m, {
        op: 'UPDATED',
        meetingId: id,
        agencyOfficeId: meeting.agencyOfficeId,
        previousOfficeId:
          stored.agencyOfficeId === meeting.agencyOfficeId ? null : stored.agencyOfficeId,
        version: meeting.version,
        changedAt: now,
      });
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
      await this.feed.record(m, {
        op: 'DELETED',
        meetingId: id,
        agencyOfficeId: stored.agencyOfficeId,
        previousOfficeId: null,
        version: stored.version + 1,
        changedAt: now,
      });
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
