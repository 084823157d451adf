import { checkSearch } from '../../../src/meetings/domain/meeting-search';
import { searchPageStatement } from '../../../src/meetings/storage/meeting-reads';
import { TestGateway } from '../../support/gateway';
import { SEARCH_CASES as cases } from '../../support/search-cases';

// Every filter and sort of the contract is served by an index: SQLite's plan never scans the
// meeting table itself, for an agent of one office or for an admin.
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

describe("a page's parties and agents", () => {
  it('are read with the page, by seeking each meeting id and each directory key', async () => {
    const page = searchPageStatement(checkSearch({ size: 50 }), null, 'sqlite');
    const plan: { detail: string }[] = await gw.app.db.read((m) =>
      m.query(`EXPLAIN QUERY PLAN ${page.sql}`, page.params),
    );
    const details = plan.map((row) => row.detail);
    expect(details).toEqual(
      expect.arrayContaining([
        'SEARCH mp USING INDEX sqlite_autoindex_meeting_party_1 (meeting_id=?)',
        'SEARCH p USING INDEX sqlite_autoindex_party_1 (party_id=?)',
        'SEARCH ma USING INDEX sqlite_autoindex_meeting_agent_1 (meeting_id=?)',
        'SEARCH a USING INDEX sqlite_autoindex_agent_1 (agent_id=?)',
      ]),
    );
    expect(details.filter((d) => /^SCAN (mp|p|ma|a)\b/.test(d))).toEqual([]);
  });
});
