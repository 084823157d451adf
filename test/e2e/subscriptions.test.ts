import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import {
  DELETE_MEETING,
  OFFICE_A,
  OFFICE_B,
  UPDATE_MEETING,
  createMeeting,
  meetingInput,
  smallDirectory,
} from '../support/fixtures';
import { TestGateway } from '../support/gateway';
import { WsConnection } from '../support/live-client';

interface Changed {
  meetingChanged: {
    op: string;
    meetingId: string;
    agencyOfficeId: string;
    version: number;
    cursor: string;
    meeting: { meetingId: string; version: number; notes: string | null } | null;
  };
}

const CHANGED = `subscription ($offices: [UUID!], $after: String) {
  meetingChanged(agencyOfficeIds: $offices, after: $after) {
    op meetingId agencyOfficeId version cursor meeting { meetingId version notes }
  }
}`;

type Dir = Awaited<ReturnType<typeof smallDirectory>>;

/** The next change of subscription `id`, as op, meetingId, office, version and meeting. */
async function nextChange(ws: WsConnection, id: string, timeoutMs?: number) {
  const event = await ws.event<Changed>(id, timeoutMs);
  expect(event.errors).toBeUndefined();
  return event.data!.meetingChanged;
}

/** Subscribes and waits until the gateway counts the subscription as running. */
async function subscribed(
  gw: TestGateway,
  ws: WsConnection,
  id: string,
  variables: Record<string, unknown> = {},
): Promise<void> {
  const before = gw.app.live.subscriptionCount;
  ws.subscribe(id, CHANGED, variables);
  await gw.app.live.running(before + 1);
}

describe('subscriptions: meetingChanged over graphql-ws', () => {
  let gw: TestGateway;
  let dir: Dir;
  let officeA: string;
  beforeAll(async () => {
    gw = await TestGateway.start({
      corsOrigins: ['https://app.example'],
      // PostgreSQL: a change another test's open transaction held back shows at the next poll.
      live: { pollIntervalMs: 200, keepAliveMs: 1000 },
    });
    dir = await smallDirectory(gw);
    officeA = await gw.token({ subject: 'agent-a', offices: [OFFICE_A] });
  });
  afterAll(() => gw.stop());
  // Each test closes its sockets; the gateway has seen them close before the next one counts.
  afterEach(() => gw.app.live.running(0));

  // First of the file: no earlier subscription's stream is still leaving the feed.
  it('counts a subscription as running once it follows the feed: what commits next reaches it', async () => {
    const ws = await WsConnection.connect(gw.url, officeA);
    try {
      expect(gw.app.services.meetings.changeWatchers).toBe(0);
      await subscribed(gw, ws, 'now');
      expect(gw.app.services.meetings.changeWatchers).toBe(1);
      const id = await createMeeting(gw, meetingInput(dir.parties, dir.agents, { notes: 'next' }));
      expect(await nextChange(ws, 'now', 1000)).toMatchObject({ op: 'CREATED', meetingId: id });
    } finally {
      await ws.close();
    }
  });

  it('ends an id completed and subscribed again at once: nothing counted or following the feed after the socket closes', async () => {
    const ws = await WsConnection.connect(gw.url, officeA);
    await subscribed(gw, ws, 'again');
    const latest = await gw.gql<{ latestChangeCursor: string }>('{ latestChangeCursor }');
    ws.complete('again');
    ws.subscribe('again', CHANGED, { after: latest.body.data!.latestChangeCursor });
    // The new subscription runs (from the cursor: however long it takes to set up).
    const id = await createMeeting(gw, meetingInput(dir.parties, dir.agents, { notes: 'again' }));
    expect(await nextChange(ws, 'again', 1000)).toMatchObject({ meetingId: id });
    await ws.close();
    // Counted no more (before, the first one's end took the second's place and it stayed counted).
    await gw.app.live.running(0);
    expect(gw.app.services.meetings.changeWatchers).toBe(0);
  });

  it("delivers CREATED, UPDATED (version 2) and DELETED (meeting null) of the caller's office, never another office's", async () => {
    const ws = await WsConnection.connect(gw.url, officeA);
    await subscribed(gw, ws, 's1');
    const inB = await createMeeting(
      gw,
      meetingInput(dir.parties, dir.agents, { agencyOfficeId: OFFICE_B }),
    );
    const id = await createMeeting(gw, meetingInput(dir.parties, dir.agents, { notes: 'one' }));
    const created = await nextChange(ws, 's1', 1000);
    // The office B meeting came first and was not delivered.
    expect(created).toMatchObject({ op: 'CREATED', meetingId: id, agencyOfficeId: OFFICE_A });
    expect(created.version).toBe(1);
    expect(created.meeting).toEqual({ meetingId: id, version: 1, notes: 'one' });

    const updated = await gw.gql(UPDATE_MEETING, {
      meetingId: id,
      input: meetingInput(dir.parties, dir.agents, { notes: 'two' }),
    });
    expect(updated.body.errors).toBeUndefined();
    expect(await nextChange(ws, 's1', 1000)).toMatchObject({
      op: 'UPDATED',
      meetingId: id,
      version: 2,
      meeting: { meetingId: id, version: 2, notes: 'two' },
    });
    expect((await gw.gql(DELETE_MEETING, { meetingId: id })).body.errors).toBeUndefined();
    expect((await gw.gql(DELETE_MEETING, { meetingId: inB })).body.errors).toBeUndefined();
    expect(await nextChange(ws, 's1', 1000)).toMatchObject({
      op: 'DELETED',
      meetingId: id,
      version: 3,
      meeting: null,
    });
    // Nothing of office B came, before or after.
    const last = await createMeeting(gw, meetingInput(dir.parties, dir.agents));
    expect((await nextChange(ws, 's1', 1000)).meetingId).toBe(last);
    expect(ws.pending()).toEqual([]);
    await ws.close();
  });

  it('limits a subscription to agencyOfficeIds: a meeting moved out of them is DELETED there', async () => {
    const admin = await WsConnection.connect(gw.url, gw.adminToken);
    await subscribed(gw, admin, 'b', { offices: [OFFICE_B] });
    const id = await createMeeting(gw, meetingInput(dir.parties, dir.agents));
    const moved = await gw.gql(UPDATE_MEETING, {
      meetingId: id,
      input: meetingInput(dir.parties, dir.agents, { agencyOfficeId: OFFICE_B }),
    });
    expect(moved.body.errors).toBeUndefined();
    // Created in A: not for this subscription; moved into B: CREATED here.
    expect(await nextChange(admin, 'b')).toMatchObject({
      op: 'CREATED',
      meetingId: id,
      agencyOfficeId: OFFICE_B,
      version: 2,
    });
    const back = await gw.gql(UPDATE_MEETING, {
      meetingId: id,
      input: meetingInput(dir.parties, dir.agents, { agencyOfficeId: OFFICE_A }),
    });
    expect(back.body.errors).toBeUndefined();
    expect(await nextChange(admin, 'b')).toMatchObject({
      op: 'DELETED',
      meetingId: id,
      agencyOfficeId: OFFICE_B,
      version: 3,
      meeting: null,
    });
    await admin.close();
  });

  it('refuses offices that are not the caller’s, and an empty list, naming the argument', async () => {
    const ws = await WsConnection.connect(gw.url, officeA);
    ws.subscribe('x', CHANGED, { offices: [OFFICE_A, OFFICE_B] });
    const refused = await ws.event('x');
    expect(refused.errors).toEqual([
      expect.objectContaining({
        extensions: expect.objectContaining({
          code: 'UNAUTHORIZED',
          errors: [expect.objectContaining({ target: 'agencyOfficeIds[1]' })],
          requestId: expect.any(String),
        }),
      }),
    ]);
    await ws.next((m) => m.id === 'x' && m.type === 'complete');
    ws.subscribe('y', CHANGED, { offices: [] });
    expect((await ws.event('y')).errors?.[0].extensions).toMatchObject({
      code: 'BAD_REQUEST_PARAMETERS',
      errors: [expect.objectContaining({ target: 'agencyOfficeIds' })],
    });
    await ws.close();
  });

  it('resumes after a cursor: a client that reconnects with its last cursor misses nothing', async () => {
    const ws = await WsConnection.connect(gw.url, officeA);
    await subscribed(gw, ws, 'r');
    const first = await createMeeting(gw, meetingInput(dir.parties, dir.agents));
    const seen = await nextChange(ws, 'r');
    expect(seen.meetingId).toBe(first);
    await ws.close();

    // Offline: two writes, one of them in another office.
    const second = await createMeeting(gw, meetingInput(dir.parties, dir.agents));
    await createMeeting(gw, meetingInput(dir.parties, dir.agents, { agencyOfficeId: OFFICE_B }));
    const removed = await gw.gql(DELETE_MEETING, { meetingId: first });
    expect(removed.body.errors).toBeUndefined();

    const again = await WsConnection.connect(gw.url, officeA);
    again.subscribe('r2', CHANGED, { after: seen.cursor });
    expect(await nextChange(again, 'r2')).toMatchObject({ op: 'CREATED', meetingId: second });
    expect(await nextChange(again, 'r2')).toMatchObject({ op: 'DELETED', meetingId: first });
    // What commits next comes once, whether the catching up or the live side reads it.
    const third = await createMeeting(gw, meetingInput(dir.parties, dir.agents));
    expect(await nextChange(again, 'r2')).toMatchObject({ op: 'CREATED', meetingId: third });
    expect(again.pending()).toEqual([]);
    await again.close();
  });

  it('answers a cursor that is not one with BAD_REQUEST_PARAMETERS', async () => {
    const ws = await WsConnection.connect(gw.url, officeA);
    ws.subscribe('c', CHANGED, { after: 'not-a-cursor' });
    expect((await ws.event('c')).errors?.[0].extensions).toMatchObject({
      code: 'BAD_REQUEST_PARAMETERS',
      errors: [expect.objectContaining({ target: 'after' })],
    });
    await ws.close();
  });

  it('closes with 4403 on a refused token, and on none', async () => {
    for (const payload of [
      { Authorization: 'Bearer not-a-token' },
      { Authorization: `Bearer ${officeA.slice(0, -2)}xx` },
      {},
    ]) {
      const ws = await WsConnection.open(gw.url);
      ws.send({ type: 'connection_init', payload });
      expect(await ws.closed).toEqual({ code: 4403, reason: 'Forbidden' });
    }
  });

  it('closes with 4403 when the token expires while the socket is open', async () => {
    const short = await gw.token({ subject: 'agent-a', offices: [OFFICE_A], ttlSeconds: 2 });
    const ws = await WsConnection.connect(gw.url, short);
    ws.subscribe('e', CHANGED);
    expect(await ws.closed).toEqual({ code: 4403, reason: 'Forbidden: the token has expired' });
  });

  it('refuses subscribe before connection_init with 4401', async () => {
    const ws = await WsConnection.open(gw.url);
    ws.subscribe('early', CHANGED);
    expect((await ws.closed).code).toBe(4401);
  });

  it('checks Origin as CORS does: a named origin and the gateway’s own may connect, another gets 403', async () => {
    await expect(
      WsConnection.open(gw.url, { origin: 'https://evil.example' }),
    ).rejects.toMatchObject({ status: 403 });
    const refused = await WsConnection.open(gw.url, { origin: 'https://evil.example' }).catch(
      (error: { body: string }) => JSON.parse(error.body) as { errors: unknown[] },
    );
    expect(refused).toMatchObject({
      errors: [{ extensions: { code: 'UNAUTHORIZED', errors: [{ target: 'Origin' }] } }],
    });
    await (await WsConnection.connect(gw.url, officeA, 'https://app.example')).close();
    await (await WsConnection.connect(gw.url, officeA, gw.origin)).close();
  });

  it('applies the HTTP limits to subscribe: depth, operation kind, query length', async () => {
    const deep = await TestGateway.start({ limits: { maxDepth: 2, maxQueryLength: 400 } });
    try {
      const ws = await WsConnection.connect(deep.url, deep.adminToken);
      ws.subscribe('d', 'subscription { meetingChanged { meeting { parties { partyName } } } }');
      expect((await ws.event('d')).errors).toEqual([
        expect.objectContaining({
          extensions: expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED' }),
        }),
      ]);
      ws.subscribe('q', '{ latestChangeCursor }');
      expect((await ws.event('q')).errors?.[0]).toMatchObject({
        message: expect.stringContaining('Only subscriptions'),
        extensions: { code: 'BAD_REQUEST' },
      });
      ws.subscribe('l', `subscription { meetingChanged { op } } # ${'x'.repeat(400)}`);
      expect((await ws.event('l')).errors?.[0].extensions).toMatchObject({
        code: 'BAD_REQUEST_PARAMETERS',
        errors: [expect.objectContaining({ target: 'query' })],
      });
      ws.subscribe('p', 'subscription { meetingChanged { op ');
      expect((await ws.event('p')).errors?.[0].extensions).toMatchObject({
        code: 'GRAPHQL_PARSE_FAILED',
      });
      await ws.close();
    } finally {
      await deep.stop();
    }
  });

  it('hints at field names only where introspection is on, as over HTTP', async () => {
    const hidden = await TestGateway.start({ introspection: false });
    try {
      for (const [gateway, hint] of [
        [gw, true],
        [hidden, false],
      ] as const) {
        const ws = await WsConnection.connect(gateway.url, gateway.adminToken);
        ws.subscribe('h', 'subscription { meetingChanged { opp } }');
        const [error] = (await ws.event('h')).errors!;
        expect(error.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
        expect(error.message.startsWith('Cannot query field "opp"')).toBe(true);
        expect(error.message.includes('Did you mean')).toBe(hint);
        await ws.close();
      }
      await hidden.app.live.running(0);
    } finally {
      await hidden.stop();
    }
  });

  it('applies the cost limit and the per-caller rate limit to subscribe', async () => {
    const tight = await TestGateway.start({
      limits: { maxCost: 1, rateLimitPerSecond: 1, rateLimitBurst: 2 },
    });
    try {
      const ws = await WsConnection.connect(tight.url, tight.adminToken);
      ws.subscribe('c', 'subscription { meetingChanged { meeting { meetingId } } }');
      expect((await ws.event('c')).errors?.[0]).toMatchObject({
        message: expect.stringContaining('cost'),
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      });
      ws.subscribe('r', 'subscription { meetingChanged { op } }');
      ws.subscribe('r2', 'subscription { meetingChanged { op } }');
      expect((await ws.event('r2')).errors?.[0].extensions).toMatchObject({
        code: 'TOO_MANY_REQUESTS',
      });
      await ws.close();
    } finally {
      await tight.stop();
    }
  });

  it('allows 10 subscriptions on a connection (setting), and refuses one more', async () => {
    const ws = await WsConnection.connect(gw.url, officeA);
    for (let i = 0; i < 10; i++) ws.subscribe(`s${i}`, 'subscription { meetingChanged { op } }');
    await gw.app.live.running(10);
    ws.subscribe('s10', 'subscription { meetingChanged { op } }');
    expect((await ws.event('s10')).errors?.[0]).toMatchObject({
      message: 'At most 10 subscriptions at once on a connection; complete one first',
      extensions: { code: 'TOO_MANY_REQUESTS' },
    });
    // Completing one makes room.
    ws.complete('s0');
    await gw.app.live.running(9);
    await subscribedOn(ws, 's11');
    await ws.close();
    await gw.app.live.running(0);

    async function subscribedOn(connection: WsConnection, id: string) {
      connection.subscribe(id, 'subscription { meetingChanged { op } }');
      await gw.app.live.running(10);
    }
  });

  it('pings idle connections (keep-alive)', async () => {
    const ws = await WsConnection.connect(gw.url, officeA);
    await once(ws.socket, 'ping');
    await ws.close();
  });
});

describe('subscriptions: the connection limit and stopping', () => {
  it('refuses a connection over LIVE_MAX_CONNECTIONS with 503, and closes sockets with 1001 on stop', async () => {
    const gw = await TestGateway.start({ live: { maxConnections: 2 } });
    let stopped = false;
    try {
      const token = await gw.token({ subject: `agent-${randomUUID()}`, offices: [OFFICE_A] });
      const one = await WsConnection.connect(gw.url, token);
      const two = await WsConnection.connect(gw.url, token);
      await expect(WsConnection.open(gw.url)).rejects.toMatchObject({ status: 503 });
      two.subscribe('s', CHANGED);
      await gw.app.live.running(1);
      await gw.stop();
      stopped = true;
      expect(await one.closed).toEqual({ code: 1001, reason: 'Going away' });
      expect(await two.closed).toEqual({ code: 1001, reason: 'Going away' });
    } finally {
      if (!stopped) await gw.stop();
    }
  });

  it('answers an upgrade of another path with 404', async () => {
    const gw = await TestGateway.start();
    try {
      await expect(
        WsConnection.open(gw.url.replace(/\/graphql$/, '/subgraph')),
      ).rejects.toMatchObject({ status: 404 });
    } finally {
      await gw.stop();
    }
  });
});
