import { AppError } from '../../src/errors';
import {
  MeetingSortField,
  SortDirection,
  StatusCode,
} from '../../src/meetings/domain/meeting-codes';
import { checkSearch } from '../../src/meetings/domain/meeting-search';
import { searchOrderBy, searchWhere } from '../../src/meetings/storage/meeting-search-sql';
import type { MeetingSearch } from '../../src/meetings/domain/meeting.model';

function itemsOf(search: MeetingSearch): string[] {
  try {
    checkSearch(search);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('BAD_REQUEST_PARAMETERS');
    return (error as AppError).items.map((i) => `${i.target} ${i.errorCode}`);
  }
  return [];
}

describe('checkSearch', () => {
  it('applies the defaults: first 50, visitTime descending', () => {
    const checked = checkSearch({});
    expect(checked).toMatchObject({ startIndex: 0, size: 50, words: [] });
    expect(checked.sort).toEqual([{ field: 'VISIT_TIME', direction: 'DESC' }]);
  });

  it('accepts the bounds of size and startIndex', () => {
    expect(itemsOf({ size: 1, startIndex: 0 })).toEqual([]);
    expect(itemsOf({ size: 100 })).toEqual([]);
  });

  it('reports every bad argument at once, each named', () => {
    expect(
      itemsOf({
        size: 101,
        startIndex: -1,
        filter: { freeTextSearch: 'x'.repeat(201), partyId: ['nope'] },
        sort: [
          { field: MeetingSortField.TYPE_CODE, direction: SortDirection.ASC },
          { field: MeetingSortField.TYPE_CODE, direction: SortDirection.DESC },
        ],
      }),
    ).toEqual([
      'startIndex INVALID_VALUE',
      'size INVALID_VALUE',
      'filter.partyId[0] INVALID_TYPE',
      'filter.freeTextSearch INVALID_VALUE',
      'sort[1].field INVALID_VALUE',
    ]);
    expect(itemsOf({ size: 0 })).toEqual(['size INVALID_VALUE']);
  });

  it('rejects a list filter of more than 100 values', () => {
    const ids = Array.from(
      { length: 101 },
      (_, i) => `aaaaaaaa-aaaa-4aaa-8aaa-${String(i).padStart(12, '0')}`,
    );
    expect(itemsOf({ filter: { agentId: ids } })).toEqual(['filter.agentId INVALID_VALUE']);
  });

  it('splits free text into distinct lower-case words', () => {
    expect(checkSearch({ filter: { freeTextSearch: '  Äijälä\tTAMPERE äijälä ' } }).words).toEqual([
      'äijälä',
      'tampere',
    ]);
  });
});

describe('searchWhere', () => {
  it('matches live meetings only, with every filter bound as a parameter', () => {
    const where = searchWhere(
      checkSearch({
        filter: {
          statusCode: [StatusCode.WAITING, StatusCode.WON],
          visitTimeAfter: new Date('2026-01-01T00:00:00+02:00'),
          freeTextSearch: "o'brien",
        },
      }),
      null,
    );
    expect(where.sql).toBe(
      'm.deleted_time IS NULL AND m.status_code IN (?, ?) AND m.visit_time > ? AND m.search_key IN (SELECT rowid FROM meeting_fts WHERE meeting_fts MATCH ?)',
    );
    expect(where.params).toEqual(['WAITING', 'WON', '2025-12-31T22:00:00.000Z', `"o'brien"`]);
  });

  it('looks words of three characters up in the trigram index, shorter ones in its text', () => {
    const where = searchWhere(
      checkSearch({ filter: { freeTextSearch: 'ab "quoted" ä kotiä' } }),
      null,
    );
    expect(where.sql).toBe(
      'm.deleted_time IS NULL AND m.search_key IN (SELECT rowid FROM meeting_fts WHERE meeting_fts MATCH ? AND instr(meeting_fts.text, ?) > 0 AND instr(meeting_fts.text, ?) > 0)',
    );
    // A quote inside a word is doubled: the FTS5 query stays one phrase per word.
    expect(where.params).toEqual(['"""quoted""" AND "kotiä"', 'ab', 'ä']);
  });

  it("limits the search to the caller's offices, and to nothing for no office", () => {
    const scoped = searchWhere(checkSearch({}), [
      'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
      'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb',
    ]);
    expect(scoped).toEqual({
      sql: 'm.deleted_time IS NULL AND m.agency_office_id IN (?, ?)',
      params: ['aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb'],
    });
    expect(searchWhere(checkSearch({}), []).sql).toBe('m.deleted_time IS NULL AND 0 = 1');
    expect(searchWhere(checkSearch({}), null).sql).toBe('m.deleted_time IS NULL');
  });
});

describe('searchOrderBy', () => {
  it('ends with meetingId as the tie-breaker, in the direction of the last key', () => {
    const checked = checkSearch({
      sort: [
        { field: MeetingSortField.STATUS_CODE, direction: SortDirection.ASC },
        { field: MeetingSortField.CREATION_TIME, direction: SortDirection.DESC },
      ],
    });
    expect(searchOrderBy(checked)).toBe(
      'm.status_code ASC, m.creation_time DESC, m.meeting_id DESC',
    );
  });
});
