import { MeetingSortField, SortDirection } from '../../src/meetings/domain/meeting-codes';
import type { MeetingSearch } from '../../src/meetings/domain/meeting.model';

/**
 * Every filter and every sort of the contract, for an agent of one office and for an admin, over
 * the demo data: what the query-plan tests of each database explain.
 */
const OFFICE = '6f1c1d36-5d5e-4c1a-9a55-0b1f0e8c0003';
const NOW = new Date('2026-11-27T12:00:00Z');

const FILTERS: [string, MeetingSearch['filter']][] = [
  ['no filter', {}],
  ['statusCode', { statusCode: ['WON' as never] }],
  ['typeCode', { typeCode: ['SALES_MEETING' as never] }],
  ['sourceTypeCode', { sourceTypeCode: ['ETUOVI' as never] }],
  ['agencyOfficeId', { agencyOfficeId: [OFFICE] }],
  ['partyId', { partyId: ['d3e0c0de-0000-4000-8000-000000200001'] }],
  ['agentId', { agentId: ['d3e0c0de-0000-4000-8000-000000100001'] }],
  ['visitTimeBefore', { visitTimeBefore: NOW }],
  ['visitTimeAfter', { visitTimeAfter: NOW }],
  ['modifiedAfter', { modifiedAfter: NOW }],
  ['freeTextSearch', { freeTextSearch: 'tampere' }],
];
const SORTS = Object.values(MeetingSortField).flatMap((field) =>
  Object.values(SortDirection).map((direction) => ({ field, direction })),
);
export const SEARCH_CASES = [null, [OFFICE]].flatMap((scope) => [
  ...FILTERS.map(([name, filter]) => ({ name: `filter ${name}`, search: { filter }, scope })),
  ...SORTS.map((sort) => ({
    name: `sort ${sort.field} ${sort.direction}`,
    search: { sort: [sort] },
    scope,
  })),
]);
