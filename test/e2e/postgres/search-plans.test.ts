import { type SqlFragment, numberedPlaceholders } from '../../../src/db/sql';
import { checkSearch } from '../../../src/meetings/domain/meeting-search';
import type { MeetingFilter } from '../../../src/meetings/domain/meeting.model';
import { tallyWhere } from '../../../src/meetings/storage/meeting-counts';
import { countFreeText } from '../../../src/meetings/storage/meeting-search-index';
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

// The plan of each search shape on 20,000 meetings after ANALYZE, as PostgreSQL's planner picks
// it with its default settings (no plan is forced: on this many rows a sequential scan and a sort
// cost more than an index walk, and the planner knows it): pages walk the index of their order
// (Index Scan or Index Only Scan, forwards or backwards) with no Sort node, counts on office,
// status, type and source read meeting_tally, free text goes the way its word's frequency says.

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

let gw: TestGateway;
beforeAll(async () => {
  gw = await TestGateway.start();
  await fillPlanData(gw.app.db);
});
afterAll(() => gw.stop());

async function explain(statement: SqlFragment, settings: string[] = []): Promise<PlanNode[]> {
  const rows = await gw.app.db.transaction(async (m) => {
    for (const setting of settings) await m.query(`SET LOCAL ${setting}`);
    return m.query(
      `EXPLAIN (FORMAT JSON) ${numberedPlaceholders(statement.sql)}`,
      statement.params,
    );
  });
  const [{ Plan }] = (rows as { 'QUERY PLAN': { Plan: PlanNode }[] }[])[0]['QUERY PLAN'];
  return nodes(Plan);
}
const INDEX_SCANS = ['Index Scan', 'Index Only Scan'];
const indexScans = (plan: PlanNode[]) =>
  plan.filter((n) => INDEX_SCANS.includes(n['Node Type'])).map((n) => n['Index Name']);
const sorts = (plan: PlanNode[]) => plan.filter((n) => /Sort/.test(n['Node Type']));
const relations = (plan: PlanNode[]) =>
  plan.map((n) => n['Relation Name']).filter((r) => r !== undefined);

describe('keyset pages on PostgreSQL', () => {
  it.each(
    SORT_INDEXES.flatMap(([field, index]) => DIRECTIONS.map((d) => [field, d, index] as const)),
  )(
    'a deep page sorted by %s %s walks %s and does not sort, forwards and backwards',
    async (field, direction, index) => {
      for (const forward of [true, false]) {
        const plan = await explain(deepKeysetPage('postgres', [{ field, direction }], forward));
        expect(sorts(plan)).toEqual([]);
        expect(indexScans(plan)).toContain(index);
      }
    },
  );
});

describe('a code, then visit time the other way round, on PostgreSQL', () => {
  // One run per value of the code, each a walk of the index (code, visit_time, meeting_id) in the
  // visit time's direction, limited to the rows the page reaches; PostgreSQL 15 does not merge the
  // arms of a UNION ALL, so the few ids the runs let through are sorted (one Sort above their
  // Limits, none below: never the table, never a whole range of an index).
  const runs = (plan: PlanNode[]) => plan.slice(1).filter((n) => n['Node Type'] === 'Limit');
  function expectRuns(page: string, plan: PlanNode[]): void {
    expect([page, plan.filter((n) => n['Node Type'] === 'Seq Scan')]).toEqual([page, []]);
    // A position past the filter's last value leaves no run: nothing is read.
    const nothing = plan.every((n) => ['Limit', 'Result'].includes(n['Node Type']));
    expect([page, runs(plan).length > 0 || nothing]).toEqual([page, true]);
    expect([page, runs(plan).flatMap((run) => sorts(nodes(run)))]).toEqual([page, []]);
    expect([page, sorts(plan).length <= 1]).toEqual([page, true]);
  }

  // A deep offset reaches as deep into every run: past a run's end, the planner reads it whole.
  const pages = (...args: Parameters<typeof everyPage>) =>
    everyPage(...args).filter(([page]) => page !== 'deep offset page');

  it.each(MIXED_ORDERS)(
    '%s: the first offset page and keyset pages both ways walk runs of %s',
    async (_name, index, sort) => {
      for (const [page, statement] of pages('postgres', { sort })) {
        const plan = await explain(statement);
        expectRuns(page, plan);
        // The visit-time index, its code tested, gives a run's order as well (two types: half
        // of its entries match).
        for (const scanned of indexScans(plan))
          expect([page, [index, 'IDX_meeting_visit_time']]).toEqual([
            page,
            expect.arrayContaining([scanned]),
          ]);
      }
    },
  );

  it.each([
    ['status', MIXED_ORDERS[0][2]],
    ['type', MIXED_ORDERS[3][2]],
  ])('by %s, of an office-scoped caller: runs per office, status and type', async (_code, sort) => {
    // An office's run holds 100 to 150 meetings, which a bitmap scan and a sort serve as cheaply:
    // priced out, the plan shows that the covering index gives each run's order by itself.
    for (const [page, statement] of pages('postgres', { sort }, [PLAN_OFFICE(3)])) {
      const plan = await explain(statement, ['enable_bitmapscan = off']);
      expectRuns(page, plan);
    }
  });

  it.each([
    [
      'the benchmark\u2019s offices, statuses and type',
      { filter: BENCH_FILTER },
      ['enable_bitmapscan = off'],
    ],
    ['a type', { filter: { typeCode: ['SALES_MEETING' as never] } }, []],
    // About 12 meetings a status: a bitmap scan and a sort of those serve a run as cheaply;
    // priced out, the plan shows that the index gives each run's order by itself.
    ['a visit-time range', { filter: VISIT_RANGE }, ['enable_bitmapscan = off']],
    ['a common word', { filter: { freeTextSearch: 'helsinki' } }, []],
  ])('by status, filtered by %s: runs in order', async (_n, search, settings) => {
    const sort = MIXED_ORDERS[0][2];
    for (const [page, statement] of pages('postgres', { ...search, sort })) {
      expectRuns(page, await explain(statement, settings));
    }
  });
});

describe('agents\u2019 searches on PostgreSQL', () => {
  it('one office, status and type: the covering index, in order', async () => {
    const plan = await explain(firstPage('postgres', { filter: AGENT_FILTER }));
    expect(sorts(plan)).toEqual([]);
    expect(indexScans(plan)).toEqual(['IDX_meeting_office_status_type']);
  });

  it('two offices and two statuses: an index, never the table', async () => {
    // The planner weighs the covering index (its four ranges merged by a sort) against a walk of
    // the visit-time index that skips the other offices' rows: either reads an index.
    const plan = await explain(firstPage('postgres', { filter: BENCH_FILTER }));
    expect(plan.filter((n) => n['Node Type'] === 'Seq Scan')).toEqual([]);
    expect(indexScans(plan)).toHaveLength(1);
  });

  it('a visit-time range of the caller\u2019s office: the office index, in order', async () => {
    // The range holds about 50 meetings, which a bitmap scan and a sort serve as cheaply: priced
    // out (enable_bitmapscan = off), the plan shows that the index gives the order by itself.
    const plan = await explain(firstPage('postgres', { filter: VISIT_RANGE }, [PLAN_OFFICE(4)]), [
      'enable_bitmapscan = off',
    ]);
    expect(sorts(plan)).toEqual([]);
    expect(indexScans(plan)).toEqual(['IDX_meeting_office']);
  });
});

describe('counts on PostgreSQL', () => {
  it('of office, status, type and source read meeting_tally, never meeting', async () => {
    const cases: [MeetingFilter, string[] | null][] = [
      [{}, null],
      [BENCH_FILTER, null],
      [{ sourceTypeCode: ['ETUOVI' as never] }, [PLAN_OFFICE(1)]],
    ];
    for (const [filter, scope] of cases) {
      const where = tallyWhere(checkSearch({ filter }), scope)!;
      const plan = await explain({
        sql: `SELECT sum(t.live_count) FROM meeting_tally t${where.sql ? ` WHERE ${where.sql}` : ''}`,
        params: where.params,
      });
      expect([...new Set(relations(plan))]).toEqual(['meeting_tally']);
    }
  });

  it('of a visit-time range of an office read the office index', async () => {
    const where = searchWhere(checkSearch({ filter: VISIT_RANGE }), [PLAN_OFFICE(4)], 'postgres');
    const plan = await explain({
      sql: `SELECT count(*) FROM meeting m WHERE ${where.sql}`,
      params: where.params,
    });
    expect(plan.map((n) => n['Index Name']).filter(Boolean)).toEqual(['IDX_meeting_office']);
  });

  it('of free text alone read the trigram index only', async () => {
    expect(await gw.app.db.read((m) => countFreeText(m, ['helsinki']))).toBe(5000);
    const plan = await explain({
      sql: `SELECT count(*) FROM meeting_fts WHERE text LIKE ?`,
      params: ['%kummitusmaja%'],
    });
    expect(plan.map((n) => n['Index Name']).filter(Boolean)).toEqual(['IDX_meeting_fts_text']);
  });
});

describe('free text on PostgreSQL', () => {
  it('a common word walks the sort index, testing each row, without a sort', async () => {
    const plan = await explain(firstPage('postgres', { filter: { freeTextSearch: 'helsinki' } }));
    expect(sorts(plan)).toEqual([]);
    expect(indexScans(plan)[0]).toBe('IDX_meeting_visit_time');
  });

  it('a rare word is looked up in the trigram index', async () => {
    const plan = await explain(
      firstPage('postgres', { filter: { freeTextSearch: 'kummitusmaja' } }),
    );
    expect(plan.map((n) => n['Index Name'])).toContain('IDX_meeting_fts_text');
  });
});

describe('the demo data on PostgreSQL', () => {
  it('is analyzed as soon as it is loaded', async () => {
    const demo = await TestGateway.start({ demoData: true });
    try {
      const rows = await demo.app.db.read((m) =>
        m.query(
          // reltuples is what ANALYZE (or VACUUM) last counted: -1 or 0 before the load.
          `SELECT relname, reltuples > 0 AS analyzed FROM pg_class
           WHERE relnamespace = current_schema()::regnamespace
             AND relname IN ('meeting', 'meeting_fts', 'meeting_tally') ORDER BY relname`,
        ),
      );
      expect(rows).toEqual([
        { relname: 'meeting', analyzed: true },
        { relname: 'meeting_fts', analyzed: true },
        { relname: 'meeting_tally', analyzed: true },
      ]);
    } finally {
      await demo.stop();
    }
  });
});
