import type { OfficeScope } from '../../auth/caller';
import type { Database } from '../../db/database';
import { changesAfter } from '../storage/meeting-changes';
import { type ChangeWatcher, type MeetingChangeHub, inScope } from './meeting-change-hub';
import {
  type ChangePosition,
  FEED_START,
  type StoredMeetingChange,
  comparePositions,
} from './meeting-changes';

/** Changes read from the feed at a time while a stream catches up. */
const REPLAY_PAGE = 100;
/**
 * Live changes a stream holds for a slow consumer at most; beyond, it drops them and reads the feed
 * again from the last change it handed out.
 */
const LIVE_BUFFER_LIMIT = 1000;

/**
 * One subscriber's changes, in feed order, limited to a scope: from a position (reading the feed
 * until caught up, then live) or from now (live at once). Ends when its consumer returns it.
 */
export class ChangeStream<T> implements AsyncIterableIterator<T>, ChangeWatcher {
  private buffer: StoredMeetingChange[] = [];
  private live = false;
  private ended = false;
  /** The last change queued or read: what comes next is after it. */
  private last: ChangePosition;
  /** The last change handed to the consumer. */
  private handedOut: ChangePosition;
  private wakeConsumer: (() => void) | null = null;

  constructor(
    private readonly hub: MeetingChangeHub,
    private readonly db: Database,
    private readonly scope: OfficeScope,
    from: ChangePosition,
    private readonly present: (change: StoredMeetingChange) => T,
    private readonly bufferLimit = LIVE_BUFFER_LIMIT,
  ) {
    this.last = from;
    this.handedOut = from;
  }

  /** A stream of what commits from now on: live once this resolves. */
  static async fromNow<T>(
    hub: MeetingChangeHub,
    db: Database,
    scope: OfficeScope,
    present: (change: StoredMeetingChange) => T,
    bufferLimit = LIVE_BUFFER_LIMIT,
  ): Promise<ChangeStream<T>> {
    const stream = new ChangeStream(hub, db, scope, FEED_START, present, bufferLimit);
    await hub.exclusive(async (join) => {
      stream.last = stream.handedOut = await hub.present();
      stream.live = true;
      join();
    }, stream);
    return stream;
  }

  deliver(change: StoredMeetingChange): void {
    if (this.ended || !this.live) return;
    if (comparePositions(change, this.last) <= 0 || !inScope(change, this.scope)) return;
    this.last = change;
    this.buffer.push(change);
    if (this.buffer.length > this.bufferLimit) {
      // Too far behind: read the feed again from what was handed out, a page at a time.
      this.hub.leave(this);
      this.live = false;
      this.buffer = [];
      this.last = this.handedOut;
    }
    this.wakeConsumer?.();
  }

  async next(): Promise<IteratorResult<T>> {
    for (;;) {
      if (this.ended) return { done: true, value: undefined };
      const change = this.buffer.shift();
      if (change) {
        this.handedOut = change;
        return { done: false, value: this.present(change) };
      }
      if (!this.live) {
        await this.readPage();
        continue;
      }
      await new Promise<void>((resolve) => {
        this.wakeConsumer = resolve;
      });
      this.wakeConsumer = null;
    }
  }

  /**
   * Reads the next page of the feed after the last change; a short page means caught up, and the
   * stream joins the live changes in the same step (between two reads of the hub).
   */
  private async readPage(): Promise<void> {
    await this.hub.exclusive(async (join) => {
      if (this.ended) return;
      // The hub's position first: whatever commits after this read, the hub reads after it.
      await this.hub.present();
      const rows = await this.db.read((m) => changesAfter(m, this.scope, this.last, REPLAY_PAGE));
      this.buffer.push(...rows);
      if (rows.length > 0) this.last = rows[rows.length - 1];
      if (rows.length < REPLAY_PAGE) {
        this.live = true;
        join();
      }
    }, this);
  }

  async return(): Promise<IteratorResult<T>> {
    this.end();
    return { done: true, value: undefined };
  }

  /** Ends the stream: the consumer's next read is done. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.buffer = [];
    this.hub.leave(this);
    this.wakeConsumer?.();
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
