import type { EntityManager } from 'typeorm';
import { type Caller, type OfficeScope, officeScope } from '../../auth/caller';
import type { Database } from '../../db/database';
import type { Logger } from '../../logger';
import { changesAfter, latestPosition, recordChange } from '../storage/meeting-changes';
import { findMeetings } from '../storage/meeting-reads';
import { MeetingChangeHub } from './meeting-change-hub';
import { ChangeStream } from './meeting-change-stream';
import {
  type ChangeArgs,
  FEED_START,
  type LiveMeetingChange,
  type MeetingChange,
  type StoredMeetingChange,
  type WatchArgs,
  asSeenBy,
  checkChangeArgs,
  checkWatchArgs,
  encodeChangeCursor,
} from './meeting-changes';
import type { Meeting } from './meeting.model';

/** A page of the change feed, as one caller sees it. */
export interface MeetingChangePage {
  edges: { cursor: string; node: MeetingChange }[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

const DAY_MS = 86_400_000;
/**
 * Changes are purged this long after the retention: longer than any write transaction runs, so a
 * cursor that has not expired never points before a purged change it has not seen.
 */
const PURGE_GRACE_MS = 3_600_000;

/** How long the feed keeps changes, and how often a live instance looks for changes unannounced. */
export interface ChangeFeedSettings {
  retentionDays: number;
  /** 0: only when told (SQLite, where every write is this process's). */
  pollIntervalMs: number;
}

/**
 * The change feed of meetings: every create, update and delete, appended in the write's own
 * transaction, read in order and limited to a caller's offices, by pages or live. Kept for
 * `retentionDays`.
 */
export class MeetingChangeFeed {
  private readonly hub: MeetingChangeHub;
  /** The meeting of a change as it is now, read once for every watcher the change goes to. */
  private readonly meetingsNow = new WeakMap<StoredMeetingChange, Promise<Meeting | null>>();

  constructor(
    private readonly db: Database,
    private readonly clock: () => Date,
    private readonly settings: ChangeFeedSettings,
    log?: Logger,
  ) {
    this.hub = new MeetingChangeHub(db, settings.pollIntervalMs, log);
  }

  /**
   * The change feed after a cursor, in order, limited to the caller's offices: a meeting moved out
   * of them is DELETED, one moved into them CREATED. An empty page's endCursor is `after` issued
   * anew, so that a client that polls keeps a cursor that does not expire.
   */
  async changes(caller: Caller, args: ChangeArgs): Promise<MeetingChangePage> {
    const now = this.clock();
    const { position, limit } = checkChangeArgs(args, now, this.retentionMs());
    const scope = officeScope(caller);
    const rows = await this.db.read((m) => changesAfter(m, scope, position, limit + 1));
    const more = rows.length > limit;
    const edges = rows.slice(0, limit).map((row) => {
      const cursor = encodeChangeCursor(row, now);
      return { cursor, node: { ...asSeenBy(row, scope), cursor } };
    });
    return {
      edges,
      pageInfo: {
        hasNextPage: more,
        hasPreviousPage: position !== FEED_START,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? encodeChangeCursor(position, now),
      },
    };
  }

  /** A cursor at the feed's present: meetingChanges after it answers the changes from now on. */
  async latestChangeCursor(): Promise<string> {
    const now = this.clock();
    const position = await this.db.read((m) => latestPosition(m));
    return encodeChangeCursor(position ?? FEED_START, now);
  }

  /**
   * The caller's changes as they commit, limited to `agencyOfficeIds` when given: from now, or
   * after a cursor (the feed first, then live, nothing skipped or repeated). Each carries its own
   * cursor, to resume from after a lost connection.
   */
  async watch(caller: Caller, args: WatchArgs): Promise<AsyncIterableIterator<LiveMeetingChange>> {
    const { offices, position } = checkWatchArgs(caller, args, this.clock(), this.retentionMs());
    const callerScope = officeScope(caller);
    const scope: OfficeScope = offices ?? callerScope;
    const present = (row: StoredMeetingChange): LiveMeetingChange => {
      const change = { ...asSeenBy(row, scope), cursor: encodeChangeCursor(row, this.clock()) };
      return {
        ...change,
        meetingNow: async () => {
          if (change.op === 'DELETED') return null;
          const meeting = await this.meetingNow(row);
          return meeting && (callerScope === null || callerScope.includes(meeting.agencyOfficeId))
            ? meeting
            : null;
        },
      };
    };
    return position === null
      ? ChangeStream.fromNow(this.hub, this.db, scope, present)
      : new ChangeStream(this.hub, this.db, scope, position, present);
  }

  /** How many watch the feed in this instance now. */
  get watcherCount(): number {
    return this.hub.watcherCount;
  }

  /** Stops the live side: no more reads after the one running. */
  stopWatching(): Promise<void> {
    return this.hub.stop();
  }

  private meetingNow(row: StoredMeetingChange): Promise<Meeting | null> {
    let found = this.meetingsNow.get(row);
    if (!found) {
      found = this.db
        .read((m) => findMeetings(m, [row.meetingId], null))
        .then((meetings) => meetings[0] ?? null);
      this.meetingsNow.set(row, found);
    }
    return found;
  }

  private retentionMs(): number {
    return this.settings.retentionDays * DAY_MS;
  }

  /** Appends a change to the feed, in the write's transaction (and purges a few expired ones). */
  record(m: EntityManager, change: Omit<StoredMeetingChange, 'changeId' | 'xact'>): Promise<void> {
    const purgeBefore = new Date(change.changedAt.getTime() - this.retentionMs() - PURGE_GRACE_MS);
    return recordChange(m, change, purgeBefore);
  }
}
