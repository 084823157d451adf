/** The live bench's results: bench/results/live.{md,json}, and the summary printed at the end. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FanoutOptions, FanoutResult, PhaseResult } from './fanout';
import type { MemoryResult } from './memory';

export interface LiveReport {
  date: string;
  machine: {
    cpu: string;
    cores: number;
    memoryGb: number;
    node: string;
    postgres?: string;
    /** The 1-minute load average when the run started and when it ended. */
    loadAverage: { start: number; end: number };
  };
  settings: FanoutOptions & {
    subscriberCounts: number[];
    idleConnections: number;
    repeats: number;
    quick: boolean;
  };
  /** Every run, each repeat of each N and server. */
  fanout: FanoutResult[];
  memory: MemoryResult[];
  seconds: number;
}

const n0 = (x: number) => Math.round(x).toLocaleString('en');
const ms = (x: number) => (Math.abs(x) < 10 ? x.toFixed(1) : x.toFixed(0));
// Not measured (the baseline has no heap metric): NaN in the run, null once read back from JSON.
const kb = (bytes: number | null) =>
  bytes === null || Number.isNaN(bytes) ? '–' : (bytes / 1024).toFixed(1);
const mb = (bytes: number | null) =>
  bytes === null || Number.isNaN(bytes) ? '–' : (bytes / 1024 ** 2).toFixed(1);

function ratio(result: FanoutResult, all: FanoutResult[], pick: (r: FanoutResult) => PhaseResult) {
  const baseline = all.find((r) => r.target === 'baseline' && r.subscribers === result.subscribers);
  if (!baseline || result.target === 'baseline') return '';
  return `${((pick(result).eventsPerSecond / pick(baseline).eventsPerSecond) * 100).toFixed(1)} %`;
}

const middle = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function medianPhase(phases: PhaseResult[]): PhaseResult {
  const of = (pick: (p: PhaseResult) => number) => middle(phases.map(pick));
  return {
    writes: of((p) => p.writes),
    writesPerSecond: of((p) => p.writesPerSecond),
    events: of((p) => p.events),
    eventsPerSecond: of((p) => p.eventsPerSecond),
    latencyMs: {
      p50: of((p) => p.latencyMs.p50),
      p99: of((p) => p.latencyMs.p99),
      max: of((p) => p.latencyMs.max),
    },
    seconds: of((p) => p.seconds),
    loadGeneratorCores: of((p) => p.loadGeneratorCores),
    serverCores: of((p) => p.serverCores),
    laterMeeting: of((p) => p.laterMeeting),
  };
}

/** Each N and server once: the median of its repeats, metric by metric. */
export function medians(runs: FanoutResult[]): FanoutResult[] {
  const groups = new Map<string, FanoutResult[]>();
  for (const r of runs) {
    const key = `${r.subscribers}\0${r.target}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()]
    .map((group) => ({
      ...group[0],
      steady: medianPhase(group.map((r) => r.steady)),
      max: medianPhase(group.map((r) => r.max)),
    }))
    .sort((a, b) => a.subscribers - b.subscribers);
}

const postgresNote = `
On PostgreSQL a change is read once every transaction that took a transaction id before it has
ended, anywhere on the server (\`pg_snapshot_xmin\`, other databases included), or at the next poll
(\`LIVE_POLL_INTERVAL_MS\`, 1 s) when the last such transaction was not the gateway's: on a server
shared with other work, as here, that is in the PostgreSQL latencies above.
`;

export function renderMarkdown(report: LiveReport): string {
  const { machine, settings } = report;
  const table = medians(report.fanout);
  const rows = table.map((r) =>
    [
      r.subscribers,
      r.target,
      n0(r.steady.writesPerSecond),
      n0(r.steady.eventsPerSecond),
      ms(r.steady.latencyMs.p50),
      ms(r.steady.latencyMs.p99),
      n0(r.max.writesPerSecond),
      n0(r.max.eventsPerSecond),
      ratio(r, table, (x) => x.max),
      ms(r.max.latencyMs.p50),
      ms(r.max.latencyMs.p99),
      r.max.serverCores.toFixed(2),
      n0(r.max.eventsPerSecond / r.max.serverCores),
      r.max.loadGeneratorCores.toFixed(2),
    ].join(' | '),
  );
  const memoryRows = report.memory.map((m) =>
    [
      m.target,
      mb(m.before.vmRss),
      kb(m.perConnection.idle.vmRss),
      kb(m.perConnection.idle.rss),
      kb(m.perConnection.idle.heapUsed),
      kb(m.perConnection.subscribed.vmRss),
      kb(m.perConnection.subscribed.rss),
      kb(m.perConnection.subscribed.heapUsed),
    ].join(' | '),
  );
  const later = report.fanout
    .map((r) => r.steady.laterMeeting + r.max.laterMeeting)
    .reduce((a, b) => a + b, 0)
    .toLocaleString('en');
  const mix =
    report.fanout.find((r) => r.subscribers === Math.max(...settings.subscriberCounts))?.mix ?? {};
  return `# Live bench: subscriptions (meetingChanged over graphql-ws)

${report.date.slice(0, 16).replace('T', ' ')} UTC, ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, Node.js ${machine.node}${machine.postgres ? `, PostgreSQL ${machine.postgres}` : ''}. \`${machine.postgres ? 'BENCH_DATABASE_URL=… ' : ''}npm run bench:live${settings.quick ? ' -- --quick' : ''}\`, ${Math.round(report.seconds)} s.

**Noisy**: the machine has ${machine.cores} cores, shared with other workers' builds, tests and benchmarks while
this ran (load average ${machine.loadAverage.start.toFixed(1)} at the start, ${machine.loadAverage.end.toFixed(1)} at the end; ${machine.postgres ? 'the PostgreSQL server too' : 'no PostgreSQL run'}), and the
load generator (subscribers and writer, one Node.js process) runs on the same cores as the servers.
Read ratios and orders of magnitude, not the last digit. Each row is the median of
${settings.repeats} repeat${settings.repeats === 1 ? '' : 's'} (the servers taking turns, in the other order each repeat), metric by metric; every
run is in [live.json](live.json).

## Events delivered

Each row: N subscribers, one WebSocket connection and one subscription each. Steady: writes at
${settings.steadyRate}/s for ${settings.steadySeconds} s (4 writers in turn). As fast as possible: ${settings.maxLanes} writers, each sending its
next write when the last is answered, for ${settings.maxSeconds} s. Events/s: events delivered, summed over all
subscribers, from the first write sent to the last event arrived. Latency: an event's arrival at its
subscriber minus the arrival of its write's answer at the writer (the commit, as a client sees it),
over every event of every subscriber. It is below zero when the load generator, one event loop,
reads the events before the answer (the baseline sends them as it answers): at N = 500 that is
the time it takes to read 500 sockets, the load generator's own delay. The
ratio is the gateway's events/s over the baseline's at the same N. Server cores and load gen. cores:
CPU time the server's process and the load generator's used in the as-fast-as-possible phase, over
its length (a core's worth is 1.00; the machine has ${machine.cores}). Neither server got near a core of its
own on the shared machine, so events per second of the server's CPU time is the steadier figure.

| N | server | steady writes/s | events/s | p50 ms | p99 ms | max writes/s | events/s | of baseline | p50 ms | p99 ms | server cores | events per server CPU s | load gen. cores |
| --: | --- | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: |
${rows.map((r) => `| ${r} |`).join('\n')}

Subscribers (at N = ${Math.max(...settings.subscriberCounts)}): ${Object.entries(mix)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ')}. One in five holds an admin token and subscribes without agencyOfficeIds (every
change), one in five an admin token with two of the four offices in agencyOfficeIds, three in five a
token scoped to one office (no agencyOfficeIds). The writer spreads its writes over the four offices
in turn: a createMeeting, then two updateMeetings of that meeting, per office and writer.

Every phase is checked before it counts: each subscriber got exactly the events of the writes it may
see (count), each once, with the write's op, office and version, and \`meeting\` at that version or a
later one (the field is the meeting as it is when the event goes out: ${later} of the events
counted above carried a later version), each meeting's versions in order, and all in the order the first subscriber (every change) got them. A lost,
repeated, foreign or reordered event stops the bench with the subscriber and the event.
${machine.postgres ? postgresNote : ''}
**The baseline** (\`bench/live/fanout-server.ts\`): a \`node:http\` + \`ws\` server that keeps meetings
in a Map (no database, nothing durable), checks tokens, and sends each change's JSON straight to the
sockets of an in-process array, graphql-transport-ws spoken by hand. It is what the fan-out costs at
the least on this machine and with this load generator, not a server one could run.

## Memory per idle connection

${report.memory[0]?.connections ?? 0} connections (connection_init acknowledged), first without a subscription, then with one each
(the same mix of tokens). Memory of the server process: VmRSS from /proc/<pid>/status, and for the
gateway \`process_resident_memory_bytes\` and \`nodejs_heap_size_used_bytes\` from its /metrics (on a
port of its own for this run). No GC can be forced in the gateway, so each point is the median of
${report.memory[0]?.readings ?? 0} readings 0.3 s apart; the heap numbers carry whatever garbage the collector had not
taken yet. Per connection = (after − before) / count, in KB.

| server | RSS before, MB | idle: VmRSS KB | RSS KB | heap KB | subscribed: VmRSS KB | RSS KB | heap KB |
| --- | --: | --: | --: | --: | --: | --: | --: |
${memoryRows.map((r) => `| ${r} |`).join('\n')}
`;
}

/** Writes live.md and live.json under `dir`; returns the markdown. */
export function writeLiveReport(report: LiveReport, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const markdown = renderMarkdown(report);
  writeFileSync(path.join(dir, 'live.md'), markdown);
  writeFileSync(path.join(dir, 'live.json'), `${JSON.stringify(report, null, 2)}\n`);
  return markdown;
}
