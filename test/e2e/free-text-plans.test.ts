import { checkSearch } from '../../src/meetings/domain/meeting-search';
import { freeTextPlan } from '../../src/meetings/storage/meeting-search-index';
import { createMeeting, meetingInput, smallDirectory } from '../support/fixtures';
import { TestGateway } from '../support/gateway';
import { onPostgres } from '../support/postgres';

// Free text picks its plan by how many meetings a word matches: the trigram index for rare words,
// an ordered walk of the sort's index for common ones (SQLite; PostgreSQL's planner weighs the two
// itself). Both plans answer the same pages, in the same order, with the same exact count.

const SEARCH = `query ($filter: MeetingFilter, $size: Int, $startIndex: Int) {
  meetings(filter: $filter, size: $size, startIndex: $startIndex) { totalCount meetings { meetingId } }
}`;
const CONNECTION = `query ($filter: MeetingFilter, $after: String) {
  meetingsConnection(filter: $filter, first: 2, after: $after) {
    totalCount edges { cursor node { meetingId } } pageInfo { hasNextPage }
  }
}`;

let gw: TestGateway;
const common: string[] = [];
let rare: string;
beforeAll(async () => {
  gw = await TestGateway.start();
  const dir = await smallDirectory(gw);
  for (let i = 0; i < 12; i++) {
    const visitTime = new Date(Date.UTC(2026, 0, 1 + (i % 5))).toISOString();
    common.push(
      await createMeeting(
        gw,
        meetingInput(dir.parties, dir.agents, { visitTime, notes: `Yhteinen sana ${i}` }),
      ),
    );
  }
  rare = await createMeeting(
    gw,
    meetingInput(dir.parties, dir.agents, { notes: 'Harvinainen kummitusmaja' }),
  );
});
afterAll(() => gw.stop());

describe('free text plans', () => {
  it('walks for a word most meetings have and looks a rare word up in the index', async () => {
    const plan = (text: string, size: number) =>
      gw.app.db
        .read((m) => freeTextPlan(m, checkSearch({ filter: { freeTextSearch: text } }).words, size))
        .then((frequency) => frequency.plan);
    const expected = onPostgres() ? ['index', 'index', 'index'] : ['walk', 'index', 'walk'];
    expect([await plan('yhteinen', 2), await plan('kummitusmaja', 2), await plan('ht', 2)]).toEqual(
      expected,
    );
  });

  it('answers a common word page by page in sort order, with the exact count', async () => {
    const filter = { freeTextSearch: 'yhteinen' };
    const all = await gw.gql<any>(SEARCH, { filter, size: 100 });
    expect(all.body.data.meetings.totalCount).toBe(12);
    const order: string[] = all.body.data.meetings.meetings.map((m: any) => m.meetingId);
    expect([...order].sort()).toEqual([...common].sort());
    // Small pages walk (the word is in every page's worth of rows); they add up to the same order.
    const pages: string[] = [];
    for (let start = 0; start < 12; start += 3) {
      const page = await gw.gql<any>(SEARCH, { filter, size: 3, startIndex: start });
      expect(page.body.data.meetings.totalCount).toBe(12);
      pages.push(...page.body.data.meetings.meetings.map((m: any) => m.meetingId));
    }
    expect(pages).toEqual(order);
    const walked: string[] = [];
    let after: string | null = null;
    for (;;) {
      const res: any = await gw.gql<any>(CONNECTION, { filter, after });
      expect(res.body.data.meetingsConnection.totalCount).toBe(12);
      walked.push(...res.body.data.meetingsConnection.edges.map((e: any) => e.node.meetingId));
      if (!res.body.data.meetingsConnection.pageInfo.hasNextPage) break;
      after = res.body.data.meetingsConnection.edges.at(-1).cursor;
    }
    expect(walked).toEqual(order);
  });

  it('finds a rare word and a word of two characters, with their counts', async () => {
    const rareRes = await gw.gql<any>(SEARCH, { filter: { freeTextSearch: 'KUMMITUS' }, size: 2 });
    expect(rareRes.body.data.meetings).toEqual({ totalCount: 1, meetings: [{ meetingId: rare }] });
    const short = await gw.gql<any>(SEARCH, { filter: { freeTextSearch: 'eI yhteinen' }, size: 2 });
    expect(short.body.data.meetings.totalCount).toBe(12);
    expect(short.body.data.meetings.meetings).toHaveLength(2);
  });
});
