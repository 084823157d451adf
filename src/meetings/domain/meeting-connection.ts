import { ERROR_CODES, throwIfItems } from '../../errors';
import { Problems } from '../../validation';
import { MeetingSortField, MeetingTypeCode, SourceTypeCode, StatusCode } from './meeting-codes';
import { decodeCursor, searchFingerprint } from './meeting-cursor';
import { type CheckedSearch, SEARCH_LIMITS } from './meeting-search';
import type { Meeting, MeetingSearch, MeetingSort } from './meeting.model';

/** The arguments of meetingsConnection, and the page it answers. */

export interface ConnectionArgs {
  filter?: MeetingSearch['filter'];
  sort?: MeetingSearch['sort'];
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface MeetingConnectionPage {
  edges: { cursor: string; node: Meeting }[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
  /** The number of all matches: a statement of its own, run only when called. */
  count: () => Promise<number>;
}

/**
 * Each sort field's value in a cursor: how it is read from a meeting, and what a value of it can
 * be. A cursor's checksum is not a secret, so a remade one may carry anything: its values are
 * checked before they reach SQL.
 */
const SORT_VALUE: Record<
  MeetingSortField,
  { of: (m: Meeting) => string; valid: (value: string) => boolean }
> = {
  [MeetingSortField.VISIT_TIME]: { of: (m) => m.visitTime.toISOString(), valid: isStoredTime },
  [MeetingSortField.CREATION_TIME]: {
    of: (m) => m.creationTime.toISOString(),
    valid: isStoredTime,
  },
  [MeetingSortField.MODIFICATION_TIME]: {
    of: (m) => m.modificationTime.toISOString(),
    valid: isStoredTime,
  },
  [MeetingSortField.STATUS_CODE]: { of: (m) => m.statusCode, valid: memberOf(StatusCode) },
  [MeetingSortField.TYPE_CODE]: { of: (m) => m.typeCode, valid: memberOf(MeetingTypeCode) },
  [MeetingSortField.SOURCE_TYPE_CODE]: {
    of: (m) => m.sourceTypeCode,
    valid: memberOf(SourceTypeCode),
  },
};

const STORED_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function isStoredTime(value: string): boolean {
  const time = new Date(value);
  return !Number.isNaN(time.getTime()) && time.toISOString() === value;
}

function memberOf(codes: Record<string, string>): (value: string) => boolean {
  const members = new Set(Object.values(codes));
  return (value) => members.has(value);
}

export function cursorValues(meeting: Meeting, sort: readonly MeetingSort[]): string[] {
  return [...sort.map((s) => SORT_VALUE[s.field].of(meeting)), meeting.meetingId];
}

/** Whether a cursor's values could be a meeting's under `sort`. */
function possibleValues(values: readonly string[], sort: readonly MeetingSort[]): boolean {
  return (
    sort.every((s, i) => SORT_VALUE[s.field].valid(values[i])) &&
    STORED_ID.test(values[sort.length])
  );
}

/** first/last/after/before, all checked at once (BAD_REQUEST_PARAMETERS naming each). */
export function checkConnectionArgs(
  args: ConnectionArgs,
  checked: CheckedSearch,
): { forward: boolean; limit: number; position: string[] | null; fingerprint: string } {
  const p = new Problems();
  const { first, last, after, before } = args;
  const given = (v: unknown) => v !== undefined && v !== null;
  for (const [name, value] of [
    ['first', first],
    ['last', last],
  ] as const) {
    if (given(value) && p.integer(name, value) && (value! < 1 || value! > SEARCH_LIMITS.maxSize)) {
      p.add(name, 'INVALID_VALUE', `${name} must be from 1 to ${SEARCH_LIMITS.maxSize}`);
    }
  }
  if (given(first) && given(last)) p.add('last', 'INVALID_VALUE', 'Give first or last, not both');
  if (given(after) && given(before))
    p.add('before', 'INVALID_VALUE', 'Give after or before, not both');
  if (given(last) && given(after))
    p.add('after', 'INVALID_VALUE', 'after goes with first; last goes with before');
  if (given(first) && given(before))
    p.add('before', 'INVALID_VALUE', 'before goes with last; first goes with after');
  const forward = !given(last) && !given(before);
  const cursorName = forward ? 'after' : 'before';
  const cursor = forward ? after : before;
  const fingerprint = searchFingerprint(checked.sort, checked.filter, checked.words);
  let position: string[] | null = null;
  if (given(cursor)) {
    const decoded = decodeCursor(String(cursor), fingerprint, checked.sort.length + 1);
    if (decoded.ok && possibleValues(decoded.key.values, checked.sort)) {
      position = decoded.key.values;
    } else {
      p.add(
        cursorName,
        'INVALID_VALUE',
        !decoded.ok && decoded.reason === 'other-search'
          ? `${cursorName} was made for another sort or filter`
          : `${cursorName} is not a cursor of this connection`,
      );
    }
  }
  throwIfItems('BAD_REQUEST_PARAMETERS', ERROR_CODES.BAD_REQUEST_PARAMETERS.message, p.items);
  const limit = (forward ? first : last) ?? SEARCH_LIMITS.defaultSize;
  return { forward, limit, position, fingerprint };
}
