import type { EntityManager } from 'typeorm';
import type { OfficeScope } from '../../auth/caller';
import { notify } from '../../db/notices';
import { dialectOf, query, scopeClause } from '../../db/sql';
import { writersHorizon } from '../../db/writers-horizon';
import type { ChangePosition, StoredMeetingChange } from '../domain/meeting-changes';
import { meetingChangeTable } from './meeting.table';

/**
 * The change feed's outbox: written in the transaction of each meeting write, read in (xact,
 * changeId) order. On PostgreSQL a reader reads only the rows of transactions older than the oldest
 * write of the gateway still running (writers-horizon.ts, read just before): all of those are
 * committed or gone, and every row that may still appear belongs to a later transaction, so it sorts
 * after any position already handed out. A transaction that took a smaller changeId and commits late is
 * therefore never skipped. On SQLite writers run one at a time, xact is 0 and changeId is the
 * commit order.
 */

const PURGE_BATCH = 100;

/**
 * The notice channel of the feed: each change sends its changeId, heard by every gateway instance
 * once the write commits (on PostgreSQL through NOTIFY, on SQLite in the process).
 */
export const MEETING_CHANGE_CHANNEL = 'meeting_change';

/**
 * Appends a change and sends its notice; purges a small batch of changes older than `purgeBefore`
 * on the way.
 */
export async function recordChange(
  manager: EntityManager,
  change: Omit<StoredMeetingChange, 'changeId' | 'xact'>,
  purgeBefore: Date,
): Promise<void> {
  await purgeChanges(manager, purgeBefore, PURGE_BATCH);
  const dialect = dialectOf(manager);
  const row = meetingChangeTable.insert([{ ...change, changeId: 0, xact: 0 }], {
    changeId: meetingChangeTable.nextSerial('changeId', dialect),
    xact: dialect === 'postgres' ? 'pg_current_xact_id()::text::bigint' : '0',
  });
  const [inserted] = await query<{ change_id: number | string }>(
    manager,
    `${row.sql} RETURNING change_id`,
    row.params,
  );
  await notify(manager, MEETING_CHANGE_CHANNEL, String(inserted.change_id));
}

/**
 * Deletes up to `batch` changes made before `before`, oldest first, but never the newest change
 * (on SQLite the next changeId is one more than the largest kept).
 */
export async function purgeChanges(
  manager: EntityManager,
  before: Date,
  batch: number,
): Promise<void> {
  await query(
    manager,
    `DELETE FROM meeting_change WHERE change_id IN (
       SELECT change_id FROM meeting_change WHERE changed_at < ?
         AND change_id < (SELECT max(change_id) FROM meeting_change)
       ORDER BY changed_at LIMIT ${batch})`,
    [before.toISOString()],
  );
}

/**
 * The condition that keeps a read below the gateway's oldest running write (writers-horizon.ts),
 * read in a statement of its own first; nothing on SQLite.
 */
async function settled(manager: EntityManager): Promise<string> {
  if (dialectOf(manager) !== 'postgres') return '';
  return ` AND xact < ${await writersHorizon(manager)}`;
}

/** The changes after `after` that a caller limited to `scope` sees (moves out included), in order. */
export async function changesAfter(
  manager: EntityManager,
  scope: OfficeScope,
  after: ChangePosition,
  limit: number,
): Promise<StoredMeetingChange[]> {
  const params: unknown[] = [after.xact, after.xact, after.changeId];
  const bind = (value: unknown) => {
    params.push(value);
    return '?';
  };
  const scoped =
    scope === null
      ? []
      : [
          `(${[...scopeClause('agency_office_id', scope, bind), ...scopeClause('previous_office_id', scope, bind)].join(' OR ')})`,
        ];
  const where = ['(xact > ? OR (xact = ? AND change_id > ?))', ...scoped].join(' AND ');
  const rows = await query(
    manager,
    `SELECT ${meetingChangeTable.all.sql()} FROM meeting_change WHERE ${where}${await settled(manager)}
     ORDER BY xact, change_id LIMIT ${limit}`,
    params,
  );
  return rows.map(meetingChangeTable.all.read);
}

/** The position of the last change readers may read now: the feed's "now". */
export async function latestPosition(manager: EntityManager): Promise<ChangePosition | null> {
  const rows = await query(
    manager,
    `SELECT xact, change_id FROM meeting_change WHERE 1 = 1${await settled(manager)}
     ORDER BY xact DESC, change_id DESC LIMIT 1`,
  );
  const row = rows[0];
  return row ? { xact: Number(row.xact), changeId: Number(row.change_id) } : null;
}
