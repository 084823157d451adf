import { numberedPlaceholders } from '../../../src/db/sql';
import { checkSearch } from '../../../src/meetings/domain/meeting-search';
import { searchPageStatement } from '../../../src/meetings/storage/meeting-reads';
import { searchWhere } from '../../../src/meetings/storage/meeting-search-sql';
import { TestGateway } from '../../support/gateway';
import { SEARCH_CASES as cases } from '../../support/search-cases';

// Every filter and sort of the contract can be served by an index on PostgreSQL too. With the
// demo's 200 meetings the planner would rightly read the whole table, so sequential scans are
// priced out (enable_seqscan = off): a plan that still reads the meeting table sequentially has
// no index it could use.

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
  gw = await TestGateway.start({ demoData: true });
  await gw.app.db.transaction((m) => m.query('ANALYZE'));
});
afterAll(() => gw.stop());

async function explain(
  sql: string,
  params: unknown[],
  settings = ['enable_seqscan = off'],
): Promise<PlanNode[]> {
  const rows = await gw.app.db.transaction(async (m) => {
    for (const setting of settings) await m.query(`SET LOCAL ${setting}`);
    return m.query(`EXPLAIN (FORMAT JSON) ${numberedPlaceholders(sql)}`, params);
  });
  const [{ Plan }] = (rows as { 'QUERY PLAN': { Plan: PlanNode }[] }[])[0]['QUERY PLAN'];
  return nodes(Plan);
}

describe('query plans of the search on PostgreSQL', () => {
  it.each(cases.map((c) => [`${c.name}, ${c.scope ? 'one office' : 'every office'}`, c]))(
    '%s uses an index',
    async (_n, c) => {
      const search = checkSearch({ ...c.search, startIndex: 5000 });
      const page = searchPageStatement(search, c.scope, 'postgres');
      const plan = await explain(page.sql, page.params);
      const scanned = plan.filter(
        (n) => n['Node Type'] === 'Seq Scan' && n['Relation Name']?.startsWith('meeting'),
      );
      expect(scanned).toEqual([]);
      expect(plan.some((n) => n['Index Name']?.startsWith('IDX_meeting'))).toBe(true);

      const where = searchWhere(search, c.scope, 'postgres');
      const count = await explain(
        `SELECT count(*) FROM meeting m WHERE ${where.sql}`,
        where.params,
      );
      expect(
        count.filter((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === 'meeting'),
      ).toEqual([]);
    },
  );

  it('can find free text through the trigram index', async () => {
    // On 200 meetings a walk of the primary key is cheaper; without plain index scans the only
    // way to the matching rows of meeting_fts is a bitmap scan of an index that serves LIKE.
    const search = checkSearch({ filter: { freeTextSearch: 'kummitusmaja' } });
    const page = searchPageStatement(search, null, 'postgres');
    const plan = await explain(page.sql, page.params, [
      'enable_seqscan = off',
      'enable_indexscan = off',
    ]);
    expect(plan.map((n) => n['Index Name'])).toContain('IDX_meeting_fts_text');
  });
});

describe("a page's parties and agents on PostgreSQL", () => {
  it('are read with the page, through the keys of each list and of the directory', async () => {
    const page = searchPageStatement(checkSearch({ size: 50 }), null, 'postgres');
    // Sequential scans priced out as above: each list's tables are read by the page's own
    // statement, each through an index of its key.
    const plan = await explain(page.sql, page.params);
    const PARTICIPANTS = ['meeting_party', 'party', 'meeting_agent', 'agent'];
    const read = plan.filter((n) => PARTICIPANTS.includes(n['Relation Name'] ?? ''));
    expect(read.filter((n) => !/^Index (Only )?Scan$/.test(n['Node Type']))).toEqual([]);
    expect(new Set(read.map((n) => n['Relation Name']))).toEqual(new Set(PARTICIPANTS));
  });
});
