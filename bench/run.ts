import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { deepStrictEqual } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { mintToken } from '../src/auth/tokens';
import type { AuthConfig } from '../src/config/auth-settings';
import { benchDatabase } from './data';
import { deepCursor, readFixtures } from './fixtures';
import {
  CONNECTIONS,
  LoadGenerator,
  type Measures,
  measure,
  median,
  scenarioResults,
} from './measure';
import { USAGE, options } from './options';
import { dropPostgresCopy, postgresCopy, postgresTemplate, postgresVersion } from './postgres-data';
import { type Report, writeReport } from './report';
import { getOne, scenarios } from './scenarios';
import { copyDatabase, log, peakRssMb, post, start, stop, withoutExtensions } from './servers';
import { countStatements } from './statements';

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
const ISSUER = 'meetings-gateway-bench';
const AUDIENCE = 'meetings-gateway-bench';

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
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

  // What the scenarios need from the data; a server has started when it opens a meeting.
  const perServerDeletes =
    opts.repeats * (opts.deletes.warm + opts.deletes.load + opts.deletes.latency);
  const fixtures = readFixtures(dataFile, perServerDeletes);
  const shape = { meetings: fixtures.total, offices: 0, agents: 0, parties: 0 };
  const getProbe = getOne(shape).bodies[0];

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
      [path.join(DIST, 'bench', 'limit-server.js'), limitDb, '4602', secret],
      { PATH: process.env.PATH },
      4602,
      token,
      getProbe,
    );

  let gateway = await startGateway();
  const all = scenarios({
    shape,
    deepCursor: await deepCursor(gateway.url, token, fixtures.middle),
    deletable: fixtures.deletable,
    updatable: fixtures.updatable,
    people: fixtures.people,
  });

  // 1. Same data from both, for every read scenario.
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
  const runs: Measures = new Map();
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

  const results = scenarioResults(all, runs, statements, pgStatements);
  const report: Report = {
    date: new Date().toISOString(),
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGb: Math.round(totalmem() / 1024 ** 3),
      node: process.version,
      sqlite: fixtures.sqliteVersion,
      ...(pgServer ? { postgres: await postgresVersion(pgServer) } : {}),
    },
    settings: {
      meetings: fixtures.total,
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

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
