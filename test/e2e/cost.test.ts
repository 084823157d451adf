import { LIMIT_SETTINGS } from '../../src/config/limit-settings';
import { toGlobalId } from '../../src/relay/global-id';
import {
  EVERY_ADDRESS_FIELD,
  EVERY_MEETING_FIELD,
  FULL_MEETING_COST,
} from '../support/full-meeting';
import { TestGateway } from '../support/gateway';

// The contract ("Frontends in browsers"): the largest legal page with every field passes the
// default cost limit; a page size outside 1..100 is BAD_REQUEST_PARAMETERS naming the argument,
// never a cost error; every answer carries its cost.
const LIMIT = LIMIT_SETTINGS.maxCost.default;

let gw: TestGateway;
beforeAll(async () => {
  gw = await TestGateway.start({ demoData: true, limits: { maxCost: LIMIT } });
});
afterAll(() => gw.stop());

interface Page {
  meetings: { meetings: { meetingId: string }[] };
}
interface ConnectionPage {
  meetingsConnection: {
    totalCount: number;
    edges: { cursor: string; node: { meetingId: string } }[];
    nodes: { meetingId: string }[];
    pageInfo: { hasNextPage: boolean };
  };
}

const FULL_PAGE = `query ($size: Int) {
  meetings(size: $size) { totalCount meetings { ${EVERY_MEETING_FIELD} } }
} ${EVERY_ADDRESS_FIELD}`;
const FULL_CONNECTION = `query ($first: Int, $last: Int) {
  meetingsConnection(first: $first, last: $last) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { ${EVERY_MEETING_FIELD} } }
    nodes { ${EVERY_MEETING_FIELD} }
  }
} ${EVERY_ADDRESS_FIELD}`;

const costError = (requested: number) => ({
  message: `The query has cost ${requested}; at most ${LIMIT} is allowed`,
  extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
});

describe('the default cost limit', () => {
  it('is 2,000', () => {
    expect(LIMIT).toBe(2000);
  });
});

describe('meetings', () => {
  it('returns the largest page with every field a search result has, within the default limit', async () => {
    const res = await gw.gql<Page>(FULL_PAGE, { size: 100 });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.meetings.meetings).toHaveLength(100);
    expect(res.body.extensions).toEqual({
      cost: { requested: 1 + 100 * FULL_MEETING_COST, limit: LIMIT },
    });
  });
});

describe('meetingsConnection', () => {
  it.each([
    ['first', { first: 100 }],
    ['last', { last: 100 }],
  ])(
    'returns the largest page (%s: 100) with edges, nodes, pageInfo and totalCount, within the default limit',
    async (_, page) => {
      const res = await gw.gql<ConnectionPage>(FULL_CONNECTION, page);
      expect(res.body.errors).toBeUndefined();
      const connection = res.body.data!.meetingsConnection;
      expect([connection.edges.length, connection.nodes.length]).toEqual([100, 100]);
      // The connection 1, 100 edges of 1 + 8, 100 nodes of 8, pageInfo 1.
      expect(res.body.extensions).toEqual({ cost: { requested: 1702, limit: LIMIT } });
    },
  );
});

describe('pages that together cost too much', () => {
  it('refuses ten aliases of the largest page with the cost error, before any SQL', async () => {
    const pages = Array.from(
      { length: 10 },
      (_, i) => `p${i}: meetings(size: 100) { meetings { ${EVERY_MEETING_FIELD} } }`,
    ).join('\n');
    let res!: Awaited<ReturnType<TestGateway['gql']>>;
    const statements = await gw.countStatements(async () => {
      res = await gw.gql(`{ ${pages} } ${EVERY_ADDRESS_FIELD}`);
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      errors: [costError(8010)],
      extensions: { cost: { requested: 8010, limit: LIMIT } },
    });
    expect(statements).toBe(0);
  });

  it('refuses three aliases of the largest connection page', async () => {
    const page = `meetingsConnection(first: 100) { edges { node { ${EVERY_MEETING_FIELD} } } }`;
    const res = await gw.gql(`{ a: ${page} b: ${page} c: ${page} } ${EVERY_ADDRESS_FIELD}`);
    expect(res.body.errors).toMatchObject([costError(3 * 901)]);
  });

  it('refuses three aliases of 100 ids, in meetingsByIds and in nodes', async () => {
    const ids = Array.from(
      { length: 100 },
      (_, i) => `7e57e57e-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    const byIds = `meetingsByIds(meetingIds: $ids) { ${EVERY_MEETING_FIELD} }`;
    const refused = await gw.gql(
      `query ($ids: [UUID!]!) { a: ${byIds} b: ${byIds} c: ${byIds} } ${EVERY_ADDRESS_FIELD}`,
      { ids },
    );
    expect(refused.body.errors).toMatchObject([costError(2400)]);
    const nodes = `nodes(ids: $ids) { ... on Meeting { ${EVERY_MEETING_FIELD} } }`;
    const globalIds = ids.map((id) => toGlobalId('Meeting', id));
    const refusedNodes = await gw.gql(
      `query ($ids: [ID!]!) { a: ${nodes} b: ${nodes} c: ${nodes} } ${EVERY_ADDRESS_FIELD}`,
      { ids: globalIds },
    );
    expect(refusedNodes.body.errors).toMatchObject([costError(2400)]);
    // One list of 100 ids is within the limit.
    const one = await gw.gql(`query ($ids: [ID!]!) { ${nodes} } ${EVERY_ADDRESS_FIELD}`, {
      ids: globalIds,
    });
    expect(one.body.errors).toBeUndefined();
    expect(one.body.extensions).toEqual({ cost: { requested: 800, limit: LIMIT } });
  });
});

describe('a page size out of range', () => {
  const expectRefusal = (
    res: Awaited<ReturnType<TestGateway['gql']>>,
    target: string,
    message: string,
  ) => {
    expect(res.body.data).toBeNull();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors![0].extensions).toMatchObject({
      code: 'BAD_REQUEST_PARAMETERS',
      errors: [{ target, errorCode: 'INVALID_VALUE', message }],
    });
  };

  it.each([0, 101, 100_000, -1, 2 ** 31 - 1])(
    'size %i is BAD_REQUEST_PARAMETERS naming size, in the document or a variable',
    async (size) => {
      expectRefusal(await gw.gql(FULL_PAGE, { size }), 'size', 'size must be from 1 to 100');
      const inline = `{ meetings(size: ${size}) { meetings { ${EVERY_MEETING_FIELD} } } } ${EVERY_ADDRESS_FIELD}`;
      expectRefusal(await gw.gql(inline), 'size', 'size must be from 1 to 100');
    },
  );

  it.each([0, 101, 100_000, -5])(
    'first or last %i is BAD_REQUEST_PARAMETERS naming it',
    async (n) => {
      expectRefusal(
        await gw.gql(FULL_CONNECTION, { first: n }),
        'first',
        'first must be from 1 to 100',
      );
      expectRefusal(
        await gw.gql(FULL_CONNECTION, { last: n }),
        'last',
        'last must be from 1 to 100',
      );
    },
  );

  it('is refused by the field, not for cost, even aliased ten times', async () => {
    const pages = Array.from(
      { length: 10 },
      (_, i) => `p${i}: meetings(size: 100000) { meetings { ${EVERY_MEETING_FIELD} } }`,
    ).join('\n');
    const res = await gw.gql(`{ ${pages} } ${EVERY_ADDRESS_FIELD}`);
    // The first refusal nulls the whole answer (the pages are non-null); none is a cost error.
    expect(res.body.errors!.length).toBeGreaterThan(0);
    for (const error of res.body.errors!) {
      expect(error.extensions).toMatchObject({
        code: 'BAD_REQUEST_PARAMETERS',
        errors: [{ target: 'size' }],
      });
    }
    expect(res.body.extensions).toEqual({ cost: { requested: 10, limit: LIMIT } });
  });

  it('101 ids are BAD_REQUEST_PARAMETERS naming meetingIds', async () => {
    const ids = Array.from(
      { length: 101 },
      (_, i) => `7e57e57e-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    const res = await gw.gql(
      `query ($ids: [UUID!]!) { meetingsByIds(meetingIds: $ids) { ${EVERY_MEETING_FIELD} } } ${EVERY_ADDRESS_FIELD}`,
      { ids },
    );
    expectRefusal(res, 'meetingIds', 'At most 100 ids');
  });
});

describe('extensions.cost', () => {
  it('is in the answer of an operation that ran: requested and limit', async () => {
    // The page 1, and 3 meetings of 1 + parties 1.
    const res = await gw.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query:
          '{ meetings(size: 3, sort: [{ field: VISIT_TIME, direction: ASC }]) { totalCount meetings { statusCode parties { partyTypeCode } } } }',
      }),
    });
    const body = (await res.json()) as { data: { meetings: { totalCount: number } } };
    expect(Object.keys(body)).toEqual(['data', 'extensions']);
    expect(body.data.meetings.totalCount).toBe(200);
    expect(body).toMatchObject({ extensions: { cost: { requested: 7, limit: LIMIT } } });
  });

  it('is in the answer of an operation that failed in a resolver', async () => {
    const res = await gw.gql(
      '{ meeting(meetingId: "7e57e57e-0000-4000-8000-000000000abc") { meetingId address { locality } } }',
    );
    expect(res.body.errors![0].extensions.code).toBe('INVALID_ID');
    expect(res.body.extensions).toEqual({ cost: { requested: 2, limit: LIMIT } });
  });

  it('is not in the answer of a document that does not parse or validate: it has no cost', async () => {
    const unparsed = await gw.gql('{ meetings(');
    expect(unparsed.body.errors![0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(unparsed.body.extensions).toBeUndefined();
    const invalid = await gw.gql('{ meetings { nothing } }');
    expect(invalid.body.errors![0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(invalid.body.extensions).toBeUndefined();
  });

  it('is in the answers of the federation subgraph too', async () => {
    const res = await gw.fetch('/subgraph', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${gw.adminToken}` },
      body: JSON.stringify({ query: '{ meetings(size: 5) { meetings { meetingId } } }' }),
    });
    const body = (await res.json()) as { extensions: unknown };
    expect(body.extensions).toEqual({ cost: { requested: 6, limit: LIMIT } });
  });
});
