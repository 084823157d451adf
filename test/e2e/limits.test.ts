import { gzipSync } from 'node:zlib';
import { findMeeting } from '../../src/meetings/storage/meeting-reads';
import { UPDATE_MEETING, createMeeting, meetingInput, smallDirectory } from '../support/fixtures';
import { TestGateway } from '../support/gateway';

// Each limit at its edge, with the defaults: the largest allowed request passes, one step more is
// refused with a clear code, before any resolver runs (no SQL statement is sent).
let gw: TestGateway;
beforeAll(async () => {
  gw = await TestGateway.start({
    limits: { maxCost: 2000, maxBodyBytes: 65536, maxQueryLength: 15000, maxTokens: 1000 },
  });
});
afterAll(() => gw.stop());

async function run(query: string, variables?: Record<string, unknown>) {
  let res!: Awaited<ReturnType<TestGateway['gql']>>;
  const statements = await gw.countStatements(async () => {
    res = await gw.gql(query, variables);
  });
  return { res, statements };
}

// Real selections nest at most 5 deep in this schema, so depth is probed through introspection.
const DEPTH_8 =
  '{ __schema { types { fields { args { type { inputFields { type { name } } } } } } } }';
const DEPTH_9 =
  '{ __schema { types { fields { args { type { inputFields { type { enumValues { name } } } } } } } } }';

describe('query depth', () => {
  it('allows 8 levels and refuses 9', async () => {
    const allowed = await run(DEPTH_8);
    expect(allowed.res.body.errors).toBeUndefined();
    const { res, statements } = await run(DEPTH_9);
    expect(res.status).toBe(400);
    expect(res.body.errors![0]).toMatchObject({
      message: 'The query has depth 9; at most 8 are allowed',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    expect(statements).toBe(0);
  });

  it('counts the fields of fragments where they are spread', async () => {
    const query = `query { ...A } fragment A on Query { __schema { ...B } } fragment B on __Schema { types { fields { args { type { inputFields { type { enumValues { name } } } } } } } }`;
    expect((await run(query)).res.body.errors![0].message).toBe(
      'The query has depth 9; at most 8 are allowed',
    );
  });
});

describe("GraphiQL's introspection query", () => {
  it('passes every limit at the defaults', async () => {
    const { getIntrospectionQuery } = await import('graphql');
    const query = getIntrospectionQuery({
      descriptions: true,
      inputValueDeprecation: true,
      schemaDescription: true,
      directiveIsRepeatable: true,
      specifiedByUrl: true,
    });
    const { res } = await run(query);
    expect(res.body.errors).toBeUndefined();
    expect(res.status).toBe(200);
  });
});

describe('aliases', () => {
  const aliases = (n: number) =>
    `{ ${Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(' ')} }`;
  it('allows 15 and refuses 16', async () => {
    expect((await run(aliases(15))).res.status).toBe(200);
    const { res } = await run(aliases(16));
    expect(res.status).toBe(400);
    expect(res.body.errors![0].message).toBe('The query has aliases 16; at most 15 are allowed');
  });
});

describe('directives', () => {
  const directives = (n: number) => `{ ${'... @include(if: true) { __typename } '.repeat(n)}}`;
  it('allows 10 and refuses 11', async () => {
    expect((await run(directives(10))).res.status).toBe(200);
    const { res } = await run(directives(11));
    expect(res.status).toBe(400);
    expect(res.body.errors![0].message).toBe('The query has directives 11; at most 10 are allowed');
  });
});

describe('cost', () => {
  // Two full-width pages of 1 + 100 x 8, a page of 1 + 99 x 4, and a node of 1 or 2: 2,000 or 2,001.
  const WIDE = `meetings { parties { partyId } agents { agentId } address { locality }
    priceEstimate { value } meetingRealty { area { value } address { locality } } }`;
  const costed = (node: string) => `{
    a: meetings(size: 100) { ${WIDE} }
    b: meetings(size: 100) { ${WIDE} }
    c: meetings(size: 99) { meetings { parties { partyId } agents { agentId } address { locality } } }
    d: node(id: "none") { ${node} } }`;

  it('allows a cost of 2,000 and refuses 2,001, before any SQL', async () => {
    const ok = await run(costed('id'));
    expect(ok.res.body.errors).toBeUndefined();
    expect(ok.res.body.extensions).toEqual({ cost: { requested: 2000, limit: 2000 } });
    const { res, statements } = await run(costed('... on Meeting { address { locality } }'));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errors: [
        {
          message: 'The query has cost 2001; at most 2000 is allowed',
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED', requestId: expect.any(String) },
        },
      ],
      extensions: { cost: { requested: 2001, limit: 2000 } },
    });
    expect(statements).toBe(0);
  });

  it('prices a page at 1 plus its size times what each meeting selects: scalars nothing, objects 1', async () => {
    // Each meeting: itself 1, parties 1, agents 1, address 1; its scalars and enums nothing.
    const page = (size: number) =>
      `{ meetings(size: ${size}) { totalCount meetings { meetingId statusCode parties { partyName } agents { firstName lastName } address { addressLine1 locality } } } }`;
    expect((await run(page(10))).res.body.extensions).toEqual({
      cost: { requested: 41, limit: 2000 },
    });
    expect((await run(page(100))).res.body.extensions).toEqual({
      cost: { requested: 401, limit: 2000 },
    });
  });

  it('prices the same query text anew for each page size and @include given in variables', async () => {
    // Costs 1 + size x 4, or 1 + size x 2 without the parties and agents.
    const query = `query ($size: Int, $full: Boolean!, $filter: MeetingFilter) {
      meetings(size: $size, filter: $filter) { meetings { meetingId
        address { addressLine1 locality }
        parties @include(if: $full) { partyName } agents @include(if: $full) { firstName lastName } } } }`;
    const requested = async (variables: Record<string, unknown>) =>
      (await gw.gql(query, variables)).body.extensions?.cost?.requested;
    expect(await requested({ size: 100, full: true })).toBe(401);
    expect(await requested({ size: 10, full: true })).toBe(41);
    expect(await requested({ size: 100, full: false })).toBe(201);
    expect(await requested({ size: 100, full: true, filter: { statusCode: ['WON'] } })).toBe(401);
    expect(await requested({ size: 50, full: true, filter: { statusCode: ['WON'] } })).toBe(201);
    expect(await requested({ size: 100, full: true })).toBe(401);
  });
});

describe('cost of id lists', () => {
  it('prices meetingsByIds by the number of ids', async () => {
    const ids = Array.from(
      { length: 100 },
      (_, i) => `7e57e57e-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    // 100 x (the meeting 1 + parties 1 + agents 1)
    const query = `query ($ids: [UUID!]!) { meetingsByIds(meetingIds: $ids) { meetingId visitTime typeCode statusCode notes parties { partyName emailAddress } agents { firstName } } }`;
    expect((await gw.gql(query, { ids })).body.extensions).toEqual({
      cost: { requested: 300, limit: 2000 },
    });
    expect((await gw.gql(query, { ids: ids.slice(0, 7) })).body.extensions).toEqual({
      cost: { requested: 21, limit: 2000 },
    });
  });
});

describe('tokens', () => {
  it('allows 1,000 tokens and refuses 1,001', async () => {
    // 16 tokens of frame and one per list value.
    const tokens = (n: number) =>
      `{ meetings(filter: { statusCode: [${' WAITING'.repeat(n - 16)} ] }) { totalCount } }`;
    const allowed = await run(tokens(1000));
    // Parsed and validated: the service itself then refuses a list of 984 values.
    expect(allowed.res.body.errors![0].extensions.code).toBe('BAD_REQUEST_PARAMETERS');
    const { res, statements } = await run(tokens(1001));
    expect(res.status).toBe(400);
    expect(res.body.errors![0]).toMatchObject({
      message: 'Syntax Error: Document contains more that 1000 tokens. Parsing aborted.',
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    });
    expect(statements).toBe(0);
  });
});

describe('query text', () => {
  it('allows 15,000 characters and refuses 15,001', async () => {
    const padded = (length: number) => {
      const head = '{ __typename }\n#';
      return head + 'x'.repeat(length - head.length);
    };
    expect((await run(padded(15000))).res.status).toBe(200);
    const { res } = await run(padded(15001));
    expect(res.status).toBe(400);
    expect(res.body.errors![0].extensions).toMatchObject({
      code: 'BAD_REQUEST_PARAMETERS',
      errors: [{ target: 'query', errorCode: 'INVALID_VALUE' }],
    });
  });
});

describe('request body', () => {
  const body = (bytes: number) => {
    const base = JSON.stringify({ query: '{ __typename }', variables: { pad: '' } });
    return JSON.stringify({
      query: '{ __typename }',
      variables: { pad: 'x'.repeat(bytes - base.length) },
    });
  };
  const post = (text: string) =>
    gw.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: text,
    });

  it('allows 64 KiB and refuses one byte more with 413', async () => {
    expect(Buffer.byteLength(body(65536))).toBe(65536);
    expect((await post(body(65536))).status).toBe(200);
    const res = await post(body(65537));
    expect(res.status).toBe(413);
    expect(
      ((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions
        .code,
    ).toBe('PAYLOAD_TOO_LARGE');
  });

  it('counts the bytes of a body sent without Content-Length, and of a compressed one once inflated', async () => {
    const chunked = (text: string) =>
      gw.fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: new Blob([text]).stream(),
        duplex: 'half',
      } as RequestInit);
    expect((await chunked(body(65536))).status).toBe(200);
    expect((await chunked(body(65537))).status).toBe(413);
    // 64 KiB + 1 of one repeated letter compresses to a few hundred bytes.
    const gzipped = (text: string) =>
      gw.fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: new Uint8Array(gzipSync(text)),
      });
    expect((await gzipped(body(65536))).status).toBe(200);
    const res = await gzipped(body(65537));
    expect(res.status).toBe(413);
    expect(
      ((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions
        .code,
    ).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('CSRF prevention', () => {
  it('refuses a GET without a token, as a browser form or image could send it', async () => {
    const res = await fetch(`${gw.origin}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: 'application/json' },
    });
    expect(res.status).toBe(401);
  });

  it('takes the Authorization header as the preflight a browser must send: GET with a token runs', async () => {
    const res = await gw.fetch(`/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: 'application/json' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      data: { __typename: 'Query' },
      extensions: { cost: { requested: 0, limit: 2000 } },
    });
  });
});

describe('rate limit', () => {
  it('lets a caller spend its burst, then answers 429 with Retry-After, per caller', async () => {
    const limited = await TestGateway.start({
      limits: { rateLimitPerSecond: 1, rateLimitBurst: 5 },
    });
    try {
      const a = await limited.token({ subject: 'a', admin: true });
      const b = await limited.token({ subject: 'b', admin: true });
      const ask = (token: string) =>
        limited.gql('{ __typename }', undefined, { authorization: `Bearer ${token}` });
      for (let i = 0; i < 5; i++) expect((await ask(a)).status).toBe(200);
      const refused = await ask(a);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(refused.body.errors![0].extensions).toMatchObject({
        code: 'TOO_MANY_REQUESTS',
        status: 429,
      });
      expect((await ask(b)).status).toBe(200);
    } finally {
      await limited.stop();
    }
  });
});

describe('refused tokens', () => {
  it('are rate limited per address: 401 within the burst, then 429', async () => {
    const limited = await TestGateway.start({
      limits: { rateLimitPerSecond: 1, rateLimitBurst: 3 },
    });
    try {
      const guess = () =>
        limited.gql('{ __typename }', undefined, { authorization: 'Bearer guessed.token.value' });
      for (let i = 0; i < 3; i++) expect((await guess()).status).toBe(401);
      const refused = await guess();
      expect(refused.status).toBe(429);
      expect(refused.body.errors![0].extensions.code).toBe('TOO_MANY_REQUESTS');
    } finally {
      await limited.stop();
    }
  });
});

describe('operation time limit', () => {
  it('cuts off an operation still waiting for the database at its deadline with SERVICE_UNAVAILABLE', async () => {
    const slow = await TestGateway.start({ limits: { operationTimeoutMs: 200 } });
    try {
      const dir = await smallDirectory(slow);
      const id = await createMeeting(slow, meetingInput(dir.parties, dir.agents));
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      // Another writer holds the meeting: SQLite's one writer, PostgreSQL's row lock.
      let locked!: () => void;
      const holding = new Promise<void>((resolve) => (locked = resolve));
      const writer = slow.app.db.transaction(async (m) => {
        await findMeeting(m, id, null, { forUpdate: true });
        locked();
        await held;
      });
      await holding;
      const started = Date.now();
      const res = await slow.gql(UPDATE_MEETING, {
        meetingId: id,
        input: meetingInput(dir.parties, dir.agents, { notes: 'late' }),
      });
      const waited = Date.now() - started;
      release();
      await writer;
      expect(res.body.errors![0]).toMatchObject({
        message: 'The operation ran past its time limit',
        extensions: { code: 'SERVICE_UNAVAILABLE', status: 503 },
      });
      expect(waited).toBeGreaterThanOrEqual(190);
      // Nothing of the cut-off update was kept, and the meeting can be written again.
      const after = await slow.gql<{ meeting: { notes: string | null } }>(
        'query ($id: UUID!) { meeting(meetingId: $id) { notes } }',
        { id },
      );
      expect(after.body.data!.meeting.notes).not.toBe('late');
      const again = await slow.gql(UPDATE_MEETING, {
        meetingId: id,
        input: meetingInput(dir.parties, dir.agents, { notes: 'in time' }),
      });
      expect(again.body.errors).toBeUndefined();
    } finally {
      await slow.stop();
    }
  });
});

describe('introspection and hints in production', () => {
  it('are off unless enabled', async () => {
    const prod = await TestGateway.start({ introspection: false, production: true });
    try {
      const schema = await prod.gql('{ __schema { types { name } } }');
      expect(schema.status).toBe(400);
      expect(schema.body.errors![0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      const typo = await prod.gql(
        '{ meeting(meetingId: "7e57e57e-0000-4000-8000-000000000001") { meetingIdd } }',
      );
      expect(typo.body.errors![0].message).not.toMatch(/Did you mean/);
      const dev = await gw.gql(
        '{ meeting(meetingId: "7e57e57e-0000-4000-8000-000000000001") { meetingIdd } }',
      );
      expect(dev.body.errors![0].message).toMatch(/Did you mean "meetingId"/);
    } finally {
      await prod.stop();
    }
  });
});
