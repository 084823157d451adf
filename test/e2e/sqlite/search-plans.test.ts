import type { SqlFragment } from '../../../src/db/sql';
import { MeetingSortField, SortDirection } from '../../../src/meetings/domain/meeting-codes';
import { checkSearch } from '../../../src/meetings/domain/meeting-search';
import type { MeetingFilter } from '../../../src/meetings/domain/meeting.model';
import { countMeetings, tallyWhere } from '../../../src/meetings/storage/meeting-counts';
import { freeTextPlan } from '../../../src/meetings/storage/meeting-search-index';
import { pageFreeText } from '../../../src/meetings/storage/meeting-page-plan';
import { searchWhere } from '../../../src/meetings/storage/meeting-search-sql';
import { TestGateway } from '../../support/gateway';
import { PLAN_OFFICE, fillPlanData } from '../../support/plan-data';
import {
  AGENT_FILTER,
  BENCH_FILTER,
  DIRECTIONS,
  MIXED_ORDERS,
  SORT_INDEXES,
  VISIT_RANGE,
  deepKeysetPage,
  everyPage,
  firstPage,
} from '../../support/plan-statements';

// The plan of each search shape on 20,000 meetings with statistics, as SQLite's planner picks it:
// pages seek on the index of their order (SEARCH, not SCAN from the start) and never sort (no
// temp B-tree), counts on office, status, type and source read meeting_tally, free text walks for
// a common word and looks a rare one up.

let gw: TestGateway;
beforeAll(async () => {
  gw = await TestGateway.start();
  await fillPlanData(gw.app.db);
});
afterAll(() => gw.stop());

async function plan(statement: SqlFragment): Promise<string[]> {
  const rows: { detail: string }[] = await gw.app.db.read((m) =>
    m.query(`EXPLAIN QUERY PLAN ${statement.sql}`, statement.params),
  );
  return rows.map((r) => r.detail);
}
const sorted = (details: string[]) => details.filter((d) => /TEMP B-TREE/.test(d));

describe('keyset pages', () => {
  it.each(
    SORT_INDEXES.flatMap(([field, index]) => DIRECTIONS.map((d) => [field, d, index] as const)),
  )(
    'a deep page sorted by %s %s seeks on %s and does not sort, forwards and backwards',
    async (field, direction, index) => {
      for (const forward of [true, false]) {
        const details = await plan(deepKeysetPage('sqlite', [{ field, direction }], forward));
        expect(sorted(details)).toEqual([]);
        expect(details).toContainEqual(
          expect.stringMatching(new RegExp(`^SEARCH m USING (COVERING )?INDEX ${index} \\(`)),
        );
      }
    },
  );
});

describe('a code, then visit time the other way round', () => {
  // One run per value of the code, each a seek in the index (code, visit_time, meeting_id) read
  // in the visit time's direction, merged in the code's order (MERGE (UNION ALL)): no sort.
  const runsOf = (details: string[]) => details.filter((d) => /^(SEARCH|SCAN) /.test(d));

  it.each(MIXED_ORDERS)(
    '%s: offset pages, first and deep, and keyset pages both ways read runs of %s without a sort',
    async (_name, index, sort) => {
      for (const [page, statement] of everyPage('sqlite', { sort })) {
        const details = await plan(statement);
        expect([page, sorted(details)]).toEqual([page, []]);
        for (const run of runsOf(details))
          expect([page, run]).toEqual([
            page,
            expect.stringMatching(new RegExp(`^SEARCH m USING (COVERING )?INDEX ${index} \\(`)),
          ]);
      }
    },
  );

  it.each([
    ['status', MIXED_ORDERS[0][2]],
    ['type', MIXED_ORDERS[3][2]],
  ])(
    'by %s, of an office-scoped caller: a run per office, status and type on the covering index',
    async (_code, sort) => {
      for (const [page, statement] of everyPage('sqlite', { sort }, [PLAN_OFFICE(3)])) {
        const details = await plan(statement);
        expect([page, sorted(details)]).toEqual([page, []]);
        for (const run of runsOf(details))
          expect([page, run]).toEqual([
            page,
            expect.stringMatching(
              /^SEARCH m USING COVERING INDEX IDX_meeting_office_status_type \(agency_office_id=\? AND status_code=\? AND type_code=\?( AND visit_time[<>]\?)?\)$/,
            ),
          ]);
      }
    },
  );

  it.each([
    ['the benchmark\u2019s offices, statuses and type', { filter: BENCH_FILTER }, null, undefined],
    ['a type', { filter: { typeCode: ['SALES_MEETING' as never] } }, null, undefined],
    ['a visit-time range', { filter: VISIT_RANGE }, null, undefined],
    ['a common word', { filter: { freeTextSearch: 'helsinki' } }, null, 'walk' as const],
    [
      'a common word in an office',
      { filter: { freeTextSearch: 'helsinki' } },
      [PLAN_OFFICE(8)],
      'walk' as const,
    ],
  ])(
    'by status, filtered by %s: runs in order, without a sort',
    async (_n, search, scope, form) => {
      const sort = MIXED_ORDERS[0][2];
      for (const [page, statement] of everyPage('sqlite', { ...search, sort }, scope, form)) {
        const details = await plan(statement);
        expect([page, sorted(details)]).toEqual([page, []]);
        expect(runsOf(details).length).toBeGreaterThan(0);
      }
    },
  );
});

describe('agents\u2019 searches', () => {
  it('one office, status and type: the covering index, in order', async () => {
    const details = await plan(firstPage('sqlite', { filter: AGENT_FILTER }));
    expect(details).toEqual([
      'SEARCH m USING COVERING INDEX IDX_meeting_office_status_type (agency_office_id=? AND status_code=? AND type_code=?)',
    ]);
  });

  it('two offices and two statuses: the covering index, whose four ranges a sort merges', async () => {
    // Each (office, status) range is in visit-time order; no index gives their union in order,
    // so the ids of the matches (not their rows) are sorted.
    const details = await plan(firstPage('sqlite', { filter: BENCH_FILTER }));
    expect(details).toEqual([
      'SEARCH m USING COVERING INDEX IDX_meeting_office_status_type (agency_office_id=? AND status_code=? AND type_code=?)',
      'USE TEMP B-TREE FOR ORDER BY',
    ]);
  });

  it('a visit-time range of the caller\u2019s office: the office index, in order, page and count', async () => {
    const scope = [PLAN_OFFICE(4)];
    const details = await plan(firstPage('sqlite', { filter: VISIT_RANGE }, scope));
    expect(sorted(details)).toEqual([]);
    expect(details).toEqual([
      'SEARCH m USING COVERING INDEX IDX_meeting_office (agency_office_id=? AND visit_time>? AND visit_time<?)',
    ]);
    const where = searchWhere(checkSearch({ filter: VISIT_RANGE }), scope, 'sqlite');
    expect(
      await plan({
        sql: `SELECT count(*) FROM meeting m WHERE ${where.sql}`,
        params: where.params,
      }),
    ).toEqual([
      'SEARCH m USING COVERING INDEX IDX_meeting_office (agency_office_id=? AND visit_time>? AND visit_time<?)',
    ]);
  });
});

describe('counts', () => {
  it('of office, status, type and source read meeting_tally, never meeting', async () => {
    const cases: [MeetingFilter, string[] | null][] = [
      [{}, null],
      [BENCH_FILTER, null],
      [{ sourceTypeCode: ['ETUOVI' as never] }, [PLAN_OFFICE(1)]],
    ];
    for (const [filter, scope] of cases) {
      const where = tallyWhere(checkSearch({ filter }), scope)!;
      const details = await plan({
        sql: `SELECT sum(t.live_count) FROM meeting_tally t${where.sql ? ` WHERE ${where.sql}` : ''}`,
        params: where.params,
      });
      expect(details.every((d) => / t( |$)/.test(d))).toBe(true);
    }
    expect(tallyWhere(checkSearch({ filter: VISIT_RANGE }), null)).toBeNull();
    expect(tallyWhere(checkSearch({ filter: { freeTextSearch: 'x' } }), null)).toBeNull();
  });
});

describe('free text', () => {
  it('walks for a common word, looks a rare one up', async () => {
    const planOf = (text: string) =>
      gw.app.db
        .read((m) => freeTextPlan(m, checkSearch({ filter: { freeTextSearch: text } }).words, 50))
        .then((frequency) => frequency.plan);
    expect([await planOf('helsinki'), await planOf('kummitusmaja')]).toEqual(['walk', 'index']);
  });

  it('a common word walks the sort index and tests each row by its key, without a sort', async () => {
    const details = await plan(
      firstPage('sqlite', { filter: { freeTextSearch: 'helsinki' } }, null, 'walk'),
    );
    expect(sorted(details)).toEqual([]);
    // The index holds each row's search key: the walk reads no meeting row.
    expect(details[0]).toBe('SCAN m USING COVERING INDEX IDX_meeting_visit_time');
    expect(details).toContainEqual(expect.stringMatching(/^SCAN f VIRTUAL TABLE INDEX 0:=/));
  });

  it('a common word is counted exactly in an office: its rows found once, the office index tested against them', async () => {
    const scope = [PLAN_OFFICE(8)];
    const search = checkSearch({ filter: { freeTextSearch: 'helsinki' } });
    const where = searchWhere(search, scope, 'sqlite', 'set');
    expect(
      await plan({
        sql: `SELECT count(*) FROM meeting m WHERE ${where.sql}`,
        params: where.params,
      }),
    ).toEqual([
      'SEARCH m USING COVERING INDEX IDX_meeting_office (agency_office_id=?)',
      'LIST SUBQUERY 1',
      'SCAN meeting_fts VIRTUAL TABLE INDEX 0:M1',
      'CREATE BLOOM FILTER',
    ]);
    const [counted, expected] = await gw.app.db.read(async (m) => [
      await countMeetings(m, search, scope),
      (
        await m.query(
          `SELECT count(*) AS n FROM meeting m JOIN meeting_fts f ON f.rowid = m.search_key
           WHERE m.agency_office_id = ? AND instr(f.text, 'helsinki') > 0`,
          scope,
        )
      )[0].n,
    ]);
    expect(counted).toBe(expected);
    expect(counted).toBeGreaterThan(0);
  });

  it('a common word in an office that never has it: the walk is tried, then the word\u2019s rows are found once', async () => {
    const search = checkSearch({ filter: { freeTextSearch: 'helsinki' } });
    const formIn = (office: number) =>
      gw.app.db.read(async (m) => (await pageFreeText(m, search, [PLAN_OFFICE(office)], 51)).form);
    // Offices 0, 4, 8 ... have the word in every meeting; offices 1, 2, 3, 5 ... never.
    expect([await formIn(8), await formIn(1)]).toEqual(['walk', 'set']);
    const details = await plan(
      firstPage('sqlite', { filter: { freeTextSearch: 'helsinki' } }, [PLAN_OFFICE(1)], 'set'),
    );
    expect(sorted(details)).toEqual([]);
    expect(details[0]).toBe(
      'SEARCH m USING COVERING INDEX IDX_meeting_office (agency_office_id=?)',
    );
    // Both forms give the same page.
    const ids = async (office: number, form: 'walk' | 'set') => {
      const page = firstPage(
        'sqlite',
        { filter: { freeTextSearch: 'helsinki' } },
        [PLAN_OFFICE(office)],
        form,
      );
      return gw.app.db.read((m) => m.query(page.sql, page.params));
    };
    expect(await ids(8, 'set')).toEqual(await ids(8, 'walk'));
    expect(await ids(1, 'set')).toEqual([]);
  });

  it('a common word over two offices or more: the word\u2019s rows are found once, the same page as the walk', async () => {
    const search = (filter: MeetingFilter) =>
      checkSearch({ filter: { freeTextSearch: 'helsinki', ...filter } });
    const form = (filter: MeetingFilter, scope: string[] | null) =>
      gw.app.db.read(async (m) => (await pageFreeText(m, search(filter), scope, 51)).form);
    // Offices 4 and 8 have the word in every meeting: each alone is walked.
    const two = [PLAN_OFFICE(4), PLAN_OFFICE(8)];
    expect(await form({}, [PLAN_OFFICE(4)])).toBe('walk');
    expect(await form({}, two)).toBe('set');
    expect(await form({ agencyOfficeId: two }, null)).toBe('set');
    expect(await form({ agencyOfficeId: [PLAN_OFFICE(4)] }, two)).toBe('walk');
    // An office outside the caller's is not read: one office, walked.
    expect(await form({ agencyOfficeId: [PLAN_OFFICE(4), PLAN_OFFICE(9)] }, two)).toBe('walk');
    // A word too short for the trigram index has no rows to find there: walked.
    expect(await form({ freeTextSearch: 'he' }, two)).toBe('walk');
    // Runs of a code then visit time are split by office, each walked in order.
    const runs = checkSearch({
      filter: { freeTextSearch: 'helsinki' },
      sort: [
        { field: MeetingSortField.STATUS_CODE, direction: SortDirection.ASC },
        { field: MeetingSortField.VISIT_TIME, direction: SortDirection.DESC },
      ],
    });
    expect(await gw.app.db.read(async (m) => (await pageFreeText(m, runs, two, 51)).form)).toBe(
      'walk',
    );
    const ids = async (form: 'walk' | 'set') => {
      const page = firstPage('sqlite', { filter: { freeTextSearch: 'helsinki' } }, two, form);
      return gw.app.db.read((m) => m.query(page.sql, page.params));
    };
    const walked = await ids('walk');
    expect(walked).toHaveLength(50);
    expect(await ids('set')).toEqual(walked);
  });

  it('a rare word is looked up in the trigram index', async () => {
    const details = await plan(
      firstPage('sqlite', { filter: { freeTextSearch: 'kummitusmaja' } }, null, 'index'),
    );
    expect(details).toContainEqual(
      expect.stringMatching(/^SCAN meeting_fts VIRTUAL TABLE INDEX 0:M/),
    );
  });
});
