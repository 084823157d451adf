import { ERROR_CODES, throwIfItems } from '../errors';
import { Problems } from '../validation';
import { MeetingSortField } from './meeting-codes';
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

const SORT_VALUE: Record<MeetingSortField, (m: Meeting) => string> = {
  [MeetingSortField.VISIT_TIME]: (m) => m.visitTime.toISOString(),
  [MeetingSortField.CREATION_TIME]: (m) => m.creationTime.toISOString(),
  [MeetingSortField.MODIFICATION_TIME]: (m) => m.modificationTime.toISOString(),
  [MeetingSortField.STATUS_CODE]: (m) => m.statusCode,
  [MeetingSortField.TYPE_CODE]: (m) => m.typeCode,
  [MeetingSortField.SOURCE_TYPE_CODE]: (m) => m.sourceTypeCode,
};

export function cursorValues(meeting: Meeting, sort: readonly MeetingSort[]): string[] {
  return [...sort.map((s) => SORT_VALUE[s.field](meeting)), meeting.meetingId];
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
    if (decoded.ok) position = decoded.key.values;
    else {
      p.add(
        cursorName,
        'INVALID_VALUE',
        decoded.reason === 'other-search'
          ? `${cursorName} was made for another sort or filter`
          : `${cursorName} is not a cursor of this connection`,
      );
    }
  }
  throwIfItems('BAD_REQUEST_PARAMETERS', ERROR_CODES.BAD_REQUEST_PARAMETERS.message, p.items);
  const limit = (forward ? first : last) ?? SEARCH_LIMITS.defaultSize;
  return { forward, limit, position, fingerprint };
}
