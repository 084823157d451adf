import {
  asSeenBy,
  checkChangeArgs,
  decodeChangeCursor,
  encodeChangeCursor,
  type StoredMeetingChange,
} from '../../src/meetings/domain/meeting-changes';
import type { AppError } from '../../src/errors';

const A = '0a0a0a0a-0000-4000-8000-00000000000a';
const B = '0b0b0b0b-0000-4000-8000-00000000000b';
const NOW = new Date('2026-11-27T12:00:00.000Z');
const DAY = 86_400_000;

describe('change cursors', () => {
  it('round-trip a position and the time they were issued', () => {
    const position = { xact: 9_007_199_254, changeId: 42 };
    const cursor = encodeChangeCursor(position, NOW);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeChangeCursor(cursor)).toEqual({ position, issuedAt: NOW });
  });

  it.each([
    ['', 'empty'],
    ['not a cursor!', 'not base64url'],
    [Buffer.from('c1.0.5.0.xxxxxxxxxxxx').toString('base64url'), 'a wrong checksum'],
    [Buffer.from('c2.0.5.0').toString('base64url'), 'another version'],
  ])('refuse %j (%s)', (cursor) => {
    expect(decodeChangeCursor(cursor)).toBeNull();
  });

  it('refuse an edited cursor', () => {
    const text = Buffer.from(encodeChangeCursor({ xact: 0, changeId: 5 }, NOW), 'base64url')
      .toString('utf8')
      .replace('.5.', '.6.');
    expect(decodeChangeCursor(Buffer.from(text).toString('base64url'))).toBeNull();
  });
});

describe('checkChangeArgs', () => {
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return [(e as AppError).code, (e as AppError).items.map((i) => i.target)];
    }
    return null;
  };
  it('takes 1..100 and a cursor the feed still keeps', () => {
    const after = encodeChangeCursor({ xact: 0, changeId: 3 }, new Date(NOW.getTime() - DAY));
    expect(checkChangeArgs({ after, first: 100 }, NOW, 30 * DAY)).toEqual({
      position: { xact: 0, changeId: 3 },
      limit: 100,
    });
    expect(code(() => checkChangeArgs({ first: 0 }, NOW, DAY))).toEqual([
      'BAD_REQUEST_PARAMETERS',
      ['first'],
    ]);
    expect(code(() => checkChangeArgs({ first: 101 }, NOW, DAY))).toEqual([
      'BAD_REQUEST_PARAMETERS',
      ['first'],
    ]);
    expect(code(() => checkChangeArgs({ after: 'x' }, NOW, DAY))).toEqual([
      'BAD_REQUEST_PARAMETERS',
      ['after'],
    ]);
    expect(code(() => checkChangeArgs({ after }, NOW, DAY / 2))).toEqual([
      'SYNC_CURSOR_EXPIRED',
      ['after'],
    ]);
  });
});

describe('asSeenBy', () => {
  const moved: StoredMeetingChange = {
    changeId: 1,
    xact: 0,
    meetingId: 'm',
    op: 'UPDATED',
    agencyOfficeId: B,
    previousOfficeId: A,
    version: 2,
    changedAt: NOW,
  };
  it('shows a move as DELETED to the office it left, CREATED to the one it joined, UPDATED to both or all', () => {
    expect(asSeenBy(moved, [A])).toMatchObject({ op: 'DELETED', agencyOfficeId: A });
    expect(asSeenBy(moved, [B])).toMatchObject({ op: 'CREATED', agencyOfficeId: B });
    expect(asSeenBy(moved, [A, B])).toMatchObject({ op: 'UPDATED', agencyOfficeId: B });
    expect(asSeenBy(moved, null)).toMatchObject({ op: 'UPDATED', agencyOfficeId: B });
  });
});
