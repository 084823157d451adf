import type { EntityManager } from 'typeorm';
import { type Caller, officeScope } from '../../auth/caller';
import type { Database } from '../../db/database';
import { changesAfter, latestPosition, recordChange } from '../storage/meeting-changes';
import {
  type ChangeArgs,
  FEED_START,
  type MeetingChange,
  type StoredMeetingChange,
  asSeenBy,
  checkChangeArgs,
  encodeChangeCursor,
} from './meeting-changes';

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

/**
 * The change feed of meetings: every create, update and delete, appended in the write's own
 * transaction, read in order and limited to a caller's offices. Kept for `changeRetentionDays`.
 */
export class MeetingChangeFeed {
  constructor(
    private readonly db: Database,
    private readonly clock: () => Date,
    private readonly changeRetentionDays: number,
  ) {}

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
    const edges = rows.slice(0, limit).map((row) => ({
      cursor: encodeChangeCursor(row, now),
      node: asSeenBy(row, scope),
    }));
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

  private retentionMs(): number {
    return this.changeRetentionDays * DAY_MS;
  }

  /** Appends a change to the feed, in the write's transaction (and purges a few expired ones). */
  record(m: EntityManager, change: Omit<StoredMeetingChange, 'changeId' | 'xact'>): Promise<void> {
    const purgeBefore = new Date(change.changedAt.getTime() - this.retentionMs() - PURGE_GRACE_MS);
    return recordChange(m, change, purgeBefore);
  }
}
