import type { OfficeScope } from '../../src/auth/caller';
import type { Dialect, SqlFragment } from '../../src/db/sql';
import { MeetingSortField, SortDirection } from '../../src/meetings/domain/meeting-codes';
import { checkSearch } from '../../src/meetings/domain/meeting-search';
import type { MeetingSearch, MeetingSort } from '../../src/meetings/domain/meeting.model';
import { keysetPageStatement, searchPageStatement } from '../../src/meetings/storage/meeting-reads';
import type { FreeTextForm } from '../../src/meetings/storage/meeting-search-index';
import { sortKeys } from '../../src/meetings/storage/meeting-search-sql';
import { PLAN_OFFICE } from './plan-data';

/**
 * The statements whose plans the query-plan tests of each database explain: the inner SELECT of a
 * page (the ids, in order; the outer one only loads those rows), as the gateway builds it.
 */

/** The ids part of a page statement: `WITH page AS (<this>) SELECT ...`. */
export function idsOf(page: SqlFragment): SqlFragment {
  const match = /^WITH page AS \(([\s\S]*)\)\s+SELECT [\s\S]* FROM page JOIN/.exec(page.sql);
  if (!match) throw new Error(`not a page statement: ${page.sql}`);
  return { sql: match[1], params: page.params };
}

/** A keyset page deep into the data (a position in its middle) of a sort, forwards or back. */
export function deepKeysetPage(
  dialect: Dialect,
  sort: MeetingSearch['sort'],
  forward: boolean,
  options: { filter?: MeetingSearch['filter']; scope?: OfficeScope; freeText?: FreeTextForm } = {},
): SqlFragment {
  const search = checkSearch({ sort, filter: options.filter });
  const position = sortKeys(search).map((k) => MIDDLE[k.column]);
  return idsOf(
    keysetPageStatement(
      search,
      options.scope ?? null,
      dialect,
      { position, forward, limit: 51 },
      options.freeText,
    ),
  );
}

const MIDDLE: Record<string, string> = {
  'm.visit_time': '2025-06-01T00:00:00.000Z',
  'm.creation_time': '2025-06-01T00:00:00.000Z',
  'm.modification_time': '2025-06-01T00:00:00.000Z',
  'm.status_code': 'LOST',
  'm.type_code': 'EVALUATION_VISIT',
  'm.source_type_code': 'NELIOHINTA_FI',
  'm.meeting_id': 'eeeeeeee-0000-4000-8000-000000002710',
};

/** The first offset page of a search. */
export function firstPage(
  dialect: Dialect,
  search: MeetingSearch,
  scope: OfficeScope = null,
  freeText?: FreeTextForm,
): SqlFragment {
  return idsOf(searchPageStatement(checkSearch(search), scope, dialect, freeText));
}

/** Each sort field alone, in both directions, with the index that serves its order. */
export const SORT_INDEXES: [MeetingSortField, string][] = [
  [MeetingSortField.VISIT_TIME, 'IDX_meeting_visit_time'],
  [MeetingSortField.CREATION_TIME, 'IDX_meeting_creation_time'],
  [MeetingSortField.MODIFICATION_TIME, 'IDX_meeting_modification_time'],
  [MeetingSortField.STATUS_CODE, 'IDX_meeting_status_order'],
  [MeetingSortField.TYPE_CODE, 'IDX_meeting_type_order'],
  [MeetingSortField.SOURCE_TYPE_CODE, 'IDX_meeting_source_order'],
];
export const DIRECTIONS = [SortDirection.ASC, SortDirection.DESC];

/** What an agent runs: one office, one status, one type, over visit time. */
export const AGENT_FILTER = {
  agencyOfficeId: [PLAN_OFFICE(3)],
  statusCode: ['WON' as never],
  typeCode: ['EVALUATION_VISIT' as never],
};
/** The benchmark's filter: two offices, two statuses, one type. */
export const BENCH_FILTER = {
  agencyOfficeId: [PLAN_OFFICE(1), PLAN_OFFICE(2)],
  statusCode: ['WAITING' as never, 'WON' as never],
  typeCode: ['EVALUATION_VISIT' as never],
};
export const VISIT_RANGE = {
  visitTimeAfter: new Date('2025-01-01T00:00:00Z'),
  visitTimeBefore: new Date('2025-04-01T00:00:00Z'),
};

/**
 * The two-key orders read as runs, one per value of a code: each code, then visit time the other
 * way round (the benchmark's is STATUS_CODE ASC, VISIT_TIME DESC).
 */
export const MIXED_ORDERS: [string, string, MeetingSort[]][] = (
  [
    [MeetingSortField.STATUS_CODE, 'IDX_meeting_status'],
    [MeetingSortField.TYPE_CODE, 'IDX_meeting_type'],
    [MeetingSortField.SOURCE_TYPE_CODE, 'IDX_meeting_source'],
  ] as const
).flatMap(([field, index]) =>
  DIRECTIONS.map((direction): [string, string, MeetingSort[]] => {
    const visit = direction === SortDirection.ASC ? SortDirection.DESC : SortDirection.ASC;
    return [
      `${field} ${direction}, VISIT_TIME ${visit}`,
      index,
      [
        { field, direction },
        { field: MeetingSortField.VISIT_TIME, direction: visit },
      ],
    ];
  }),
);

/** The offset and keyset pages of a search, as the plan tests explain them. */
export function everyPage(
  dialect: Dialect,
  search: MeetingSearch,
  scope: OfficeScope = null,
  freeText?: FreeTextForm,
): [string, SqlFragment][] {
  const sort = search.sort ?? undefined;
  const options = { filter: search.filter ?? undefined, scope, freeText };
  return [
    ['first offset page', firstPage(dialect, search, scope, freeText)],
    ['deep offset page', firstPage(dialect, { ...search, startIndex: 5000 }, scope, freeText)],
    ['keyset page forwards', deepKeysetPage(dialect, sort, true, options)],
    ['keyset page backwards', deepKeysetPage(dialect, sort, false, options)],
  ];
}
