import { createHash } from 'node:crypto';
import { type Caller, type OfficeScope, mayAccessOffice } from '../../auth/caller';
import { AppError, type ErrorItem } from '../../errors';
import type { Meeting } from './meeting.model';

/**
 * The change feed's model and cursors, without GraphQL or SQL. A position in the feed is a pair
 * (xact, changeId): the order in which readers follow it (see meeting.table.ts). A cursor carries a
 * position and the time it was issued; a cursor issued longer ago than the feed keeps changes is
 * SYNC_CURSOR_EXPIRED.
 */

export type MeetingChangeOp = 'CREATED' | 'UPDATED' | 'DELETED';

/** A stored change, as every office sees it. */
export interface StoredMeetingChange {
  changeId: number;
  xact: number;
  meetingId: string;
  op: MeetingChangeOp;
  agencyOfficeId: string;
  /** The office before an update that moved the meeting; null otherwise. */
  previousOfficeId: string | null;
  version: number;
  changedAt: Date;
}

/** A change as one caller sees it. */
export interface SeenChange {
  op: MeetingChangeOp;
  meetingId: string;
  agencyOfficeId: string;
  version: number;
  changedAt: Date;
}

/** A change as one caller sees it, with the cursor that reads the feed after it. */
export interface MeetingChange extends SeenChange {
  cursor: string;
}

/** A change delivered live: its meeting as it is now is read once for all who get the change. */
export interface LiveMeetingChange extends MeetingChange {
  /** The meeting now, if the caller sees it; null when op is DELETED or it is gone since. */
  meetingNow(): Promise<Meeting | null>;
}

export interface ChangePosition {
  xact: number;
  changeId: number;
}

/** Before every change. */
export const FEED_START: ChangePosition = { xact: 0, changeId: 0 };

/** Feed order: negative when `a` comes before `b`. */
export function comparePositions(a: ChangePosition, b: ChangePosition): number {
  return a.xact !== b.xact ? a.xact - b.xact : a.changeId - b.changeId;
}

export const CHANGE_LIMITS = { defaultSize: 100, maxSize: 100 } as const;

/**
 * A change as a caller limited to `scope` sees it. A meeting moved out of the caller's offices is
 * DELETED for them (in the office it left); one moved into them is CREATED.
 */
export function asSeenBy(change: StoredMeetingChange, scope: OfficeScope): SeenChange {
  const { meetingId, version, changedAt } = change;
  if (scope === null || change.previousOfficeId === null) {
    return { op: change.op, meetingId, agencyOfficeId: change.agencyOfficeId, version, changedAt };
  }
  const seesNow = scope.includes(change.agencyOfficeId);
  const sawBefore = scope.includes(change.previousOfficeId);
  if (!seesNow) {
    return {
      op: 'DELETED',
      meetingId,
      agencyOfficeId: change.previousOfficeId,
      version,
      changedAt,
    };
  }
  return {
    op: sawBefore ? change.op : 'CREATED',
    meetingId,
    agencyOfficeId: change.agencyOfficeId,
    version,
    changedAt,
  };
}

const VERSION = 'c1';

/** An opaque cursor: a position and the time it was issued, with a checksum. */
export function encodeChangeCursor(position: ChangePosition, issuedAt: Date): string {
  const body = `${VERSION}.${position.xact}.${position.changeId}.${issuedAt.getTime()}`;
  return Buffer.from(`${body}.${digest(body)}`, 'utf8').toString('base64url');
}

export interface DecodedChangeCursor {
  position: ChangePosition;
  issuedAt: Date;
}

/** Reads a cursor; null when it is not one this gateway made. */
export function decodeChangeCursor(cursor: string): DecodedChangeCursor | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return null;
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split('.');
  if (parts.length !== 5 || parts[0] !== VERSION) return null;
  if (digest(parts.slice(0, 4).join('.')) !== parts[4]) return null;
  const [xact, changeId, issued] = parts
    .slice(1, 4)
    .map((p) => (/^\d{1,16}$/.test(p) ? Number(p) : NaN));
  if (![xact, changeId, issued].every(Number.isSafeInteger)) return null;
  return { position: { xact, changeId }, issuedAt: new Date(issued) };
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 12);
}

export interface ChangeArgs {
  after?: string | null;
  first?: number | null;
}

/**
 * Checks meetingChanges' arguments: `first` 1..100, `after` a cursor of this feed that has not
 * expired. Null `after` starts at the oldest change the feed keeps.
 */
export function checkChangeArgs(
  args: ChangeArgs,
  now: Date,
  retentionMs: number,
): { position: ChangePosition; limit: number } {
  const limit = args.first ?? CHANGE_LIMITS.defaultSize;
  if (!Number.isInteger(limit) || limit < 1 || limit > CHANGE_LIMITS.maxSize) {
    throw new AppError('BAD_REQUEST_PARAMETERS', undefined, [
      {
        target: 'first',
        errorCode: 'INVALID_VALUE',
        message: `first must be between 1 and ${CHANGE_LIMITS.maxSize}`,
      },
    ]);
  }
  if (args.after === null || args.after === undefined) return { position: FEED_START, limit };
  const decoded = decodeChangeCursor(args.after);
  if (!decoded) {
    throw new AppError('BAD_REQUEST_PARAMETERS', undefined, [
      { target: 'after', errorCode: 'INVALID_VALUE', message: 'Not a cursor of meetingChanges' },
    ]);
  }
  if (decoded.issuedAt.getTime() < now.getTime() - retentionMs) {
    throw new AppError(
      'SYNC_CURSOR_EXPIRED',
      `The cursor is older than the ${Math.round(retentionMs / 86_400_000)} days the change feed keeps; resync from scratch`,
      [{ target: 'after', errorCode: 'INVALID_VALUE', message: 'The cursor has expired' }],
    );
  }
  return { position: decoded.position, limit };
}

export interface WatchArgs {
  agencyOfficeIds?: readonly string[] | null;
  after?: string | null;
}

/** Offices a subscription may name at most. */
export const WATCH_OFFICES_MAX = 100;

/**
 * Checks meetingChanged's arguments: `agencyOfficeIds` (when given) 1 to 100 offices of the
 * caller's, `after` a cursor of the feed that has not expired (null: from now).
 */
export function checkWatchArgs(
  caller: Caller,
  args: WatchArgs,
  now: Date,
  retentionMs: number,
): { offices: string[] | null; position: ChangePosition | null } {
  let offices: string[] | null = null;
  if (args.agencyOfficeIds !== null && args.agencyOfficeIds !== undefined) {
    const count = args.agencyOfficeIds.length;
    if (count < 1 || count > WATCH_OFFICES_MAX) {
      throw new AppError('BAD_REQUEST_PARAMETERS', undefined, [
        {
          target: 'agencyOfficeIds',
          errorCode: 'INVALID_VALUE',
          message: `Name 1 to ${WATCH_OFFICES_MAX} agency offices, or leave agencyOfficeIds out for all of yours`,
        },
      ]);
    }
    offices = [...new Set(args.agencyOfficeIds.map((id) => id.toLowerCase()))];
    const refused: ErrorItem[] = args.agencyOfficeIds.flatMap((id, i) =>
      mayAccessOffice(caller, id)
        ? []
        : [
            {
              target: `agencyOfficeIds[${i}]`,
              errorCode: 'UNAUTHORIZED' as const,
              message: 'You may not follow this agency office',
            },
          ],
    );
    if (refused.length > 0) {
      throw new AppError('UNAUTHORIZED', 'An agency office is not one of yours', refused);
    }
  }
  if (args.after === null || args.after === undefined) return { offices, position: null };
  const { position } = checkChangeArgs({ after: args.after }, now, retentionMs);
  return { offices, position };
}
