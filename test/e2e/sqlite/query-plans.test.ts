import { MeetingSortField, SortDirection } from '../../../src/meetings/meeting-codes';
import { checkSearch } from '../../../src/meetings/meeting-search';
import { searchPageStatement } from '../../../src/meetings/meeting.repository';
import type { MeetingSearch } from '../../../src/meetings/meeting.model';
import { TestGateway } from '../../support/gateway';

// Every filter and sort of the contract is served by an index: SQLite's plan never scans the
// meeting table itself, for an agent of one office or for an admin.
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
const cases = [null, [OFFICE]].flatMap((scope) => [
  ...FILTERS.map(([name, filter]) => ({ name: `filter ${name}`, search: { filter }, scope })),
  ...SORTS.map((sort) => ({
    name: `sort ${sort.field} ${sort.direction}`,
    search: { sort: [sort] },
    scope,
  })),
]);

let gw: TestGateway;
beforeAll(async () => {
  gw = await TestGateway.start({ demoData: true });
  await gw.app.db.transaction((m) => m.query('ANALYZE'));
});
afterAll(() => gw.stop());

describe('query plans of the search', () => {
  it.each(cases.map((c) => [`${c.name}, ${c.scope ? 'one office' : 'every office'}`, c]))(
    '%s uses an index',
    async (_n, c) => {
      // The very statement of the search, at a deep offset.
      const page = searchPageStatement(
        checkSearch({ ...c.search, startIndex: 5000 }),
        c.scope,
        'sqlite',
      );
      const plan: { detail: string }[] = await gw.app.db.read((m) =>
        m.query(`EXPLAIN QUERY PLAN ${page.sql}`, page.params),
      );
      const details = plan.map((row) => row.detail);
      expect(details.filter((d) => /^SCAN m$|^SCAN meeting$/.test(d))).toEqual([]);
      expect(
        details.some((d) => /^(SEARCH|SCAN) m USING (COVERING )?INDEX IDX_meeting_/.test(d)),
      ).toBe(true);
    },
  );
});
