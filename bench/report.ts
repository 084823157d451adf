import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The benchmark's results: a table for the terminal and bench/results/, JSON, and an SVG chart. */

export interface ServerNumbers {
  perSecond: number;
  p50: number;
  p99: number;
  cpuMicros: number;
  statements: number;
}

export interface ScenarioResult {
  name: string;
  kind: 'search' | 'get' | 'write' | 'mix';
  gateway: ServerNumbers;
  limit: ServerNumbers;
  /** The gateway on PostgreSQL, when the run had a server (BENCH_DATABASE_URL). */
  postgres?: ServerNumbers;
  failures: number;
}

export interface Report {
  date: string;
  machine: {
    cpu: string;
    cores: number;
    memoryGb: number;
    node: string;
    sqlite: string;
    postgres?: string;
  };
  settings: {
    meetings: number;
    repeats: number;
    connections: number;
    loadSeconds: number;
    latencySeconds: number;
    warmSeconds: number;
    quick: boolean;
  };
  scenarios: ScenarioResult[];
  searchStatementsBySize: Record<string, number>;
  postgresSearchStatementsBySize?: Record<string, number>;
  coldStartMs: { gateway: number; limit: number; postgres?: number };
  rssMb: { gateway: number; limit: number; postgres?: number };
  seconds: number;
}

interface Target {
  what: string;
  target: string;
  actual: string;
  met: boolean;
}

const SEARCH_TARGETS = ['first page', 'filtered', 'free text, rare word', 'free text, common word'];

export function targets(r: Report): Target[] {
  const byName = new Map(r.scenarios.map((s) => [s.name, s]));
  const ratio = (s: ScenarioResult) => s.gateway.perSecond / s.limit.perSecond;
  const list: Target[] = SEARCH_TARGETS.filter((n) => byName.has(n)).map((name) => {
    const value = ratio(byName.get(name)!);
    return {
      what: `throughput: ${name}`,
      target: '≥ 0.5',
      actual: value.toFixed(2),
      met: value >= 0.5,
    };
  });
  const get = byName.get('get one');
  if (get) {
    const value = ratio(get);
    list.push({
      what: 'throughput: get one',
      target: '≥ 0.45',
      actual: value.toFixed(2),
      met: value >= 0.45,
    });
  }
  const reads = r.scenarios.filter((s) => s.kind === 'search' || s.kind === 'get');
  const worstP99 = Math.max(...reads.map((s) => s.gateway.p99 / s.limit.p99));
  const worstName = reads.find((s) => s.gateway.p99 / s.limit.p99 === worstP99)?.name ?? '';
  list.push({
    what: 'p99 at one connection, worst read',
    target: '≤ 1.5 × limit',
    actual: `${worstP99.toFixed(2)} × (${worstName})`,
    met: worstP99 <= 1.5,
  });
  const searchStatements = Math.max(
    ...r.scenarios.filter((s) => s.kind === 'search').map((s) => s.gateway.statements),
  );
  const sizes = Object.values(r.searchStatementsBySize);
  list.push({
    what: 'SQL statements per search (sizes 10/50/100)',
    target: '≤ 4, same for every size',
    actual: `${searchStatements} (${Object.entries(r.searchStatementsBySize)
      .map(([size, n]) => `${size}: ${n}`)
      .join(', ')})`,
    met: searchStatements <= 4 && sizes.every((n) => n === sizes[0]),
  });
  if (get) {
    list.push({
      what: 'SQL statements per get',
      target: '≤ 3',
      actual: String(get.gateway.statements),
      met: get.gateway.statements <= 3,
    });
  }
  list.push({
    what: 'RSS under load',
    target: '≤ 150 MB',
    actual: `${r.rssMb.gateway.toFixed(0)} MB`,
    met: r.rssMb.gateway <= 150,
  });
  list.push({
    what: 'cold start to first answer',
    target: '≤ 1.2 s',
    actual: `${(r.coldStartMs.gateway / 1000).toFixed(2)} s`,
    met: r.coldStartMs.gateway <= 1200,
  });
  return list;
}

const n0 = (v: number) => Math.round(v).toLocaleString('en');
const ms = (v: number | null) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(2) : '–');

export function markdown(r: Report): string {
  const rows = r.scenarios.map(
    (s) =>
      `| ${s.name} | ${n0(s.gateway.perSecond)} | ${n0(s.limit.perSecond)} | **${(s.gateway.perSecond / s.limit.perSecond).toFixed(2)}** | ${ms(s.gateway.p50)} / ${ms(s.limit.p50)} | ${ms(s.gateway.p99)} / ${ms(s.limit.p99)} | ${n0(s.gateway.cpuMicros)} / ${n0(s.limit.cpuMicros)} | ${s.gateway.statements} / ${s.limit.statements} |`,
  );
  const t = targets(r).map(
    (x) => `| ${x.what} | ${x.target} | ${x.actual} | ${x.met ? 'met' : '**not met**'} |`,
  );
  const failures = r.scenarios.reduce((n, s) => n + s.failures, 0);
  const pg = r.scenarios.every((s) => s.postgres) ? postgresTable(r) : [];
  return [
    `Measured ${r.date.slice(0, 16).replace('T', ' ')} UTC on ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGb} GB, Node.js ${r.machine.node}, SQLite ${r.machine.sqlite}${r.machine.postgres ? `, PostgreSQL ${r.machine.postgres} on the same machine` : ''}: ${r.settings.meetings.toLocaleString('en')} meetings, medians of ${r.settings.repeats} repeat(s), req/s at ${r.settings.connections} connections over ${r.settings.loadSeconds} s, latency at one connection over ${r.settings.latencySeconds} s. Gateway / limit in each cell; ratio = gateway req/s ÷ limit req/s.`,
    '',
    '| scenario | gateway req/s | limit req/s | ratio | p50 ms | p99 ms | server CPU µs/req | SQL/req |',
    '|---|--:|--:|--:|--:|--:|--:|--:|',
    ...rows,
    '',
    `Cold start to first answer: gateway ${n0(r.coldStartMs.gateway)} ms, limit ${n0(r.coldStartMs.limit)} ms. Peak RSS: gateway ${n0(r.rssMb.gateway)} MB, limit ${n0(r.rssMb.limit)} MB. Failed requests: ${failures}. Whole run: ${n0(r.seconds)} s.`,
    ...pg,
    '',
    '| target (100k meetings) | target | this run | |',
    '|---|---|---|---|',
    ...t,
  ].join('\n');
}

/** The gateway on PostgreSQL beside the gateway on SQLite, both as ratios to the limit. */
function postgresTable(r: Report): string[] {
  const rows = r.scenarios.map((s) => {
    const pg = s.postgres!;
    return `| ${s.name} | ${n0(s.gateway.perSecond)} | ${n0(pg.perSecond)} | ${(s.gateway.perSecond / s.limit.perSecond).toFixed(2)} | **${(pg.perSecond / s.limit.perSecond).toFixed(2)}** | ${ms(s.gateway.p50)} / ${ms(pg.p50)} | ${ms(s.gateway.p99)} / ${ms(pg.p99)} | ${n0(s.gateway.cpuMicros)} / ${n0(pg.cpuMicros)} | ${s.gateway.statements} / ${pg.statements} |`;
  });
  return [
    '',
    'The same gateway on PostgreSQL (SQLite / PostgreSQL in each cell; ratios to the SQLite limit server; server CPU is the gateway process only, not the database server):',
    '',
    '| scenario | SQLite req/s | PostgreSQL req/s | SQLite ratio | PostgreSQL ratio | p50 ms | p99 ms | gateway CPU µs/req | SQL/req |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|',
    ...rows,
    '',
    `On PostgreSQL: cold start ${n0(r.coldStartMs.postgres ?? NaN)} ms, peak RSS ${n0(r.rssMb.postgres ?? NaN)} MB, statements per first page at sizes ${Object.entries(
      r.postgresSearchStatementsBySize ?? {},
    )
      .map(([size, n]) => `${size}: ${n}`)
      .join(', ')}.`,
  ];
}

export function svg(r: Report): string {
  const width = 900;
  const left = 190;
  const top = 50;
  const withPg = r.scenarios.every((s) => s.postgres);
  const rowHeight = withPg ? 62 : 44;
  const height = top + r.scenarios.length * rowHeight + 40;
  const max = Math.max(
    ...r.scenarios.flatMap((s) => [
      s.gateway.perSecond,
      s.limit.perSecond,
      s.postgres?.perSecond ?? 0,
    ]),
  );
  const scale = (v: number) => ((width - left - 90) * v) / max;
  const escape = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const bars = r.scenarios.map((s, i) => {
    const y = top + i * rowHeight;
    const ratio = s.gateway.perSecond / s.limit.perSecond;
    return [
      `<text x="${left - 10}" y="${y + 20}" text-anchor="end">${escape(s.name)}</text>`,
      `<rect x="${left}" y="${y + 4}" width="${scale(s.limit.perSecond).toFixed(1)}" height="16" fill="#b0bec5"/>`,
      `<rect x="${left}" y="${y + 22}" width="${scale(s.gateway.perSecond).toFixed(1)}" height="16" fill="#1e88e5"/>`,
      `<text x="${left + scale(s.limit.perSecond) + 6}" y="${y + 17}" class="small">${n0(s.limit.perSecond)}</text>`,
      `<text x="${left + scale(s.gateway.perSecond) + 6}" y="${y + 35}" class="small">${n0(s.gateway.perSecond)} (${ratio.toFixed(2)})</text>`,
      ...(s.postgres
        ? [
            `<rect x="${left}" y="${y + 40}" width="${scale(s.postgres.perSecond).toFixed(1)}" height="16" fill="#43a047"/>`,
            `<text x="${left + scale(s.postgres.perSecond) + 6}" y="${y + 53}" class="small">${n0(s.postgres.perSecond)} (${(s.postgres.perSecond / s.limit.perSecond).toFixed(2)})</text>`,
          ]
        : []),
    ].join('\n');
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="13">
<style>.small { font-size: 11px; fill: #37474f; }</style>
<rect width="100%" height="100%" fill="white"/>
<text x="${left}" y="22" font-size="15" font-weight="bold">Requests per second at 50 connections, ${r.settings.meetings.toLocaleString('en')} meetings</text>
<rect x="${left}" y="30" width="12" height="10" fill="#1e88e5"/><text x="${left + 16}" y="40" class="small">gateway on SQLite (ratio to the limit)</text>
<rect x="${left + 200}" y="30" width="12" height="10" fill="#b0bec5"/><text x="${left + 216}" y="40" class="small">limit: node:http + prepared statements</text>
${withPg ? `<rect x="${left + 460}" y="30" width="12" height="10" fill="#43a047"/><text x="${left + 476}" y="40" class="small">gateway on PostgreSQL</text>` : ''}
${bars.join('\n')}
</svg>
`;
}

/** Writes latest.json, latest.md and latest.svg under `dir`; returns the Markdown for the terminal. */
export function writeReport(r: Report, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const text = markdown(r);
  writeFileSync(
    path.join(dir, 'latest.json'),
    `${JSON.stringify({ ...r, targets: targets(r) }, null, 2)}\n`,
  );
  writeFileSync(path.join(dir, 'latest.md'), `${text}\n`);
  writeFileSync(path.join(dir, 'latest.svg'), svg(r));
  return text;
}
