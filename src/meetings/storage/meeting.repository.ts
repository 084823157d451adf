import type { EntityManager } from 'typeorm';
import { dialectOf, query } from '../../db/sql';
import type { Meeting } from '../domain/meeting.model';
import { insertParticipants } from './meeting-participants';
import { REPLACED, meetingRecord } from './meeting.record';
import { addToSearchIndex, dropFromSearchIndex, refreshSearchIndex } from './meeting-search-index';
import { meetingTable } from './meeting.table';

/**
 * The writes of the meeting tables, run with the manager of the caller's transaction; each keeps
 * the free-text index in step. Reads are in meeting-reads.ts.
 */

/** Inserts a new meeting with its parties and agents. */
export async function insertMeeting(manager: EntityManager, meeting: Meeting): Promise<void> {
  const row = meetingTable.insert([meetingRecord(meeting)], {
    searchKey: meetingTable.nextSerial('searchKey', dialectOf(manager)),
  });
  await query(manager, row.sql, row.params);
  await insertParticipants(manager, meeting);
  await addToSearchIndex(manager, [meeting.meetingId]);
}

/** Replaces every editable field of a live meeting, its parties and its agents. */
export async function replaceMeeting(manager: EntityManager, meeting: Meeting): Promise<void> {
  const set = REPLACED.assignments(meetingRecord(meeting));
  await query(
    manager,
    `UPDATE meeting SET ${set.sql} WHERE meeting_id = ? AND deleted_time IS NULL`,
    [...set.params, meeting.meetingId],
  );
  await query(manager, 'DELETE FROM meeting_party WHERE meeting_id = ?', [meeting.meetingId]);
  await query(manager, 'DELETE FROM meeting_agent WHERE meeting_id = ?', [meeting.meetingId]);
  await insertParticipants(manager, meeting);
  await refreshSearchIndex(manager, [meeting.meetingId]);
}

/** Turns a meeting into a tombstone; its version goes one up, as on an update. */
export async function markDeleted(
  manager: EntityManager,
  meetingId: string,
  at: Date,
): Promise<void> {
  await dropFromSearchIndex(manager, meetingId);
  const set = meetingTable.assignments({ deletedTime: at, modificationTime: at });
  await query(
    manager,
    `UPDATE meeting SET ${set.sql}, version = version + 1 WHERE meeting_id = ? AND deleted_time IS NULL`,
    [...set.params, meetingId],
  );
}

/** Whether any meeting, live or deleted, is stored. */
export async function hasMeetings(manager: EntityManager): Promise<boolean> {
  const rows: unknown[] = await query(manager, 'SELECT 1 FROM meeting LIMIT 1');
  return rows.length > 0;
}
