import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { PROCESS_JWT, processAdminToken } from '../../support/process-auth';
import {
  type Running,
  killGateways,
  printed,
  startGateway,
  waitForReady,
} from '../../support/process';
import { TcpProxy } from '../../support/tcp-proxy';

// Two gateway processes sharing the Redis server of this machine through a proxy this test owns:
// cutting the proxy is a Redis outage as the gateways see it, while the server keeps running for
// everyone else. Every key of a run starts with a prefix of its own. The instances share one SQLite
// file; what is tested is Redis, so this runs once, not again on PostgreSQL.
jest.setTimeout(120_000);

const REDIS = { host: '127.0.0.1', port: 6379 };
const BURST = 40;
const prefix = `test-${randomUUID()}:`;
let dir: string;
let proxy: TcpProxy;
let gateways: Running[];
let urls: string[];

/** Where each gateway's output stood when the outage began. */
let marks: number[];
/** The first match of `pattern` printed by `run` after `mark` characters of output. */
const printedAfter = (run: Running, mark: number, pattern: string) =>
  printed(run, new RegExp(`^[\\s\\S]{${mark}}[\\s\\S]*${pattern}`), 10_000);
const countAfter = (run: Running, mark: number, pattern: RegExp) =>
  run.output().slice(mark).match(pattern)?.length ?? 0;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'meetings-shared-'));
  proxy = await TcpProxy.start(REDIS);
  const env = {
    PORT: '0',
    DATABASE_URL: `sqlite:${path.join(dir, 'meetings.sqlite')}`,
    DEMO_DATA: 'false',
    RATE_LIMIT_BURST: String(BURST),
    RATE_LIMIT_PER_SECOND: '1',
    REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
    REDIS_KEY_PREFIX: prefix,
    // Long enough that two cores shared with other tests never time out a command that was answered.
    REDIS_COMMAND_TIMEOUT_MS: '1000',
    ...PROCESS_JWT,
  };
  // The second starts on a migrated database.
  gateways = [startGateway(env)];
  urls = [await waitForReady(gateways[0])];
  gateways.push(startGateway(env));
  urls.push(await waitForReady(gateways[1]));
  for (const gateway of gateways) await printed(gateway, /Redis connected/);
});

afterAll(async () => {
  killGateways();
  await proxy.stop();
  const redis = new Redis(REDIS.port, REDIS.host);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
  rmSync(dir, { recursive: true, force: true });
});

async function ask(url: string, token: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  const body = (await res.json()) as { errors?: { message: string }[] };
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body };
}

/** `count` requests of one caller at once, spread evenly over both instances. */
async function burst(subject: string, count: number) {
  const token = await processAdminToken(subject);
  const started = Date.now();
  const answers = await Promise.all(
    Array.from({ length: count }, (_, i) => ask(urls[i % 2], token)),
  );
  const seconds = (Date.now() - started) / 1000;
  const answered = answers.filter((a) => a.status === 200).length;
  const limited = answers.filter((a) => a.status === 429);
  console.log(JSON.stringify({ subject, sent: count, answered, limited: limited.length, seconds }));
  expect(answered + limited.length).toBe(count);
  return { answered, limited, seconds, token };
}

const apq = (url: string, hash: string, query?: string) =>
  fetch(
    `${url}?${new URLSearchParams({
      ...(query ? { query } : {}),
      extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } }),
    }).toString()}`,
    { headers: { accept: 'application/json', authorization: `Bearer ${apqToken}` } },
  ).then(async (res) => ({ status: res.status, body: (await res.json()) as any }));
let apqToken: string;
const QUERY = '{ meetings(size: 1) { totalCount } }';
const HASH = createHash('sha256').update(QUERY).digest('hex');
const NOT_FOUND = {
  errors: [
    expect.objectContaining({
      extensions: expect.objectContaining({ code: 'PERSISTED_QUERY_NOT_FOUND' }),
    }),
  ],
};

describe('two instances with Redis', () => {
  it("share one caller's burst: 40 answered in all, not 40 each; another caller is not affected", async () => {
    const { answered, limited, seconds, token } = await burst('burst-caller', 2 * BURST);
    // At one token a second, what the burst took to send may have earned a few more.
    expect(answered).toBeGreaterThanOrEqual(BURST);
    expect(answered).toBeLessThanOrEqual(BURST + Math.ceil(seconds));
    // The answers of a refusal are those of one instance.
    expect(limited[0].retryAfter).toBe('1');
    expect(limited[0].body.errors![0].message).toBe(
      'At most 1 requests a second (bursts of 40); retry in 1 s',
    );
    // Still limited: the bucket earns one token a second, so of a few more asks one is refused
    // however long the burst took on a busy machine.
    const more: number[] = [];
    for (let i = 0; i < 5 && !more.includes(429); i++)
      more.push((await ask(urls[0], token)).status);
    expect(more).toContain(429);
    const other = await processAdminToken('other-caller');
    expect((await ask(urls[0], other)).status).toBe(200);
    expect((await ask(urls[1], other)).status).toBe(200);
  });

  it('share refused tokens per address', async () => {
    const guesses = await Promise.all(
      Array.from({ length: 2 * BURST }, (_, i) => ask(urls[i % 2], 'guessed.token.value')),
    );
    const refused = guesses.filter((g) => g.status === 401).length;
    console.log(JSON.stringify({ guesses: guesses.length, refused401: refused }));
    expect(refused).toBeGreaterThanOrEqual(BURST);
    expect(refused).toBeLessThan(BURST + 5);
    expect(guesses.filter((g) => g.status === 429)).toHaveLength(2 * BURST - refused);
  });

  it('find on one instance a persisted query registered through the other', async () => {
    apqToken = await processAdminToken('apq-caller');
    expect((await apq(urls[1], HASH)).body).toMatchObject(NOT_FOUND);
    const registered = await apq(urls[0], HASH, QUERY);
    expect(registered.status).toBe(200);
    const byHash = await apq(urls[1], HASH);
    expect(byHash.status).toBe(200);
    expect(byHash.body).toEqual(registered.body);
  });
});

describe('a Redis outage', () => {
  it('keeps requests answered, each instance with its own memory, and is logged once', async () => {
    marks = gateways.map((g) => g.output().length);
    proxy.cut();
    for (const [i, gateway] of gateways.entries()) {
      await printedAfter(gateway, marks[i], 'Redis unavailable: ');
    }

    const started = Date.now();
    const token = await processAdminToken('outage-caller');
    // The memory buckets of the first instance: a burst of 40, then 429. At one token a second,
    // the time the burst takes on a busy machine may earn a few more, so ask until refused.
    const first: number[] = [];
    while (!first.includes(429) && first.length < 2 * BURST) {
      first.push((await ask(urls[0], token)).status);
    }
    const answered = first.filter((s) => s === 200).length;
    expect(answered).toBeGreaterThanOrEqual(BURST);
    expect(answered).toBeLessThanOrEqual(BURST + Math.ceil((Date.now() - started) / 1000));
    expect(first.at(-1)).toBe(429);
    // The second instance keeps its own.
    expect((await ask(urls[1], token)).status).toBe(200);
    console.log(
      JSON.stringify({ outage: { requests: first.length + 1, ms: Date.now() - started } }),
    );
    expect(Date.now() - started).toBeLessThan(10_000);

    // The persisted query is not found while Redis is away; sent with its text it is answered.
    expect((await apq(urls[1], HASH)).body).toMatchObject(NOT_FOUND);
    expect((await apq(urls[1], HASH, QUERY)).status).toBe(200);
    expect((await apq(urls[1], HASH)).body).toMatchObject(NOT_FOUND);

    for (const [i, gateway] of gateways.entries()) {
      expect(countAfter(gateway, marks[i], /Redis unavailable/g)).toBe(1);
      expect(gateway.output()).not.toMatch(/"level":"error"/);
    }
  });

  it('ends when Redis is back: the instances share again', async () => {
    proxy.restore();
    for (const [i, gateway] of gateways.entries()) {
      await printedAfter(gateway, marks[i], 'Redis is back');
    }
    const { answered, seconds } = await burst('after-caller', 2 * BURST);
    expect(answered).toBeGreaterThanOrEqual(BURST);
    expect(answered).toBeLessThanOrEqual(BURST + Math.ceil(seconds));
    // What was registered before the outage is found again.
    expect((await apq(urls[0], HASH)).status).toBe(200);
  });

  it('closes the connection on stop', async () => {
    for (const gateway of gateways) gateway.child.kill('SIGTERM');
    expect(await Promise.all(gateways.map((g) => g.exited))).toEqual([0, 0]);
    // Closing is no outage.
    for (const gateway of gateways) {
      const stopping = gateway.output().indexOf('stopping: draining requests');
      expect(stopping).toBeGreaterThan(0);
      expect(countAfter(gateway, stopping, /Redis unavailable/g)).toBe(0);
    }
  });
});
