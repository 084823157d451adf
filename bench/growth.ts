/**
 * Growth: the one-connection p50 of every read scenario at each size, the gateway beside the
 * limit, and how much each grows from one size to the next (bench/results/growth.{md,json}).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { LoadGenerator, median } from './measure';
import type { Options } from './options';
import type { Scenario } from './scenarios';
import { type Server, log, stop } from './servers';
import { compareAnswers, prepare } from './setup';

/** Growth allowed from one size to the next (issue 15), except where `exempt` says. */
const MAX_GROWTH = 1.5;

/** Exact counts over free text and deep offsets grow with the data by nature. */
export const exempt = (name: string) =>
  name.startsWith('free text') || name.startsWith('deep offset');

export interface GrowthRow {
  scenario: string;
  /** p50 in ms by size, for each server. */
  gateway: Record<string, number>;
  limit: Record<string, number>;
}

export interface GrowthReport {
  date: string;
  machine: { cpu: string; cores: number; node: string };
  sizes: number[];
  rows: GrowthRow[];
}

/** A p50 at one connection: a few requests to warm up, then a second of them (5 when slow). */
async function p50(
  loader: LoadGenerator,
  server: Server,
  token: string,
  scenario: Scenario,
  seconds: number,
): Promise<number> {
  const base = { url: server.url, token, bodies: scenario.bodies, connections: 1 };
  const warm = await loader.run({ ...base, amount: 3 });
  const run = await loader.run(
    warm.p50 > 200 ? { ...base, amount: 5 } : { ...base, duration: seconds },
  );
  return run.p50;
}

export async function growth(opts: Options, work: string, resultsDir: string): Promise<string> {
  const loader = new LoadGenerator();
  const rows = new Map<string, GrowthRow>();
  for (const size of opts.sizes) {
    const bench = await prepare(size, work, 1);
    const gateway = await bench.startGateway();
    const limit = await bench.startLimit();
    const reads = (await bench.scenarios(gateway)).filter((s) => s.compare);
    await compareAnswers(reads, bench.tokens, gateway, [limit]);
    for (const scenario of reads) {
      const row = rows.get(scenario.name) ?? { scenario: scenario.name, gateway: {}, limit: {} };
      const token = bench.tokens[scenario.caller];
      // Alternating the servers three times: the median of three p50s each.
      const g: number[] = [];
      const l: number[] = [];
      for (let i = 0; i < 3; i++) {
        g.push(await p50(loader, gateway, token, scenario, opts.latencySeconds));
        l.push(await p50(loader, limit, token, scenario, opts.latencySeconds));
      }
      row.gateway[size] = median(g);
      row.limit[size] = median(l);
      rows.set(scenario.name, row);
      log(
        `${size.toLocaleString('en')}: ${scenario.name}: gateway ${row.gateway[size].toFixed(2)} ms, limit ${row.limit[size].toFixed(2)} ms`,
      );
    }
    await stop(gateway);
    await stop(limit);
    for (const file of ['gateway', 'limit'])
      for (const suffix of ['', '-wal', '-shm'])
        rmSync(path.join(work, `${file}-${size}.sqlite${suffix}`), { force: true });
  }
  loader.close();
  const report: GrowthReport = {
    date: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version },
    sizes: opts.sizes,
    rows: [...rows.values()],
  };
  const dir = opts.quick ? path.join(resultsDir, 'quick') : resultsDir;
  mkdirSync(dir, { recursive: true });
  const text = growthMarkdown(report);
  writeFileSync(path.join(dir, 'growth.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(path.join(dir, 'growth.md'), `${text}\n`);
  return text;
}

const ms = (v: number | undefined) =>
  v === undefined ? '–' : v < 10 ? v.toFixed(2) : v.toFixed(1);

/** The growth of each step as text, in bold with a flag when past 1.5x and not exempt. */
function steps(name: string, bySize: Record<string, number>, sizes: number[]): string[] {
  return sizes.slice(1).map((size, i) => {
    const before = bySize[sizes[i]];
    const after = bySize[size];
    if (before === undefined || after === undefined) return '–';
    const ratio = after / before;
    const text = `${ratio.toFixed(1)}×`;
    return ratio > MAX_GROWTH ? (exempt(name) ? `${text} (exempt)` : `**${text}** ⚠`) : text;
  });
}

export function growthMarkdown(r: GrowthReport): string {
  const label = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`);
  const stepNames = r.sizes.slice(1).map((s, i) => `${label(r.sizes[i])}→${label(s)}`);
  const header = [
    'scenario',
    ...r.sizes.map((s) => `gateway ${label(s)}`),
    ...stepNames,
    ...r.sizes.map((s) => `limit ${label(s)}`),
    ...stepNames.map((s) => `limit ${s}`),
  ];
  const rows = r.rows.map((row) =>
    [
      row.scenario,
      ...r.sizes.map((s) => ms(row.gateway[s])),
      ...steps(row.scenario, row.gateway, r.sizes),
      ...r.sizes.map((s) => ms(row.limit[s])),
      ...steps(row.scenario, row.limit, r.sizes),
    ].join(' | '),
  );
  const flagged = r.rows.filter((row) =>
    [row.gateway].some((bySize) =>
      r.sizes
        .slice(1)
        .some((s, i) => bySize[s] / bySize[r.sizes[i]] > MAX_GROWTH && !exempt(row.scenario)),
    ),
  );
  return [
    `Measured ${r.date.slice(0, 16).replace('T', ' ')} UTC on ${r.machine.cpu}, ${r.machine.cores} cores, Node.js ${r.machine.node}, SQLite. p50 in ms at one connection (median of three runs alternating the servers), by number of meetings; "(office)" is the office-scoped caller (two offices of 5,000 meetings each, at every size). Growth past ${MAX_GROWTH}× is flagged ⚠, except exact counts over free text and deep offsets.`,
    '',
    `| ${header.join(' | ')} |`,
    `|---|${header
      .slice(1)
      .map(() => '--:')
      .join('|')}|`,
    ...rows.map((row) => `| ${row} |`),
    '',
    flagged.length === 0
      ? 'No scenario of the gateway grows past the limit of growth.'
      : `The gateway grows past ${MAX_GROWTH}× in ${flagged.length} scenario(s): ${flagged.map((row) => row.scenario).join(', ')}.`,
  ].join('\n');
}
