import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { mintToken } from '../../src/auth/tokens';
import type { AuthConfig } from '../../src/config/auth-settings';
import { log, stop } from '../servers';
import { type FanoutOptions, type FanoutResult, type Tokens, fanout } from './fanout';
import { type MemoryResult, idleMemory } from './memory';
import { type LiveReport, writeLiveReport } from './report';
import {
  AUDIENCE,
  ISSUER,
  type Running,
  type Target,
  postgresSchema,
  startBaseline,
  startGateway,
} from './servers';

/**
 * npm run bench:live [-- --quick] [-- --repeats n]
 *
 * Subscriptions under load: the built gateway (a child process, on a fresh SQLite file, and on
 * PostgreSQL in a schema of its own when BENCH_DATABASE_URL is set) and the fan-out baseline, each
 * with N = 1, 100 and 500 subscribers and a writer, from this process: events delivered per second,
 * delivery latency, every event checked; repeated, the servers taking turns, and the medians kept. Then memory per idle connection, 1,000 connections. Results
 * go to bench/results/live.{md,json}; a --quick run's to bench/results/quick/.
 */

const USAGE = `npm run bench:live [-- --quick] [-- --repeats n]

  --quick       N = 1 and 100, short phases, 200 idle connections, 1 repeat; results go to
                bench/results/quick/
  --repeats n   rounds of every N and server, the servers in turns (default 3): medians

BENCH_DATABASE_URL=postgres://... also runs the gateway on PostgreSQL, in a schema of its own.`;

async function main(): Promise<void> {
  if (process.argv.includes('--help')) return void process.stdout.write(`${USAGE}\n`);
  const quick = process.argv.includes('--quick');
  const repeatsAt = process.argv.indexOf('--repeats');
  const repeats = repeatsAt > 0 ? Number(process.argv[repeatsAt + 1]) : quick ? 1 : 3;
  const started = performance.now();
  const loadAtStart = loadavg()[0];
  const counts = quick ? [1, 100] : [1, 100, 500];
  const idleConnections = quick ? 200 : 1000;
  const options: FanoutOptions = quick
    ? { steadyRate: 20, steadySeconds: 2, maxSeconds: 2, maxLanes: 8, drainMs: 30_000 }
    : { steadyRate: 20, steadySeconds: 5, maxSeconds: 5, maxLanes: 8, drainMs: 60_000 };

  const secret = randomBytes(32).toString('base64url');
  const auth: AuthConfig = {
    keys: { kind: 'secret', secret: new TextEncoder().encode(secret), generated: false },
    issuer: ISSUER,
    audience: AUDIENCE,
    officesClaim: 'offices',
  };
  const adminToken = await mintToken(auth, { subject: 'bench', name: 'Bench Admin', admin: true });
  const minted = new Map<string, Promise<string>>();
  const tokens: Tokens = (offices) => {
    const key = offices?.join() ?? 'admin';
    if (!minted.has(key)) {
      const claims = offices
        ? { subject: `agent-${key}`, name: 'Bench Agent', offices }
        : { subject: 'bench-admin', name: 'Bench Admin', admin: true };
      minted.set(key, mintToken(auth, claims));
    }
    return minted.get(key)!;
  };

  const work = mkdtempSync(path.join(tmpdir(), 'meetings-live-bench-'));
  const pgServer = process.env.BENCH_DATABASE_URL || null;
  const pg = pgServer ? await postgresSchema(pgServer) : null;
  const targets: Target[] = [
    'gateway (SQLite)',
    ...(pg ? ['gateway (PostgreSQL)' as const] : []),
    'baseline',
  ];
  let fresh = 0;
  /** A server with nothing in it: a new SQLite file, or the PostgreSQL schema emptied. */
  const startTarget = async (target: Target, metrics: boolean): Promise<Running> => {
    if (target === 'baseline') return startBaseline(secret, adminToken);
    if (target === 'gateway (SQLite)') {
      const file = path.join(work, `gateway-${fresh++}.sqlite`);
      return startGateway(target, `sqlite:${file}`, secret, adminToken, metrics);
    }
    await pg!.drop();
    const again = await postgresSchema(pgServer!);
    return startGateway(target, again.url, secret, adminToken, metrics);
  };

  const fanouts: FanoutResult[] = [];
  const memory: MemoryResult[] = [];
  try {
    for (let repeat = 0; repeat < repeats; repeat++) {
      for (const n of counts) {
        // The servers take turns, in the other order each repeat.
        for (const target of repeat % 2 === 0 ? targets : [...targets].reverse()) {
          const server = await startTarget(target, false);
          try {
            const result = await fanout(server, n, tokens, adminToken, options);
            fanouts.push(result);
            log(
              `repeat ${repeat + 1}/${repeats}, ${n} subscribers, ${target}: ${Math.round(result.steady.eventsPerSecond)} events/s steady (p50 ${result.steady.latencyMs.p50.toFixed(1)} ms), ${Math.round(result.max.eventsPerSecond)} events/s at ${Math.round(result.max.writesPerSecond)} writes/s, every event checked`,
            );
          } finally {
            await stop(server);
          }
        }
      }
    }
    for (const target of targets) {
      const server = await startTarget(target, target !== 'baseline');
      try {
        const result = await idleMemory(server, idleConnections, tokens, adminToken);
        memory.push(result);
        log(
          `${target}: ${(result.perConnection.idle.vmRss / 1024).toFixed(1)} KB per idle connection, ${(result.perConnection.subscribed.vmRss / 1024).toFixed(1)} KB with a subscription (VmRSS)`,
        );
      } finally {
        await stop(server);
      }
    }
  } finally {
    await pg?.drop();
    rmSync(work, { recursive: true, force: true });
  }

  const report: LiveReport = {
    date: new Date().toISOString(),
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGb: Math.round(totalmem() / 1024 ** 3),
      node: process.version,
      ...(pg ? { postgres: pg.version } : {}),
      loadAverage: { start: loadAtStart, end: loadavg()[0] },
    },
    settings: { ...options, subscriberCounts: counts, idleConnections, repeats, quick },
    fanout: fanouts,
    memory,
    seconds: (performance.now() - started) / 1000,
  };
  const root = path.join(__dirname, '..', '..', '..');
  const printed = writeLiveReport(
    report,
    path.join(root, 'bench', 'results', ...(quick ? ['quick'] : [])),
  );
  process.stdout.write(`${printed}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
