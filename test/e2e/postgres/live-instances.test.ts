import { Client } from 'pg';
import { mintToken } from '../../../src/auth/tokens';
import { loadConfig } from '../../../src/config';
import { postgresChannel } from '../../../src/db/notices';
import { lockWritersStatement } from '../../../src/db/writers-horizon';
import {
  CREATE_MEETING,
  UPSERT_AGENTS,
  UPSERT_PARTIES,
  agent,
  meetingInput,
  party,
} from '../../support/fixtures';
import { TEST_AUDIENCE, TEST_ISSUER, TEST_SECRET } from '../../support/gateway';
import { WsConnection } from '../../support/live-client';
import {
  createSchema,
  dropSchema,
  schemaUrl,
  testDatabaseUrl,
  withClient,
} from '../../support/postgres';
import {
  type Running,
  killGateways,
  printed,
  startGateway,
  waitForReady,
} from '../../support/process';

// Two gateway processes on one PostgreSQL database, as behind a load balancer: a write through one
// reaches a subscriber of the other through NOTIFY, also after the other's LISTEN connection was
// cut, and a change an older open transaction holds back arrives once that transaction ends.

const parties = [party()];
const agents = [agent()];
const SUBSCRIPTION =
  'subscription ($after: String) { meetingChanged(after: $after) { op meetingId version } }';
const WITH_CURSOR =
  'subscription ($after: String) { meetingChanged(after: $after) { meetingId cursor } }';
const FEED_AFTER = 'query ($after: String) { meetingChanges(after: $after) { edges { cursor } } }';

let schema: string;
let runs: Running[];
let urls: string[];
let token: string;

/** The data of one operation sent to an instance; its errors thrown. */
async function gql<T>(url: string, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown };
  if (body.errors || !body.data) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

async function create(url: string, notes: string): Promise<string> {
  const input = meetingInput(parties, agents, { notes });
  const data = await gql<{ createMeeting: { meetingId: string } }>(url, CREATE_MEETING, { input });
  return data.createMeeting.meetingId;
}

/**
 * Subscribes on the second instance after the feed's latest change as it reads it now: a change
 * committed from here on reaches the subscription however long the instance takes to set it up
 * (without a cursor, a subscription starts from whatever was the latest when it was set up).
 */
async function follow(ws: WsConnection, id: string, query: string): Promise<void> {
  const { latestChangeCursor } = await gql<{ latestChangeCursor: string }>(
    urls[1],
    '{ latestChangeCursor }',
  );
  ws.subscribe(id, query, { after: latestChangeCursor });
}

/** The pid of the LISTEN connection of this schema's gateways, once one listens. */
async function listenerPids(): Promise<number[]> {
  const channel = postgresChannel(schema, 'meeting_change');
  return withClient(async (client) => {
    const rows = await client.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity
        WHERE application_name = 'meetings-gateway-listener' AND query LIKE $1`,
      [`%${channel}%`],
    );
    return rows.rows.map((r) => r.pid);
  });
}

beforeAll(async () => {
  schema = await createSchema();
  const env = {
    PORT: '0',
    DATABASE_URL: schemaUrl(schema),
    DEMO_DATA: 'false',
    JWT_SECRET: TEST_SECRET,
    JWT_ISSUER: TEST_ISSUER,
    JWT_AUDIENCE: TEST_AUDIENCE,
    RATE_LIMIT_PER_SECOND: '100000',
    RATE_LIMIT_BURST: '100000',
    LIVE_POLL_INTERVAL_MS: '200',
  };
  runs = [startGateway(env), startGateway(env)];
  const origins = await Promise.all(runs.map(waitForReady));
  urls = origins.map((origin) => (origin.endsWith('/graphql') ? origin : `${origin}/graphql`));
  token = await mintToken(loadConfig(env).auth, { subject: 'live', name: 'Live', admin: true });
  await gql(urls[0], UPSERT_PARTIES, { input: parties });
  await gql(urls[0], UPSERT_AGENTS, { input: agents });
}, 60_000);

afterAll(async () => {
  killGateways();
  await dropSchema(schema);
});

describe('subscriptions across two gateway instances on PostgreSQL', () => {
  it('a write through one instance reaches a subscriber of the other', async () => {
    const ws = await WsConnection.connect(urls[1], token);
    await follow(ws, 's', SUBSCRIPTION);
    const ids = [await create(urls[0], 'first')];
    const first = await ws.event<{ meetingChanged: { meetingId: string } }>('s');
    expect(first.data?.meetingChanged.meetingId).toBe(ids[0]);
    ids.push(await create(urls[0], 'second'), await create(urls[1], 'third'));
    const next = [await ws.event('s', 1000), await ws.event('s', 1000)];
    expect(next.map((e) => e.data)).toEqual([
      { meetingChanged: { op: 'CREATED', meetingId: ids[1], version: 1 } },
      { meetingChanged: { op: 'CREATED', meetingId: ids[2], version: 1 } },
    ]);
    await ws.close();
  });

  it('NOTIFY carries only the change’s number', async () => {
    const client = new Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    try {
      const heard: string[] = [];
      client.on('notification', (n) => heard.push(n.payload ?? ''));
      await client.query(`LISTEN "${postgresChannel(schema, 'meeting_change')}"`);
      await create(urls[0], 'numbered');
      await new Promise<void>((resolve) => {
        if (heard.length > 0) resolve();
        else client.once('notification', () => resolve());
      });
      expect(heard[0]).toMatch(/^\d+$/);
      const [row] = (
        await client.query<{ max: string }>(
          `SELECT max(change_id)::text AS max FROM "${schema}".meeting_change`,
        )
      ).rows;
      expect(heard[0]).toBe(row.max);
    } finally {
      await client.end();
    }
  });

  it('an instance whose LISTEN connection was cut reconnects and delivers what was written meanwhile', async () => {
    const ws = await WsConnection.connect(urls[1], token);
    await follow(ws, 'r', SUBSCRIPTION);
    const warm = await create(urls[0], 'warm');
    expect(
      (await ws.event<{ meetingChanged: { meetingId: string } }>('r')).data?.meetingChanged
        .meetingId,
    ).toBe(warm);
    // Only the instance with subscribers listens.
    const before = await listenerPids();
    expect(before).toHaveLength(1);
    // Cut its LISTEN connection, as a database restart does.
    await withClient((client) =>
      client.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [before]),
    );
    const during = await create(urls[0], 'while cut');
    await printed(runs[1], /database notices connection back/, 15_000);
    const after = await create(urls[0], 'after');
    const events = [await ws.event('r'), await ws.event('r')];
    expect(
      events.map(
        (e) => (e.data as { meetingChanged: { meetingId: string } }).meetingChanged.meetingId,
      ),
    ).toEqual([during, after]);
    const now = await listenerPids();
    expect(now).toHaveLength(1);
    expect(now[0]).not.toBe(before[0]);
    await ws.close();
  });

  it('a change held back by an older open write of the gateway arrives once that write ends', async () => {
    const ws = await WsConnection.connect(urls[1], token);
    await follow(ws, 'h', WITH_CURSOR);
    const warm = await create(urls[0], 'warm');
    const seen = await ws.event<{ meetingChanged: { meetingId: string; cursor: string } }>('h');
    expect(seen.data?.meetingChanged.meetingId).toBe(warm);
    // A transaction that holds what every write of the gateway holds, with a transaction id: a
    // write that commits after it took its id must wait for it.
    const holder = new Client({ connectionString: testDatabaseUrl() });
    await holder.connect();
    try {
      const lock = lockWritersStatement(schema);
      await holder.query('BEGIN');
      await holder.query(lock.sql, lock.params);
      await holder.query('SELECT pg_current_xact_id()');
      const held = await create(urls[0], 'held');
      // Committed, and its NOTIFY sent, but not readable yet: the feed after the last event is
      // empty. The holder then ends without a notice of its own.
      const after = { after: seen.data!.meetingChanged.cursor };
      expect(await gql(urls[1], FEED_AFTER, after)).toEqual({ meetingChanges: { edges: [] } });
      await holder.query('ROLLBACK');
      // The poll reads it.
      const event = await ws.event<{ meetingChanged: { meetingId: string } }>('h');
      expect(event.data?.meetingChanged.meetingId).toBe(held);
    } finally {
      await holder.end();
    }
    await ws.close();
  });

  it('a transaction that is not one of the gateway’s writes holds nothing back', async () => {
    const ws = await WsConnection.connect(urls[1], token);
    await follow(ws, 'o', SUBSCRIPTION);
    const warm = await create(urls[0], 'warm');
    expect(
      (await ws.event<{ meetingChanged: { meetingId: string } }>('o')).data?.meetingChanged
        .meetingId,
    ).toBe(warm);
    const other = new Client({ connectionString: testDatabaseUrl() });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT pg_current_xact_id()');
      const id = await create(urls[0], 'not held');
      const event = await ws.event<{ meetingChanged: { meetingId: string } }>('o', 1000);
      expect(event.data?.meetingChanged.meetingId).toBe(id);
    } finally {
      await other.query('ROLLBACK');
      await other.end();
    }
    await ws.close();
  });
});
