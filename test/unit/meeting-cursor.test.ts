import {
  MeetingSortField,
  SortDirection,
  StatusCode,
} from '../../src/meetings/domain/meeting-codes';
import {
  decodeCursor,
  encodeCursor,
  searchFingerprint,
} from '../../src/meetings/domain/meeting-cursor';
import { checkSearch } from '../../src/meetings/domain/meeting-search';
import { keysetClause, sortKeys } from '../../src/meetings/storage/meeting-search-sql';

const SORT = [{ field: MeetingSortField.VISIT_TIME, direction: SortDirection.DESC }];
const fp = searchFingerprint(SORT, { statusCode: [StatusCode.WAITING] }, []);

describe('cursors', () => {
  it('round-trip the sort key under the same sort and filter', () => {
    const cursor = encodeCursor({ values: ['2026-01-01T00:00:00.000Z', 'abc'] }, fp);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, fp, 2)).toEqual({
      ok: true,
      key: { values: ['2026-01-01T00:00:00.000Z', 'abc'] },
    });
  });

  it('are refused under another sort or filter', () => {
    const cursor = encodeCursor({ values: ['2026-01-01T00:00:00.000Z', 'abc'] }, fp);
    const otherFilter = searchFingerprint(SORT, { statusCode: [StatusCode.WON] }, []);
    const otherSort = searchFingerprint(
      [{ field: MeetingSortField.VISIT_TIME, direction: SortDirection.ASC }],
      { statusCode: [StatusCode.WAITING] },
      [],
    );
    expect(decodeCursor(cursor, otherFilter, 2)).toEqual({ ok: false, reason: 'other-search' });
    expect(decodeCursor(cursor, otherSort, 2)).toEqual({ ok: false, reason: 'other-search' });
    expect(decodeCursor(cursor, fp, 3)).toEqual({ ok: false, reason: 'other-search' });
  });

  it('see the same filter in another order as the same search', () => {
    expect(
      searchFingerprint(SORT, { statusCode: [StatusCode.WON, StatusCode.LOST] }, ['b', 'a']),
    ).toBe(searchFingerprint(SORT, { statusCode: [StatusCode.LOST, StatusCode.WON] }, ['a', 'b']));
  });

  it('are refused when edited', () => {
    const cursor = encodeCursor({ values: ['2026-01-01T00:00:00.000Z', 'abc'] }, fp);
    const text = Buffer.from(cursor, 'base64url').toString('utf8').replace('2026', '2027');
    expect(decodeCursor(Buffer.from(text).toString('base64url'), fp, 2)).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(decodeCursor('not a cursor!', fp, 2)).toEqual({ ok: false, reason: 'malformed' });
    expect(decodeCursor('', fp, 2)).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('keysetClause', () => {
  it('follows each key direction, forward and backward, under a leading bound that seeks', () => {
    const keys = sortKeys(
      checkSearch({
        sort: [{ field: MeetingSortField.STATUS_CODE, direction: SortDirection.DESC }],
      }),
    );
    const params: unknown[] = [];
    const bind = (v: unknown) => (params.push(v), '?');
    expect(keysetClause(keys, ['WON', 'id-1'], true, bind)).toBe(
      'm.status_code <= ? AND ((m.status_code < ?) OR (m.status_code = ? AND m.meeting_id < ?))',
    );
    expect(params).toEqual(['WON', 'WON', 'WON', 'id-1']);
    expect(keysetClause(keys, ['WON', 'id-1'], false, () => '?')).toBe(
      'm.status_code >= ? AND ((m.status_code > ?) OR (m.status_code = ? AND m.meeting_id > ?))',
    );
  });

  it('keeps mixed directions of several keys, meetingId following the last', () => {
    const keys = sortKeys(
      checkSearch({
        sort: [
          { field: MeetingSortField.STATUS_CODE, direction: SortDirection.ASC },
          { field: MeetingSortField.VISIT_TIME, direction: SortDirection.DESC },
        ],
      }),
    );
    expect(keysetClause(keys, ['WON', 't', 'id-1'], true, () => '?')).toBe(
      'm.status_code >= ? AND ((m.status_code > ?) OR (m.status_code = ? AND m.visit_time < ?) OR (m.status_code = ? AND m.visit_time = ? AND m.meeting_id < ?))',
    );
  });
});
