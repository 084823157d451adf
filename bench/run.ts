import 'reflect-metadata';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { deepStrictEqual } from 'node:assert';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { createApp } from '../src/app';
import { mintToken } from '../src/auth/tokens';
import { type AuthConfig, loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { encodeCursor, searchFingerprint } from '../src/meetings/domain/meeting-cursor';
import { checkSearch } from '../src/meetings/domain/meeting-search';
import { benchDatabase, officeId } from './data';
import { dropPostgresCopy, postgresCopy, postgresTemplate, postgresVersion } from './postgres-data';
import type { LoadResult, LoadSpec } from './load';
import { type Report, type ScenarioResult, writeReport } from './report';
import { type Scenario, scenarios } from './scenarios';

/**
 * npm run bench [-- --quick] [-- --size 10000|100000|1000000] [-- --repeats n]
 *
 * The gateway and the limit server (node:http + prepared statements) on copies of one generated
 * database, loaded in turn from a separate autocannon process: warm-up, then measured runs,
 * alternating the servers, repeated; medians, and every gateway number as a ratio to the limit's.
 * With BENCH_DATABASE_URL naming a PostgreSQL server, the gateway also runs on PostgreSQL, on a
 * copy of the same data, and is measured in the same way.
 */

const ROOT = path.join(__dirname, '..', '..');
const DIST = path.join(__dirname, '..');
/** The gateway's command line: with the Node.js flags `npm start` gives it (its heap's growth). */
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
/** Connections of the loaded runs (throughput); latency is measured at one. */
const CONNECTIONS = 50;
const ISSUER = 'meetings-gateway-bench';
const AUDIENCE = 'meetings-gateway-bench';

interface Options {
  size: number;
  repeats: number;
  warmSeconds: number;
  loadSeconds: number;
  latencySeconds: number;
  deletes: { warm: number; load: number; latency: number };
  quick: boolean;
}

function options(argv: string[]): Options {
  const quick = argv.includes('--quick');
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? Number(argv[i + 1]) : undefined;
  };
  return {
    quick,
    size: value('--size') ?? (quick ? 10_000 : 100_000),
    repeats: value('--repeats') ?? (quick ? 1 : 3),
    warmSeconds: quick ? 0.5 : 1,
    loadSeconds: quick ? 1 : 2,
    latencySeconds: 1,
    deletes: quick
      ? { warm: 100, load: 600, latency: 150 }
      : { warm: 200, load: 1500, latency: 300 },
  };
}

// Servers still running when the run ends (by an error too) are stopped with it.
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

const log = (line: string) => process.stderr.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

type ServerName = 'gateway' | 'limit' | 'postgres';

interface Server {
  name: ServerName;
  url: string;
  process: ChildProcess;
  coldStartMs: number;
}

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime, in clock ticks (100 a second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function peakRssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmHWM:'))!;
  return Number(line.replace(/\D+/g, '')) / 1024;
}

async function post(
  url: string,
  token: string,
  body: string,
): Promise<{ status: number; json: { data?: unknown; errors?: unknown; extensions?: unknown } }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
  });
  return {
    status: res.status,
    json: (await res.json()) as { data?: unknown; errors?: unknown; extensions?: unknown },
  };
}

/** An answer without its `extensions` (the gateway's cost). */
function withoutExtensions(json: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...json };
  delete rest.extensions;
  return rest;
}

/** Starts a server and times it from spawn to its first answer of `probe`. */
async function start(
  name: Server['name'],
  command: string[],
  env: NodeJS.ProcessEnv,
  port: number,
  token: string,
  probe: string,
): Promise<Server> {
  const url = `http://127.0.0.1:${port}/graphql`;
  const started = performance.now();
  const child = spawn(process.execPath, command, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited: ${stderr}`);
    try {
      const res = await post(url, token, probe);
      if (res.status === 200 && res.json.data) break;
    } catch {
      // not listening yet
    }
    await sleep(5);
  }
  return { name, url, process: child, coldStartMs: performance.now() - started };
}

async function stop(server: Server): Promise<void> {
  const exited = new Promise((resolve) => server.process.once('exit', resolve));
  server.process.kill('SIGTERM');
  await Promise.race([exited, sleep(5000)]);
  if (server.process.exitCode === null) server.process.kill('SIGKILL');
}

/** The load generator's process, started once; runs are sent to it one at a time. */
class LoadGenerator {
  private readonly child = spawn(process.execPath, [path.join(DIST, 'bench', 'load.js')], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  private readonly lines = createInterface({ input: this.child.stdout! })[Symbol.asyncIterator]();
  private stderr = '';

  constructor() {
    children.add(this.child);
    this.child.once('exit', () => children.delete(this.child));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
  }

  async run(spec: LoadSpec): Promise<LoadResult> {
    this.child.stdin!.write(`${JSON.stringify(spec)}\n`);
    const line = await this.lines.next();
    if (line.done) {
      throw new Error(
        `load of ${spec.url} at ${spec.connections} connection(s) failed: ${this.stderr}`,
      );
    }
    return JSON.parse(line.value) as LoadResult;
  }

  close(): void {
    this.child.stdin!.end();
  }
}

function copyDatabase(from: string, to: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${to}${suffix}`, { force: true });
  copyFileSync(from, to);
}

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  const runStarted = performance.now();
  const work = mkdtempSync(path.join(tmpdir(), 'meetings-bench-'));
  const dataFile = await benchDatabase(opts.size, log);
  const pgServer = process.env.BENCH_DATABASE_URL || null;
  const pgTemplate = pgServer ? await postgresTemplate(pgServer, dataFile, log) : null;

  const secret = randomBytes(32).toString('base64url');
  const auth: AuthConfig = {
    keys: { kind: 'secret', secret: new TextEncoder().encode(secret), generated: false },
    issuer: ISSUER,
    audience: AUDIENCE,
    officesClaim: 'offices',
  };
  const token = await mintToken(auth, { subject: 'bench', name: 'Bench Admin', admin: true });

  // What the scenarios need from the data.
  const data = new BetterSqlite3(dataFile, { readonly: true });
  const total = (
    data.prepare('SELECT count(*) AS n FROM meeting WHERE deleted_time IS NULL').get() as {
      n: number;
    }
  ).n;
  const updatable = (
    data
      .prepare(
        `SELECT meeting_id FROM meeting WHERE agency_office_id = ? AND status_code = 'WAITING' AND deleted_time IS NULL ORDER BY meeting_id LIMIT 1`,
      )
      .get(officeId(0)) as { meeting_id: string }
  ).meeting_id;
  const middle = data
    .prepare(
      'SELECT visit_time, meeting_id FROM meeting WHERE deleted_time IS NULL ORDER BY visit_time DESC, meeting_id ASC LIMIT 1 OFFSET ?',
    )
    .get(Math.floor(total / 2)) as { visit_time: string; meeting_id: string };
  const perServerDeletes =
    opts.repeats * (opts.deletes.warm + opts.deletes.load + opts.deletes.latency);
  const deletable = (
    data
      .prepare(
        "SELECT meeting_id FROM meeting WHERE deleted_time IS NULL AND status_code = 'WAITING' ORDER BY meeting_id DESC LIMIT ?",
      )
      .all(perServerDeletes + 20) as { meeting_id: string }[]
  ).map((r) => r.meeting_id);
  const people = (
    data
      .prepare(
        `SELECT party_id FROM party WHERE party_type_code = 'PERSON_PARTY' ORDER BY party_id LIMIT 2`,
      )
      .all() as { party_id: string }[]
  ).map((r) => r.party_id);
  const sqliteVersion = (data.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  data.close();
  const checked = checkSearch({});
  const fingerprint = searchFingerprint(checked.sort, checked.filter, checked.words);
  const deepCursor = encodeCursor({ values: [middle.visit_time, middle.meeting_id] }, fingerprint);
  const all = scenarios({
    shape: { meetings: total, offices: 0, agents: 0, parties: 0 },
    deepCursor,
    deletable,
    updatable,
    people,
  });
  const getProbe = all.find((s) => s.name === 'get one')!.bodies[0];

  const gatewayDb = path.join(work, 'gateway.sqlite');
  const limitDb = path.join(work, 'limit.sqlite');
  copyDatabase(dataFile, gatewayDb);
  copyDatabase(dataFile, limitDb);
  const gatewayEnv = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '4601',
    DATABASE_URL: `sqlite:${gatewayDb}`,
    DEMO_DATA: 'false',
    LOG_LEVEL: 'info',
    JWT_SECRET: secret,
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: AUDIENCE,
    // The benchmark measures speed, not the limits: no rate limit. The cost limit is the default:
    // every page of the scenarios fits it, as a frontend's would.
    RATE_LIMIT_PER_SECOND: '1000000',
    RATE_LIMIT_BURST: '1000000',
  };
  const startGateway = () => start('gateway', GATEWAY_COMMAND, gatewayEnv, 4601, token, getProbe);
  const pgRun = 'meetings_bench_run';
  const pgUrl = pgServer && pgTemplate ? await postgresCopy(pgServer, pgTemplate, pgRun) : null;
  const startPostgres = () =>
    start(
      'postgres',
      GATEWAY_COMMAND,
      { ...gatewayEnv, PORT: '4603', DATABASE_URL: pgUrl! },
      4603,
      token,
      getProbe,
    );
  const startLimit = () =>
    start(
      'limit',
      [path.join(DIST, 'bench', 'limit-server.js'), limitDb, '4602', secret, fingerprint],
      { PATH: process.env.PATH },
      4602,
      token,
      getProbe,
    );

  // 1. Same data from both, for every read scenario.
  let gateway = await startGateway();
  let limit = await startLimit();
  let postgres = pgUrl ? await startPostgres() : null;
  for (const scenario of all.filter((s) => s.compare)) {
    const [g, l, pg] = await Promise.all([
      post(gateway.url, token, scenario.bodies[0]),
      post(limit.url, token, scenario.bodies[0]),
      postgres ? post(postgres.url, token, scenario.bodies[0]) : null,
    ]);
    if (g.json.errors)
      throw new Error(`${scenario.name}: the gateway answered ${JSON.stringify(g.json.errors)}`);
    // The limit server answers the data only: the gateway's extensions.cost is not compared.
    deepStrictEqual(
      l.json,
      withoutExtensions(g.json),
      `${scenario.name}: the two servers disagree`,
    );
    if (pg) deepStrictEqual(pg.json, g.json, `${scenario.name}: SQLite and PostgreSQL disagree`);
  }
  log(
    `same data from ${postgres ? 'all three' : 'both'} servers in ${all.filter((s) => s.compare).length} read scenarios`,
  );

  // 2. Statements per request: the gateway in this process on its own copy, the limit by its count.
  const statements = await countStatements(all, dataFile, work, token, limit, gatewayEnv);
  const pgStatements =
    pgServer && pgTemplate
      ? await countStatements(all, dataFile, work, token, null, {
          ...gatewayEnv,
          DATABASE_URL: await postgresCopy(pgServer, pgTemplate, `${pgRun}_count`),
        })
      : null;
  if (pgServer) await dropPostgresCopy(pgServer, `${pgRun}_count`);
  log('statements counted');

  // 3. Timed runs.
  const loader = new LoadGenerator();
  const runs = new Map<string, Record<ServerName, Measure[]>>();
  const cold = {
    gateway: [gateway.coldStartMs],
    limit: [limit.coldStartMs],
    postgres: postgres ? [postgres.coldStartMs] : [],
  };
  const rss = { gateway: [] as number[], limit: [] as number[], postgres: [] as number[] };
  let deleteOffset = 0;
  for (let repeat = 0; repeat < opts.repeats; repeat++) {
    if (repeat > 0) {
      gateway = await startGateway();
      limit = await startLimit();
      cold.gateway.push(gateway.coldStartMs);
      cold.limit.push(limit.coldStartMs);
      if (pgUrl) {
        postgres = await startPostgres();
        cold.postgres.push(postgres.coldStartMs);
      }
    }
    for (const scenario of all) {
      const servers = postgres ? [gateway, limit, postgres] : [gateway, limit];
      const order = repeat % 2 === 0 ? servers : [...servers].reverse();
      const entry = runs.get(scenario.name) ?? { gateway: [], limit: [], postgres: [] };
      const slice = scenario.name === 'delete' ? deleteOffset : 0;
      for (const server of order) {
        entry[server.name].push(
          await measure(server, scenario, token, opts, loader, slice, getProbe),
        );
      }
      if (scenario.name === 'delete')
        deleteOffset += opts.deletes.warm + opts.deletes.load + opts.deletes.latency;
      runs.set(scenario.name, entry);
      log(
        `repeat ${repeat + 1}/${opts.repeats}: ${scenario.name} (gateway's peak RSS so far ${peakRssMb(gateway.process.pid!).toFixed(0)} MB)`,
      );
    }
    rss.gateway.push(peakRssMb(gateway.process.pid!));
    rss.limit.push(peakRssMb(limit.process.pid!));
    await stop(gateway);
    await stop(limit);
    if (postgres) {
      rss.postgres.push(peakRssMb(postgres.process.pid!));
      await stop(postgres);
    }
  }
  loader.close();
  if (pgServer) await dropPostgresCopy(pgServer, pgRun);

  const results: ScenarioResult[] = all.map((scenario) => {
    const entry = runs.get(scenario.name)!;
    const pick = (server: ServerName, f: (m: Measure) => number) => median(entry[server].map(f));
    return {
      name: scenario.name,
      kind: scenario.kind,
      gateway: {
        perSecond: pick('gateway', (m) => m.perSecond),
        p50: pick('gateway', (m) => m.p50),
        p99: pick('gateway', (m) => m.p99),
        cpuMicros: pick('gateway', (m) => m.cpuMicros),
        statements: statements.gateway[scenario.name],
      },
      limit: {
        perSecond: pick('limit', (m) => m.perSecond),
        p50: pick('limit', (m) => m.p50),
        p99: pick('limit', (m) => m.p99),
        cpuMicros: pick('limit', (m) => m.cpuMicros),
        statements: statements.limit[scenario.name],
      },
      ...(pgStatements
        ? {
            postgres: {
              perSecond: pick('postgres', (m) => m.perSecond),
              p50: pick('postgres', (m) => m.p50),
              p99: pick('postgres', (m) => m.p99),
              cpuMicros: pick('postgres', (m) => m.cpuMicros),
              statements: pgStatements.gateway[scenario.name],
            },
          }
        : {}),
      failures: [...entry.gateway, ...entry.limit, ...entry.postgres].reduce(
        (n, m) => n + m.failures,
        0,
      ),
    };
  });
  const report: Report = {
    date: new Date().toISOString(),
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGb: Math.round(totalmem() / 1024 ** 3),
      node: process.version,
      sqlite: sqliteVersion,
      ...(pgServer ? { postgres: await postgresVersion(pgServer) } : {}),
    },
    settings: {
      meetings: total,
      repeats: opts.repeats,
      connections: CONNECTIONS,
      loadSeconds: opts.loadSeconds,
      latencySeconds: opts.latencySeconds,
      warmSeconds: opts.warmSeconds,
      quick: opts.quick,
    },
    scenarios: results,
    searchStatementsBySize: statements.searchBySize,
    coldStartMs: {
      gateway: median(cold.gateway),
      limit: median(cold.limit),
      ...(pgUrl ? { postgres: median(cold.postgres) } : {}),
    },
    rssMb: {
      gateway: median(rss.gateway),
      limit: median(rss.limit),
      ...(pgUrl ? { postgres: median(rss.postgres) } : {}),
    },
    ...(pgStatements ? { postgresSearchStatementsBySize: pgStatements.searchBySize } : {}),
    seconds: (performance.now() - runStarted) / 1000,
  };
  // A quick run is a check, not a measurement: it never overwrites the committed results.
  const printed = writeReport(
    report,
    path.join(ROOT, 'bench', 'results', ...(opts.quick ? ['quick'] : [])),
  );
  process.stdout.write(`${printed}\n`);
  rmSync(work, { recursive: true, force: true });
}

interface Measure {
  perSecond: number;
  p50: number;
  p99: number;
  cpuMicros: number;
  failures: number;
}

/**
 * Waits until the server has worked through what a load run left in flight (autocannon stops at
 * its deadline, the server does not): the next run must not queue behind it.
 */
async function drain(server: Server, token: string, probe: string): Promise<void> {
  // Idle means no CPU spent in a fifth of a second: a probe alone could overtake queued reads.
  const deadline = performance.now() + 60_000;
  for (;;) {
    const before = cpuSeconds(server.process.pid!);
    await sleep(200);
    if (cpuSeconds(server.process.pid!) - before < 0.02) break;
    if (performance.now() > deadline) throw new Error(`${server.name} stays busy`);
  }
  for (;;) {
    try {
      await post(server.url, token, probe);
      return;
    } catch (error) {
      if (performance.now() > deadline) throw error;
      log(`${server.name} busy: ${String((error as { cause?: unknown }).cause ?? error)}`);
      await sleep(100);
    }
  }
}

async function measure(
  server: Server,
  scenario: Scenario,
  token: string,
  opts: Options,
  loader: LoadGenerator,
  deleteOffset: number,
  probe: string,
): Promise<Measure> {
  const isDelete = scenario.name === 'delete';
  const bodies = (from: number, count: number) =>
    isDelete
      ? scenario.bodies.slice(deleteOffset + from, deleteOffset + from + count)
      : scenario.bodies;
  // Deletes (each body once) and slow runs are a number of requests; the others a time.
  const spec = (
    connections: number,
    seconds: number,
    from: number,
    amount: number,
    counted = isDelete,
  ): LoadSpec => ({
    url: server.url,
    token,
    bodies: bodies(from, amount),
    connections,
    ...(counted ? { amount } : { duration: seconds }),
  });
  const d = opts.deletes;
  // One connection first: its latency tells how long 50 queued requests take to come back.
  await drain(server, token, probe);
  // A server's first requests of a scenario compile its code: not part of its latency.
  if (!isDelete) await loader.run(spec(1, opts.warmSeconds / 2, 0, 0));
  const single = await loader.run(spec(1, opts.latencySeconds, d.warm + d.load, d.latency));
  if (!Number.isFinite(single.p50))
    throw new Error(`${scenario.name}: no answer at one connection`);
  const queueSeconds = (CONNECTIONS * single.p50) / 1000;
  // The run at one connection has warmed the code already; the warm-up at 50 connections brings
  // the server to its steady state under load, which a run whose queue alone is longer than the
  // warm-up reaches by itself (its first answers come after the queue's length, as in the rest).
  const warm =
    isDelete || queueSeconds <= opts.warmSeconds
      ? await loader.run(spec(CONNECTIONS, opts.warmSeconds, 0, d.warm))
      : undefined;
  await drain(server, token, probe);
  const cpuBefore = cpuSeconds(server.process.pid!);
  // Where 50 queued requests take longer than half the run, a timed run would end with most of its
  // requests still queued, which the server must then finish unmeasured. Such a run is a number
  // of requests instead: every connection's first at least, and the run's length of work at one
  // connection's pace; the server (SQLite runs one statement at a time) is busy until the last.
  // PostgreSQL works on many requests at once, so its first answers come together after a while
  // and a round of 50 ends with few in flight: its slow runs are three rounds, and its rate is
  // taken between the first and the last round, at full load.
  const slow = !isDelete && queueSeconds > opts.loadSeconds / 2;
  const parallel = server.name === 'postgres';
  const slowAmount = Math.max(
    (parallel ? 3 : 1) * CONNECTIONS,
    Math.ceil((opts.loadSeconds * 1000) / single.p50),
  );
  const loaded = await loader.run(
    slow
      ? spec(CONNECTIONS, 0, 0, slowAmount, true)
      : spec(CONNECTIONS, opts.loadSeconds, d.warm, d.load),
  );
  const cpu = cpuSeconds(server.process.pid!) - cpuBefore;
  await drain(server, token, probe);
  return {
    perSecond: slow && parallel ? loaded.steadyPerSecond : loaded.perSecond,
    p50: single.p50,
    p99: single.p99,
    cpuMicros: (cpu / loaded.requests) * 1e6,
    failures: [warm, loaded, single].reduce((n, r) => n + (r ? r.non2xx + r.errors : 0), 0),
  };
}

/** SQL statements per request of each scenario, and of a first page at sizes 10, 50 and 100. */
async function countStatements(
  all: Scenario[],
  dataFile: string,
  dir: string,
  token: string,
  limit: Server | null,
  gatewayEnv: Record<string, string | undefined>,
): Promise<{
  gateway: Record<string, number>;
  limit: Record<string, number>;
  searchBySize: Record<string, number>;
}> {
  const file = path.join(dir, 'count.sqlite');
  const onSqlite = gatewayEnv.DATABASE_URL?.startsWith('sqlite:') ?? true;
  if (onSqlite) copyDatabase(dataFile, file);
  // The running gateway's settings, on its own copy, on a free port.
  const config = loadConfig({
    ...gatewayEnv,
    PORT: '0',
    DATABASE_URL: onSqlite ? `sqlite:${file}` : gatewayEnv.DATABASE_URL,
    LOG_LEVEL: 'silent',
  });
  const app = await createApp(config, { logger: createLogger('silent') });
  const url = await app.listen();
  const gateway: Record<string, number> = {};
  const limitCounts: Record<string, number> = {};
  const stats = async () =>
    (
      (await (await fetch(limit!.url.replace('/graphql', '/stats'))).json()) as {
        statements: number;
      }
    ).statements;
  const times = 5;
  for (const scenario of all) {
    // Deletes take the last ids of the pool: the timed runs take it from the start.
    const bodies =
      scenario.name === 'delete'
        ? scenario.bodies.slice(-times)
        : Array<string>(times).fill(scenario.bodies[0]);
    const before = app.db.statementCount;
    for (const body of bodies) {
      const res = await post(url, token, body);
      if (res.json.errors) throw new Error(`${scenario.name}: ${JSON.stringify(res.json.errors)}`);
    }
    gateway[scenario.name] = (app.db.statementCount - before) / times;
    if (limit) {
      const limitBefore = await stats();
      for (const body of bodies) await post(limit.url, token, body);
      limitCounts[scenario.name] = ((await stats()) - limitBefore) / times;
    }
  }
  const searchBySize: Record<string, number> = {};
  const firstPage = JSON.parse(all[0].bodies[0]) as { variables: Record<string, unknown> };
  for (const size of [10, 50, 100]) {
    const body = JSON.stringify({ ...firstPage, variables: { ...firstPage.variables, size } });
    const before = app.db.statementCount;
    const res = await post(url, token, body);
    if (res.json.errors) throw new Error(`size ${size}: ${JSON.stringify(res.json.errors)}`);
    searchBySize[String(size)] = app.db.statementCount - before;
  }
  await app.stop();
  return { gateway, limit: limitCounts, searchBySize };
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
