/** The live bench's servers as child processes: the gateway (SQLite, PostgreSQL) and the baseline. */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { Client } from 'pg';
import { type Server, type ServerName, start } from '../servers';
import { directoryBodies } from './shape';
import { post } from './writer';

const ROOT = path.join(__dirname, '..', '..', '..');
const DIST = path.join(__dirname, '..', '..');
export const ISSUER = 'meetings-gateway-bench';
export const AUDIENCE = 'meetings-gateway-bench';
const PROBE = JSON.stringify({ query: '{ __typename }' });

/** The gateway's command line, with the Node.js flags `npm start` gives it. */
const GATEWAY_COMMAND = [
  ...(
    JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      config: { node_flags: string };
    }
  ).config.node_flags
    .split(' ')
    .filter(Boolean),
  path.join(DIST, 'src', 'index.js'),
];

export type Target = 'gateway (SQLite)' | 'gateway (PostgreSQL)' | 'baseline';

export interface Running extends Server {
  target: Target;
  metricsPort?: number;
}

/**
 * A port nobody listens on now, below the ephemeral range (32768 and up on Linux), where the load
 * generator's own sockets would take it.
 */
export function freePort(): Promise<number> {
  const port = 20000 + Math.floor(Math.random() * 10000);
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(freePort()));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(port)));
  });
}

/** Starts a server on free ports, again on others if one was taken meanwhile. */
async function onFreePorts<T>(run: (port: number, metricsPort: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run(await freePort(), await freePort());
    } catch (error) {
      if (attempt >= 5 || !String(error).includes('EADDRINUSE')) throw error;
    }
  }
}

/**
 * Starts the built gateway on `databaseUrl` (migrated at start), with its directory written over
 * GraphQL: the two parties and the agent the writes name. Metrics on a port of their own when
 * `metrics` (for memory readings), else off.
 */
export async function startGateway(
  target: Target,
  databaseUrl: string,
  secret: string,
  adminToken: string,
  metrics: boolean,
): Promise<Running> {
  return onFreePorts(async (port, freeMetricsPort) => {
    const metricsPort = metrics ? freeMetricsPort : undefined;
    const env = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      DEMO_DATA: 'false',
      LOG_LEVEL: 'info',
      JWT_SECRET: secret,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
      METRICS_PORT: String(metricsPort ?? 0),
      // The benchmark measures delivery, not the limits: no rate limit (subscribes count as calls).
      RATE_LIMIT_PER_SECOND: '1000000',
      RATE_LIMIT_BURST: '1000000',
    };
    const name: ServerName = target === 'gateway (PostgreSQL)' ? 'postgres' : 'gateway';
    const server = await start(name, GATEWAY_COMMAND, env, port, adminToken, PROBE);
    for (const body of directoryBodies()) await post(server.url, adminToken, body);
    return { ...server, target, metricsPort };
  });
}

export async function startBaseline(secret: string, adminToken: string): Promise<Running> {
  const port = await freePort();
  const command = [
    path.join(__dirname, 'fanout-server.js'),
    String(port),
    secret,
    ISSUER,
    AUDIENCE,
  ];
  const server = await start('limit', command, { PATH: process.env.PATH }, port, adminToken, PROBE);
  return { ...server, target: 'baseline' };
}

/** A schema of its own on the PostgreSQL server of `serverUrl`: its DATABASE_URL, and a drop. */
export async function postgresSchema(
  serverUrl: string,
): Promise<{ url: string; version: string; drop: () => Promise<void> }> {
  const schema = `meetings_live_bench_${process.pid}`;
  const sql = async <T>(fn: (c: Client) => Promise<T>): Promise<T> => {
    const client = new Client({ connectionString: serverUrl });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  const version = await sql(async (c) => {
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.query(`CREATE SCHEMA ${schema}`);
    return (await c.query<{ server_version: string }>('SHOW server_version')).rows[0]
      .server_version;
  });
  const url = new URL(serverUrl);
  url.searchParams.set('schema', schema);
  return {
    url: url.toString(),
    version,
    drop: () => sql(async (c) => void (await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`))),
  };
}

/** The gateway's memory now: VmRSS from /proc, and RSS and used heap from its /metrics. */
export async function memoryOf(
  server: Running,
): Promise<{ vmRss: number; rss: number; heapUsed: number }> {
  const status = readFileSync(`/proc/${server.process.pid}/status`, 'utf8');
  const vmRss = Number(/VmRSS:\s+(\d+)/.exec(status)![1]) * 1024;
  if (server.metricsPort === undefined) return { vmRss, rss: vmRss, heapUsed: NaN };
  const text = await (await fetch(`http://127.0.0.1:${server.metricsPort}/metrics`)).text();
  const metric = (name: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    if (!line) throw new Error(`no ${name} in the gateway's /metrics`);
    return Number(line.split(' ')[1]);
  };
  return {
    vmRss,
    rss: metric('process_resident_memory_bytes'),
    heapUsed: metric('nodejs_heap_size_used_bytes'),
  };
}
