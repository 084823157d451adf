/** Measuring a scenario on a server (warm-up, latency, rate under load); medians of the repeats. */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import type { LoadResult, LoadSpec } from './load';
import type { Options } from './options';
import type { ScenarioResult, ServerNumbers } from './report';
import { type Scenario, consumesBodies } from './scenarios';
import { type Server, type ServerName, children, cpuSeconds, log, post, sleep } from './servers';
import type { StatementCounts } from './statements';

/** Connections of the loaded runs (throughput); latency is measured at one. */
export const CONNECTIONS = 50;
const DIST = path.join(__dirname, '..');

/** The load generator's process, started once; runs are sent to it one at a time. */
export class LoadGenerator {
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

export interface Measure {
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

export async function measure(
  server: Server,
  scenario: Scenario,
  token: string,
  opts: Options,
  loader: LoadGenerator,
  deleteOffset: number,
  probe: string,
): Promise<Measure> {
  const isDelete = consumesBodies(scenario);
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
  let single = await loader.run(spec(1, opts.latencySeconds, d.warm + d.load, d.latency));
  // A request slower than the whole latency run (a deep page on PostgreSQL on a busy machine):
  // three requests instead.
  if (!Number.isFinite(single.p50) && !isDelete) single = await loader.run(spec(1, 0, 0, 3, true));
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
  const parallel = server.name === 'postgres' || server.name === 'postgraphile';
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

/** Each scenario's measures on each server, one per repeat. */
/** The servers of the main table (PostGraphile is measured on its own pairs). */
export type MeasuredName = Exclude<ServerName, 'postgraphile'>;

export type Measures = Map<string, Record<MeasuredName, Measure[]>>;

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Each scenario's medians over the repeats, with its statements per request. */
export function scenarioResults(
  all: Scenario[],
  runs: Measures,
  statements: StatementCounts,
  pgStatements: StatementCounts | null,
): ScenarioResult[] {
  return all.map((scenario) => {
    const entry = runs.get(scenario.name)!;
    const pick = (server: MeasuredName, f: (m: Measure) => number) => median(entry[server].map(f));
    const numbers = (server: MeasuredName, count: number): ServerNumbers => ({
      perSecond: pick(server, (m) => m.perSecond),
      p50: pick(server, (m) => m.p50),
      p99: pick(server, (m) => m.p99),
      cpuMicros: pick(server, (m) => m.cpuMicros),
      statements: count,
    });
    return {
      name: scenario.name,
      kind: scenario.kind,
      gateway: numbers('gateway', statements.gateway[scenario.name]),
      limit: numbers('limit', statements.limit[scenario.name]),
      ...(pgStatements
        ? { postgres: numbers('postgres', pgStatements.gateway[scenario.name]) }
        : {}),
      failures: [...entry.gateway, ...entry.limit, ...entry.postgres].reduce(
        (n, m) => n + m.failures,
        0,
      ),
    };
  });
}
