/**
 * One fan-out measurement: N subscribers on a server, a warm-up until every subscription runs, then
 * writes at a steady rate and as fast as the writer can; every event checked, latencies taken.
 */
import { cpuSeconds } from '../servers';
import type { Running } from './servers';
import { OFFICES, subscriberKind } from './shape';
import {
  Subscriber,
  arrivedCount,
  connectAll,
  expectedCount,
  latencies,
  until,
  verify,
} from './subscribers';
import { type Write, type WriteRun, write } from './writer';

export interface FanoutOptions {
  steadyRate: number;
  steadySeconds: number;
  maxSeconds: number;
  maxLanes: number;
  /** How long the events of a phase may take to arrive after its last write. */
  drainMs: number;
}

export interface PhaseResult {
  writes: number;
  writesPerSecond: number;
  events: number;
  eventsPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
  /** From the first write sent to the last event arrived. */
  seconds: number;
  /** CPU the load generator (this process) used in the phase, in cores. */
  loadGeneratorCores: number;
  /** CPU the server's process used in the phase, in cores. */
  serverCores: number;
  /** Events whose `meeting` was already at a later version than the change (read when sent). */
  laterMeeting: number;
}

export interface FanoutResult {
  target: Running['target'];
  subscribers: number;
  mix: Record<string, number>;
  steady: PhaseResult;
  max: PhaseResult;
}

export type Tokens = (offices: string[] | null) => Promise<string>;

export async function fanout(
  server: Running,
  n: number,
  tokens: Tokens,
  adminToken: string,
  opts: FanoutOptions,
): Promise<FanoutResult> {
  const subscribers = await connectAll(n, 50, async (i) => {
    const kind = subscriberKind(i);
    return Subscriber.connect(server.url, await tokens(kind.tokenOffices), kind);
  });
  const mix: Record<string, number> = {};
  for (const s of subscribers) mix[s.kind.label] = (mix[s.kind.label] ?? 0) + 1;
  try {
    for (const s of subscribers) s.subscribe();
    // Warm-up: a write in each office until every subscriber has had an event (its subscription
    // runs: it gets every change after that), then a second's writes for the JIT.
    const warm = new Set<string>();
    const got = () => subscribers.every((s) => s.arrivals.length > 0);
    for (let round = 0; !got(); round++) {
      if (round > 100)
        throw new Error(`${server.target}: subscriptions not running after 100 rounds`);
      // One write in each office.
      const each = { seconds: OFFICES.length / 1000, rate: 1000, lanes: 1, tag: 'warm' };
      for (const w of (await write(server.url, adminToken, each)).writes) warm.add(w.key);
      await new Promise((r) => setTimeout(r, 50));
    }
    const jit = await write(server.url, adminToken, { seconds: 1, lanes: 4, tag: 'warm' });
    for (const w of jit.writes) warm.add(w.key);
    await drain(subscribers, jit.writes, opts.drainMs, server.target);
    const steady = await phase(server, subscribers, warm, opts.drainMs, server.target, () =>
      write(server.url, adminToken, {
        seconds: opts.steadySeconds,
        lanes: 4,
        rate: opts.steadyRate,
        tag: 'steady',
      }),
    );
    const max = await phase(server, subscribers, warm, opts.drainMs, server.target, () =>
      write(server.url, adminToken, { seconds: opts.maxSeconds, lanes: opts.maxLanes, tag: 'max' }),
    );
    return { target: server.target, subscribers: n, mix, steady, max };
  } finally {
    for (const s of subscribers) s.close();
  }
}

/** Waits until every subscriber has as many events of `writes` as it must get, or fails. */
async function drain(
  subscribers: Subscriber[],
  writes: Write[],
  drainMs: number,
  target: string,
): Promise<void> {
  const keys = new Set(writes.map((w) => w.key));
  const expected = subscribers.map((s) => expectedCount(s, writes));
  for (const s of subscribers) s.track(keys);
  const done = () => subscribers.every((s, i) => s.watched >= expected[i]);
  const arrived = () => subscribers.reduce((sum, s) => sum + s.watched, 0);
  await until(done, drainMs, `${target}: events of ${writes.length} writes`).catch((e: Error) => {
    const total = expected.reduce((a, b) => a + b, 0);
    throw new Error(`${e.message}: ${arrived()} of ${total} events arrived`);
  });
}

async function phase(
  server: Running,
  subscribers: Subscriber[],
  ignored: Set<string>,
  drainMs: number,
  target: string,
  run: () => Promise<WriteRun>,
): Promise<PhaseResult> {
  for (const s of subscribers) s.arrivals = [];
  const cpu = process.cpuUsage();
  const serverCpu = cpuSeconds(server.process.pid!);
  const { writes, startedAt, endedAt } = await run();
  let drained: unknown;
  await drain(subscribers, writes, drainMs, target).catch((error: unknown) => (drained = error));
  const cpuUsed = process.cpuUsage(cpu);
  const serverCpuUsed = cpuSeconds(server.process.pid!) - serverCpu;
  // Fails loudly: a lost, repeated, misplaced or foreign event stops the bench.
  const problems = verify(subscribers, writes, ignored);
  if (problems.length > 0 || drained) {
    throw new Error(
      `${target}, ${subscribers.length} subscribers: events wrong\n  ${[String(drained ?? ''), ...problems.slice(0, 20)].filter(Boolean).join('\n  ')}${problems.length > 20 ? `\n  … and ${problems.length - 20} more` : ''}`,
    );
  }
  const keys = new Set(writes.map((w) => w.key));
  let last = endedAt;
  for (const s of subscribers)
    for (const a of s.arrivals) if (keys.has(a.key) && a.at > last) last = a.at;
  const events = arrivedCount(subscribers, keys);
  const version = new Map(writes.map((w) => [w.key, w.version]));
  let laterMeeting = 0;
  for (const s of subscribers)
    for (const a of s.arrivals)
      if ((a.meetingVersion ?? 0) > (version.get(a.key) ?? Infinity)) laterMeeting++;
  const seconds = (last - startedAt) / 1000;
  const sorted = latencies(subscribers, writes).sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  for (const s of subscribers) s.arrivals = [];
  return {
    writes: writes.length,
    writesPerSecond: writes.length / ((endedAt - startedAt) / 1000),
    events,
    eventsPerSecond: events / seconds,
    latencyMs: { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] },
    seconds,
    loadGeneratorCores: (cpuUsed.user + cpuUsed.system) / 1e6 / seconds,
    serverCores: serverCpuUsed / seconds,
    laterMeeting,
  };
}
