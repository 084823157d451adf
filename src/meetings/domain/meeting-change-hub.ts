import type { OfficeScope } from '../../auth/caller';
import type { Database } from '../../db/database';
import type { Logger } from '../../logger';
import { loggableError } from '../../logger';
import { MEETING_CHANGE_CHANNEL, changesAfter, latestPosition } from '../storage/meeting-changes';
import {
  type ChangePosition,
  FEED_START,
  type StoredMeetingChange,
  comparePositions,
} from './meeting-changes';

/**
 * The live side of the change feed, one per gateway instance: while anyone watches, it follows the
 * feed (every office) after the last change it delivered, woken by the notices of committed writes
 * (across instances on PostgreSQL) and, on PostgreSQL, by a periodic poll as well: a notice is only
 * a hint, and a change that another open transaction keeps unreadable (see meeting-changes.ts in
 * storage) becomes readable without a notice of its own when that transaction ends. Reads are one
 * at a time; each change read is handed to every watcher, which keeps what its caller may see.
 *
 * A watcher that starts from a cursor first reads the feed itself (its own scope, a page at a time,
 * as it is consumed) and joins the live changes in the same step as it finds itself caught up, so
 * that nothing falls between the two. A watcher that falls too far behind goes back to reading the
 * feed from the last change it handed out: memory stays bounded and nothing is lost.
 */

const READ_BATCH = 500;

/** Who follows the live changes. */
export interface ChangeWatcher {
  /** A change read by the hub, in feed order. */
  deliver(change: StoredMeetingChange): void;
}

export class MeetingChangeHub {
  private readonly watchers = new Set<ChangeWatcher>();
  /** The last change handed to the watchers; stale once nobody watches (see present()). */
  private position: ChangePosition | null = null;
  /** Reads and joins, one at a time. */
  private chain: Promise<void> = Promise.resolve();
  private readQueued = false;
  private unlisten: (() => void) | null = null;
  private poll: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly db: Database,
    private readonly pollIntervalMs: number,
    private readonly log: Logger | undefined,
  ) {}

  /** How many watch now. */
  get watcherCount(): number {
    return this.watchers.size;
  }

  /**
   * Runs `step` between two reads of the hub; `join` (called inside it) adds the watcher, which
   * gets every change read after the step.
   */
  exclusive<T>(step: (join: () => void) => Promise<T>, watcher: ChangeWatcher): Promise<T> {
    const run = this.chain.then(async () => {
      if (this.stopped) throw new Error('The change feed is stopping');
      return step(() => this.join(watcher));
    });
    this.chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private join(watcher: ChangeWatcher): void {
    // The joining step asked for present() first: the hub has a position to read after.
    if (this.position === null) throw new Error('A watcher joined before the hub had a position');
    this.watchers.add(watcher);
    this.unlisten ??= this.db.notices.listen(MEETING_CHANGE_CHANNEL, () => this.wake());
    if (this.pollIntervalMs > 0 && !this.poll) {
      this.poll = setInterval(() => this.wake(), this.pollIntervalMs);
      this.poll.unref();
    }
  }

  /** Removes a watcher; the last one out stops the polling (present() reads the position anew). */
  leave(watcher: ChangeWatcher): void {
    if (!this.watchers.delete(watcher) || this.watchers.size > 0) return;
    if (this.poll) clearInterval(this.poll);
    this.poll = null;
  }

  /**
   * The last position the hub handed out; read from the feed when nobody watches (a position kept
   * without watchers is stale: nothing was read after it). Inside a joining step, what a watcher
   * joining now gets is what commits after it.
   */
  async present(): Promise<ChangePosition> {
    if (this.position !== null && this.watchers.size > 0) return this.position;
    const position = (await this.db.read((m) => latestPosition(m))) ?? FEED_START;
    this.position = position;
    return position;
  }

  /** Reads what committed since the last read (once more if asked again meanwhile). */
  wake(): void {
    if (this.readQueued || this.stopped) return;
    this.readQueued = true;
    this.chain = this.chain.then(async () => {
      this.readQueued = false;
      try {
        await this.readNew();
      } catch (error) {
        // The next notice or poll tries again from the same position.
        this.log?.warn({ err: loggableError(error) }, 'reading the change feed failed');
      }
    });
  }

  private async readNew(): Promise<void> {
    for (;;) {
      const from = this.position;
      if (from === null || this.watchers.size === 0) return;
      const rows = await this.db.read((m) => changesAfter(m, null, from, READ_BATCH));
      for (const row of rows) {
        if (comparePositions(row, from) <= 0) continue;
        this.position = { xact: row.xact, changeId: row.changeId };
        for (const watcher of this.watchers) watcher.deliver(row);
      }
      if (rows.length < READ_BATCH) return;
    }
  }

  /** Stops following the feed; watchers are ended by their owners. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.poll) clearInterval(this.poll);
    this.poll = null;
    this.unlisten?.();
    this.unlisten = null;
    await this.chain;
  }
}

/** Whether a caller limited to `scope` sees a change (moves out of the scope included). */
export function inScope(change: StoredMeetingChange, scope: OfficeScope): boolean {
  return (
    scope === null ||
    scope.includes(change.agencyOfficeId) ||
    (change.previousOfficeId !== null && scope.includes(change.previousOfficeId))
  );
}
