import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { benchDatabase, shapeOf } from './data';
import { growth } from './growth';
import {
  CONNECTIONS,
  LoadGenerator,
  type MeasuredName,
  type Measures,
  measure,
  median,
  scenarioResults,
} from './measure';
import { STATEMENT_RUNS, USAGE, fitDeletes, options } from './options';
import { dropPostgresCopy, postgresCopy, postgresTemplate, postgresVersion } from './postgres-data';
import { type Report, writeReport } from './report';
import { consumesBodies } from './scenarios';
import { log, peakRssMb, start, stop } from './servers';
import { GATEWAY_COMMAND, compareAnswers, prepare } from './setup';
import { countStatements } from './statements';
import {
  type PairMeasures,
  comparablePairs,
  measurePairs,
  pairResults,
  startPostgraphile,
} from './postgraphile/compare';

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

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const opts = options(process.argv.slice(2));
  const runStarted = performance.now();
  const work = mkdtempSync(path.join(tmpdir(), 'meetings-bench-'));
  if (opts.growth) {
    const printed = await growth(opts, work, path.join(ROOT, 'bench', 'results'));
    process.stdout.write(`${printed}\n`);
    rmSync(work, { recursive: true, force: true });
    return;
  }
  const dataFile = await benchDatabase(opts.size, log);
  const pgServer = process.env.BENCH_DATABASE_URL || null;
  const pgTemplate = pgServer ? await postgresTemplate(pgServer, dataFile, log) : null;

  // What the scenarios need from the data; a server has started when it opens a meeting.
  const perServerDeletes =
    opts.repeats * (opts.deletes.warm + opts.deletes.load + opts.deletes.latency);
  const bench = await prepare(opts.size, work, perServerDeletes + STATEMENT_RUNS);
  const { fixtures, tokens, gatewayEnv } = bench;
  // The statement count deletes the last meetings of each pool (STATEMENT_RUNS).
  const available =
    Math.min(fixtures.deletable.admin.length, fixtures.deletable.office.length) - STATEMENT_RUNS;
  const fitted = fitDeletes(opts.deletes, opts.repeats, available);
  if (fitted !== opts.deletes) {
    log(
      `deletes per repeat fitted to the ${available} waiting meetings each caller may delete: ` +
        `${fitted.warm} warm-up, ${fitted.load} at ${CONNECTIONS} connections, ${fitted.latency} at one`,
    );
    opts.deletes = fitted;
  }
  const token = tokens.admin;
  const pgRun = 'meetings_bench_run';
  const pgUrl = pgServer && pgTemplate ? await postgresCopy(pgServer, pgTemplate, pgRun) : null;
  const startPostgres = () =>
    start(
      'postgres',
      GATEWAY_COMMAND,
      // Its metrics listener would take the SQLite gateway's port: off.
      { ...gatewayEnv, PORT: '4603', DATABASE_URL: pgUrl!, METRICS_PORT: '0' },
      4603,
      token,
      bench.probe,
    );

  let gateway = await bench.startGateway();
  const all = await bench.scenarios(gateway);

  // 1. Same data from every server, for every read scenario.
  let limit = await bench.startLimit();
  let postgres = pgUrl ? await startPostgres() : null;
  await compareAnswers(all, tokens, gateway, postgres ? [limit, postgres] : [limit]);
  // PostGraphile on the gateway's PostgreSQL copy, on the requests it can express.
  const probeMeeting = (JSON.parse(bench.probe) as { variables: { meetingId: string } }).variables
    .meetingId;
  const startPgl = () => startPostgraphile(pgUrl!, probeMeeting);
  let postgraphile = pgUrl ? await startPgl() : null;
  const pgPairs =
    postgres && postgraphile
      ? await comparablePairs(
          { ...shapeOf(opts.size), meetings: opts.size },
          fixtures.total,
          all.find((s) => s.name === 'deep cursor page')!.bodies[0],
          postgres,
          postgraphile,
          token,
        )
      : [];
  if (postgraphile)
    log(`same meetings from the gateway and PostGraphile in ${pgPairs.length} requests`);
  const pairMeasures: PairMeasures = new Map();

  // 2. Statements per request: the gateway in this process on its own copy, the limit by its count.
  const statements = await countStatements(all, dataFile, work, tokens, limit, gatewayEnv);
  const pgStatements =
    pgServer && pgTemplate
      ? await countStatements(all, dataFile, work, tokens, null, {
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
  const deleteOffset = new Map<string, number>();
  for (let repeat = 0; repeat < opts.repeats; repeat++) {
    if (repeat > 0) {
      gateway = await bench.startGateway();
      limit = await bench.startLimit();
      cold.gateway.push(gateway.coldStartMs);
      cold.limit.push(limit.coldStartMs);
      if (pgUrl) {
        postgres = await startPostgres();
        cold.postgres.push(postgres.coldStartMs);
        postgraphile = await startPgl();
      }
    }
    for (const scenario of all) {
      const servers = postgres ? [gateway, limit, postgres] : [gateway, limit];
      const order = repeat % 2 === 0 ? servers : [...servers].reverse();
      const entry = runs.get(scenario.name) ?? { gateway: [], limit: [], postgres: [] };
      const slice = deleteOffset.get(scenario.name) ?? 0;
      for (const server of order) {
        entry[server.name as MeasuredName].push(
          await measure(
            server,
            scenario,
            tokens[scenario.caller],
            opts,
            loader,
            slice,
            bench.probe,
          ),
        );
      }
      if (consumesBodies(scenario))
        deleteOffset.set(
          scenario.name,
          slice + opts.deletes.warm + opts.deletes.load + opts.deletes.latency,
        );
      runs.set(scenario.name, entry);
      log(
        `repeat ${repeat + 1}/${opts.repeats}: ${scenario.name} (gateway's peak RSS so far ${peakRssMb(gateway.process.pid!).toFixed(0)} MB)`,
      );
    }
    if (postgres && postgraphile) {
      await measurePairs(
        pgPairs,
        { postgres, postgraphile },
        token,
        opts,
        loader,
        repeat,
        pairMeasures,
      );
      log(`repeat ${repeat + 1}/${opts.repeats}: PostGraphile pairs`);
      await stop(postgraphile);
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
    ...(pgPairs.length > 0 ? { postgraphile: pairResults(pairMeasures) } : {}),
    seconds: (performance.now() - runStarted) / 1000,
  };
  // A quick run is a check, not a measurement: it never overwrites the committed results.
  const printed = writeReport(
    report,
    path.join(ROOT, 'bench', 'results', ...(opts.quick ? ['quick'] : [])),
    pgServer ? 'with-postgres' : 'latest',
  );
  process.stdout.write(`${printed}\n`);
  rmSync(work, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  // Servers and the load generator still running would keep the process alive.
  process.exit(1);
});
