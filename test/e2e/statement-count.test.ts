import { TestGateway } from '../support/gateway';
import { onPostgres } from '../support/postgres';

// A page of meetings with parties, agents and their directory names costs a constant number of SQL
// statements, whatever the page size: the page's statement brings each meeting's parties and agents,
// their directory names joined in.
const PAGE = `query ($size: Int) {
  meetings(size: $size, filter: { freeTextSearch: "a" }) {
    totalCount
    meetings {
      meetingId
      parties { partyId partyName emailAddress phoneNumber }
      agents { agentId firstName lastName }
      address { locality }
    }
  }
}`;

let gw: TestGateway;
beforeAll(async () => {
  gw = await TestGateway.start({ demoData: true });
});
afterAll(() => gw.stop());

describe('meetings page cost', () => {
  it('does not grow with the page size', async () => {
    const costs: Record<number, number> = {};
    for (const size of [1, 10, 50, 100]) {
      costs[size] = await gw.countStatements(async () => {
        const res = await gw.gql<{
          meetings: { meetings: { parties: { partyName: string }[] }[] };
        }>(PAGE, { size });
        expect(res.body.errors).toBeUndefined();
        expect(res.body.data!.meetings.meetings).toHaveLength(size);
        expect(
          res.body.data!.meetings.meetings.every((m) => m.parties.every((p) => p.partyName)),
        ).toBe(true);
      });
    }
    // the page with its parties and agents and their names; the count
    expect(costs).toEqual({ 1: 2, 10: 2, 50: 2, 100: 2 });
  });

  it('counts the matches only when totalCount is selected', async () => {
    const page = (selection: string) =>
      gw.countStatements(async () => {
        const res = await gw.gql(
          `{ meetings(size: 10, filter: { freeTextSearch: "a" }) { ${selection} } }`,
        );
        expect(res.body.errors).toBeUndefined();
      });
    // the page with its parties and agents; the count is a second
    expect(await page('meetings { meetingId parties { partyName } agents { firstName } }')).toBe(1);
    expect(
      await page('totalCount meetings { meetingId parties { partyName } agents { firstName } }'),
    ).toBe(2);
  });

  it('adds one statement for totalCount when free text and a filter search: the page found how common the word is', async () => {
    const filter = '{ freeTextSearch: "tampere", statusCode: [WAITING, WON] }';
    const cost = (query: string) =>
      gw.countStatements(async () => {
        const res = await gw.gql<Record<string, { totalCount?: number }>>(query);
        expect(res.body.errors).toBeUndefined();
        if (query.includes('totalCount')) {
          expect(Object.values(res.body.data!)[0].totalCount).toBeGreaterThan(1);
        }
      });
    const search = (selection: string, size = 10) =>
      cost(
        `{ meetings(size: ${size}, filter: ${filter}) { ${selection} meetings { meetingId } } }`,
      );
    expect((await search('totalCount')) - (await search(''))).toBe(1);
    const connection = (selection: string) =>
      cost(
        `{ meetingsConnection(first: 10, filter: ${filter}) { ${selection} edges { cursor } } }`,
      );
    expect((await connection('totalCount')) - (await connection(''))).toBe(1);
    // A page of one counted too few of the word’s rows to tell about a page of 50: the count
    // looks for itself (SQLite; PostgreSQL's planner weighs the word in the count's statement).
    const lookup = onPostgres() ? 0 : 1;
    expect((await search('totalCount', 1)) - (await search('', 1))).toBe(1 + lookup);
  });

  it('finds how common a word is in one statement (SQLite), none on PostgreSQL whose planner weighs it', async () => {
    const statements = await gw.countStatements(async () => {
      const res = await gw.gql(
        '{ meetings(size: 5, filter: { freeTextSearch: "tampere" }) { meetings { meetingId } } }',
      );
      expect(res.body.errors).toBeUndefined();
    });
    // the page with its parties and agents; and on SQLite the word's frequency
    expect(statements).toBe(onPostgres() ? 1 : 2);
  });

  it('is one statement for one meeting with every name', async () => {
    const id = 'd3e0c0de-0000-4000-8000-000000300001';
    const one = `query ($id: UUID!) { meeting(meetingId: $id) {
      meetingId parties { partyName emailAddress phoneNumber } agents { firstName lastName } } }`;
    let read: Awaited<ReturnType<typeof gw.gql>> | undefined;
    const statements = await gw.countStatements(async () => {
      read = await gw.gql(one, { id });
    });
    expect(read!.body.errors).toBeUndefined();
    // the meeting with its parties and agents and their names
    expect(statements).toBe(1);
    const parties = (read!.body.data as { meeting: { parties: { partyName: string }[] } }).meeting
      .parties;
    expect(parties.every((p) => p.partyName.length > 0)).toBe(true);
  });
});

describe('demo data', () => {
  it('fills a new database with about 200 meetings over every status, type, source and several offices', async () => {
    const count = (column: string) =>
      gw.count(`SELECT count(DISTINCT ${column}) AS n FROM meeting`);
    const total = await gw.count('SELECT count(*) AS n FROM meeting');
    expect(total).toBe(200);
    expect(await count('status_code')).toBe(4);
    expect(await count('type_code')).toBe(2);
    expect(await count('source_type_code')).toBe(15);
    expect(await count('agency_office_id')).toBeGreaterThanOrEqual(3);
    const res = await gw.gql<{ meetings: { meetings: { parties: { partyName: string }[] }[] } }>(
      '{ meetings(filter: { freeTextSearch: "tampere" }, size: 1) { meetings { parties { partyName } } } }',
    );
    expect(res.body.data!.meetings.meetings[0].parties[0].partyName).toMatch(/\S+ \S+/);
  });
});
