import { encodeCursor } from '../../src/meetings/domain/meeting-cursor';
import { TestGateway } from '../support/gateway';

const CONNECTION = `query ($filter: MeetingFilter, $sort: [MeetingSort!], $first: Int, $after: String, $last: Int, $before: String) {
  meetingsConnection(filter: $filter, sort: $sort, first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { meetingId } }
    nodes { meetingId }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;
const WITH_TOTAL = CONNECTION.replace('nodes { meetingId }', 'nodes { meetingId } totalCount');

interface Page {
  edges: { cursor: string; node: { meetingId: string } }[];
  nodes: { meetingId: string }[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
  totalCount?: number;
}

let gw: TestGateway;
beforeAll(async () => {
  gw = await TestGateway.start({ demoData: true });
});
afterAll(() => gw.stop());

async function page(variables: Record<string, unknown>, query = CONNECTION): Promise<Page> {
  const res = await gw.gql<{ meetingsConnection: Page }>(query, variables);
  if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
  return res.body.data!.meetingsConnection;
}

async function offsetIds(variables: Record<string, unknown>): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; ; start += 100) {
    const res = await gw.gql<{ meetings: { meetings: { meetingId: string }[] } }>(
      'query ($filter: MeetingFilter, $sort: [MeetingSort!], $start: Int) { meetings(filter: $filter, sort: $sort, startIndex: $start, size: 100) { meetings { meetingId } } }',
      { ...variables, start },
    );
    const batch = res.body.data!.meetings.meetings.map((m) => m.meetingId);
    ids.push(...batch);
    if (batch.length < 100) return ids;
  }
}

const SORTS = [
  undefined,
  [
    { field: 'STATUS_CODE', direction: 'ASC' },
    { field: 'CREATION_TIME', direction: 'DESC' },
  ],
  [{ field: 'TYPE_CODE', direction: 'DESC' }],
  [
    { field: 'SOURCE_TYPE_CODE', direction: 'ASC' },
    { field: 'VISIT_TIME', direction: 'ASC' },
  ],
  [{ field: 'MODIFICATION_TIME', direction: 'DESC' }],
];

describe('meetingsConnection', () => {
  it.each(SORTS.map((sort) => [JSON.stringify(sort ?? 'default'), sort]))(
    'walks forward page by page in the order of the search, sort %s',
    async (_name, sort) => {
      const filter = { statusCode: ['WAITING', 'WON', 'LOST'] };
      const expected = await offsetIds({ filter, sort });
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const p: Page = await page({ filter, sort, first: 17, after });
        seen.push(...p.edges.map((e) => e.node.meetingId));
        expect(p.nodes).toEqual(p.edges.map((e) => e.node));
        expect(p.pageInfo.hasPreviousPage).toBe(after !== null);
        if (!p.pageInfo.hasNextPage) break;
        after = p.pageInfo.endCursor;
      }
      expect(seen).toEqual(expected);
    },
  );

  it('walks backward from the end to the start in the same order', async () => {
    const expected = await offsetIds({});
    const seen: string[] = [];
    let before: string | null = null;
    for (;;) {
      const p: Page = await page({ last: 23, before });
      seen.unshift(...p.edges.map((e) => e.node.meetingId));
      expect(p.pageInfo.hasNextPage).toBe(before !== null);
      if (!p.pageInfo.hasPreviousPage) break;
      before = p.pageInfo.startCursor;
    }
    expect(seen).toEqual(expected);
  });

  it('gives 50 by default, and an empty page with null cursors when nothing matches', async () => {
    expect((await page({})).edges).toHaveLength(50);
    const none = await page({ filter: { freeTextSearch: 'nothing-matches-this' } });
    expect(none).toEqual({
      edges: [],
      nodes: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    });
  });

  it('counts the total only when it is selected', async () => {
    const without = await gw.countStatements(() => page({ first: 5 }));
    let total = 0;
    const withTotal = await gw.countStatements(async () => {
      total = (await page({ first: 5 }, WITH_TOTAL)).totalCount!;
    });
    expect(total).toBe(200);
    expect(withTotal).toBe(without + 1);
  });

  it('costs the same number of statements deep in the list as on the first page', async () => {
    let cursor: string | null = null;
    for (let i = 0; i < 3; i++)
      cursor = (await page({ first: 50, after: cursor })).pageInfo.endCursor;
    const first = await gw.countStatements(() => page({ first: 10 }));
    const deep = await gw.countStatements(() => page({ first: 10, after: cursor }));
    expect(deep).toBe(first);
  });

  it.each([
    [{ first: 0 }, 'first'],
    [{ first: 101 }, 'first'],
    [{ last: 0 }, 'last'],
    [{ first: 5, last: 5 }, 'last'],
    [{ after: 'bm90IGEgY3Vyc29y' }, 'after'],
    [{ last: 5, before: '!!' }, 'before'],
  ])('refuses %j with BAD_REQUEST_PARAMETERS naming %s', async (variables, target) => {
    const res = await gw.gql(CONNECTION, variables);
    expect(res.body.errors![0].extensions).toMatchObject({
      code: 'BAD_REQUEST_PARAMETERS',
      status: 400,
    });
    expect(res.body.errors![0].extensions.errors!.map((e) => e.target)).toContain(target);
  });

  it('refuses a cursor made under another sort or filter, or tampered with', async () => {
    const { endCursor } = (await page({ first: 5 })).pageInfo;
    for (const variables of [
      { first: 5, after: endCursor, sort: [{ field: 'TYPE_CODE' }] },
      { first: 5, after: endCursor, filter: { statusCode: ['WON'] } },
      { first: 5, after: `${endCursor!.slice(0, -2)}AA` },
    ]) {
      const res = await gw.gql(CONNECTION, variables);
      expect(res.body.errors![0].extensions).toMatchObject({
        code: 'BAD_REQUEST_PARAMETERS',
        errors: [{ target: 'after', errorCode: 'INVALID_VALUE' }],
      });
    }
  });

  it('refuses a cursor whose checksum was remade over values no meeting can have', async () => {
    const SORT = [{ field: 'STATUS_CODE' }, { field: 'VISIT_TIME' }];
    const { endCursor } = (await page({ first: 5, sort: SORT })).pageInfo;
    const text = Buffer.from(endCursor!, 'base64url').toString('utf8');
    const [version, fingerprint, values] = JSON.parse(text.slice(0, text.lastIndexOf('|'))) as [
      number,
      string,
      string[],
    ];
    expect(version).toBe(1);
    const [status, visitTime, id] = values;
    for (const forged of [
      ['WAIT\u0000ING', visitTime, id],
      ['NO_SUCH_STATUS', visitTime, id],
      [status, 'not a time', id],
      [status, '2026-02-30T08:00:00.000Z', id],
      [status, visitTime, 'not-an-id'],
    ]) {
      const cursor = encodeCursor({ values: forged }, fingerprint);
      const res = await gw.gql(CONNECTION, {
        first: 5,
        after: cursor,
        sort: SORT,
      });
      expect(res.body.errors![0].extensions).toMatchObject({
        code: 'BAD_REQUEST_PARAMETERS',
        errors: [
          {
            target: 'after',
            errorCode: 'INVALID_VALUE',
            message: 'after is not a cursor of this connection',
          },
        ],
      });
    }
  });

  it("stays inside the caller's offices", async () => {
    const office = '6f1c1d36-5d5e-4c1a-9a55-0b1f0e8c0003';
    const token = await gw.token({ subject: 'turku', offices: [office] });
    const res = await gw.gql<{
      meetingsConnection: { totalCount: number; nodes: { agencyOfficeId: string }[] };
    }>('{ meetingsConnection(first: 100) { totalCount nodes { agencyOfficeId } } }', undefined, {
      authorization: `Bearer ${token}`,
    });
    expect(res.body.data!.meetingsConnection.totalCount).toBe(50);
    expect(new Set(res.body.data!.meetingsConnection.nodes.map((n) => n.agencyOfficeId))).toEqual(
      new Set([office]),
    );
  });
});
