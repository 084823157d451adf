import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import type { RedisConfig } from '../../src/config/redis-url';
import { createLogger } from '../../src/logger';
import { RedisApqCache } from '../../src/shared-state/redis-apq-cache';
import { RedisConnection } from '../../src/shared-state/redis-connection';
import { RedisTokenBuckets } from '../../src/shared-state/redis-rate-limit';

// The Redis server of this machine; every key of a run starts with a prefix of its own.
const REDIS = { host: '127.0.0.1', port: 6379 };
const prefix = `test-${randomUUID()}:`;
const opened: RedisConnection[] = [];
const servers: net.Server[] = [];
const sockets: net.Socket[] = [];

function logSink() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger('info', sink), lines };
}

async function open(port: number, commandTimeoutMs = 250) {
  const { logger, lines } = logSink();
  const config: RedisConfig = {
    url: `redis://127.0.0.1:${port}`,
    displayUrl: `redis://127.0.0.1:${port}`,
    keyPrefix: prefix,
    commandTimeoutMs,
    connectTimeoutMs: 1000,
  };
  const connection = new RedisConnection(config, logger);
  opened.push(connection);
  await connection.connect();
  return { connection, lines };
}

async function listen(server: net.Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

/** A port where nothing listens. */
async function deadPort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A proxy to Redis that, once `hang()` is called, keeps its connections open but answers nothing,
 * and counts the commands it swallows.
 */
async function hangingProxy() {
  let hung = false;
  let swallowed = 0;
  const server = net.createServer((client) => {
    const upstream = net.connect(REDIS.port, REDIS.host);
    sockets.push(client, upstream);
    client.on('data', (chunk) => (hung ? swallowed++ : upstream.write(chunk)));
    upstream.on('data', (chunk) => hung || client.write(chunk));
    const drop = () => (client.destroy(), upstream.destroy());
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  const port = await listen(server);
  return { port, hang: () => (hung = true), swallowed: () => swallowed };
}

const warnings = (lines: Record<string, unknown>[]) =>
  lines.filter((l) => l.level === 'warn').map((l) => l.msg);

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  for (const server of servers) server.close();
  await Promise.all(opened.map((c) => c.close()));
  const redis = new Redis(REDIS.port, REDIS.host);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

describe('with Redis away', () => {
  it('starts, warns once, and the APQ cache reads every error as a miss', async () => {
    const { connection, lines } = await open(await deadPort());
    expect(connection.usable).toBe(false);
    const cache = new RedisApqCache(connection, 60);
    await expect(cache.set('apq:abc', '{ __typename }', { ttl: 60 })).resolves.toBeUndefined();
    await expect(cache.get('apq:abc')).resolves.toBeUndefined();
    await expect(cache.delete('apq:abc')).resolves.toBe(false);
    expect(warnings(lines)).toEqual([
      'Redis unavailable at start: rate limits and the APQ cache are per instance until it answers',
    ]);
  });

  it('rate limits from memory, with the same answers', async () => {
    const { connection, lines } = await open(await deadPort());
    const limit = new RedisTokenBuckets(connection, 'calls', 20, 40);
    for (let i = 0; i < 40; i++) expect(await limit.take('a')).toBe(0);
    expect(await limit.take('a')).toBe(1);
    expect(await limit.take('b')).toBe(0);
    expect(warnings(lines)).toHaveLength(1);
  });
});

describe('with Redis', () => {
  it('shares one bucket per key between instances, refilled at the rate', async () => {
    const [one, two] = await Promise.all([open(REDIS.port), open(REDIS.port)]);
    expect(one.connection.usable && two.connection.usable).toBe(true);
    const limits = [one, two].map((i) => new RedisTokenBuckets(i.connection, 'calls', 1, 5));
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) waits.push(await limits[i % 2].take('a'));
    expect(waits.filter((w) => w === 0)).toHaveLength(5);
    expect(waits.slice(5)).toEqual([1, 1, 1]);
    expect(await limits[1].take('b')).toBe(0);
    // The bucket expires once it would be full again: 5 tokens at 1 a second, and a second more.
    const redis = new Redis(REDIS.port, REDIS.host);
    const ttl = await redis.pttl(`${prefix}rate:calls:a`);
    await redis.quit();
    expect(ttl).toBeGreaterThan(4000);
    expect(ttl).toBeLessThanOrEqual(6000);
    expect(warnings(one.lines)).toEqual([]);
  });

  it('keeps persisted queries with their TTL, found by another instance', async () => {
    const [one, two] = await Promise.all([open(REDIS.port), open(REDIS.port)]);
    await new RedisApqCache(one.connection, 60).set('apq:h1', '{ a }', { ttl: 300 });
    const other = new RedisApqCache(two.connection, 60);
    expect(await other.get('apq:h1')).toBe('{ a }');
    expect(await other.get('apq:h2')).toBeUndefined();
    const redis = new Redis(REDIS.port, REDIS.host);
    const ttl = await redis.ttl(`${prefix}apq:h1`);
    await redis.quit();
    expect(ttl).toBeGreaterThan(290);
    expect(await other.delete('apq:h1')).toBe(true);
    expect(await other.get('apq:h1')).toBeUndefined();
  });

  it('a hung Redis fails a command at the command timeout, then is left alone for a while, and is logged once', async () => {
    const proxy = await hangingProxy();
    const { connection, lines } = await open(proxy.port, 100);
    expect(connection.usable).toBe(true);
    const limit = new RedisTokenBuckets(connection, 'calls', 20, 40);
    const cache = new RedisApqCache(connection, 60);
    expect(await limit.take('hung')).toBe(0);
    proxy.hang();
    // The first command waits for its timeout; the next ones go to memory without asking Redis.
    for (let i = 0; i < 3; i++) {
      expect(await limit.take('hung')).toBe(0);
      expect(await cache.get('apq:x')).toBeUndefined();
    }
    expect(proxy.swallowed()).toBe(1);
    expect(connection.usable).toBe(false);
    expect(warnings(lines)).toHaveLength(1);
  });
});
