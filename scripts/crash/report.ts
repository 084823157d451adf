import type { Ledger } from './ledger';

/** What one database's run found. */
export interface RunResult {
  database: string;
  ledger: Ledger;
  /** PRAGMA integrity_check (SQLite), or why there is none. */
  integrity: string;
  /** Whether the gateway refused an Idempotency-Key on a query, as the contract says it must. */
  idempotencySupported: boolean;
  seconds: number;
}

/** The numbers of one run, as the summary shows them. */
export function tally(result: RunResult): Record<string, string> {
  const { ledger } = result;
  const by = (kind: string) => ledger.writes.filter((w) => w.outcome?.kind === kind).length;
  const unknownValid = ledger.writes.filter(
    (w) => w.kind === 'valid' && w.outcome?.kind === 'unknown',
  ).length;
  const percent = unknownValid === 0 ? 0 : (100 * ledger.unknownCommitted) / unknownValid;
  return {
    database: result.database,
    cycles: String(ledger.cycles),
    writes: String(ledger.writes.length),
    acknowledged: String(by('acknowledged')),
    refused: String(by('refused')),
    unknown: String(by('unknown')),
    'unknown committed': `${ledger.unknownCommitted}/${unknownValid} (${percent.toFixed(1)}%)`,
    lost: String(ledger.count('lost')),
    'refused applied': String(ledger.count('refused-applied')),
    duplicates: String(ledger.count('duplicate')),
    'wrong answers': String(ledger.count('wrong-answer')),
    integrity: result.integrity,
    seconds: result.seconds.toFixed(0),
  };
}

/** A plain-text table: one row per database. */
export function summary(results: readonly RunResult[]): string {
  const rows = results.map(tally);
  const columns = Object.keys(rows[0] ?? {});
  const width = (c: string) => Math.max(c.length, ...rows.map((r) => r[c].length));
  const line = (cells: (c: string) => string) =>
    columns.map((c) => cells(c).padStart(width(c))).join('  ');
  return [line((c) => c), line((c) => '-'.repeat(width(c))), ...rows.map((r) => line((c) => r[c]))]
    .map((l) => l.trimEnd())
    .join('\n');
}

const SHOWN = 20;

/** Every violation, by kind, the first few in full. */
export function violations(result: RunResult): string {
  const lines = result.ledger.violations.slice(0, SHOWN).map((v) => `  ${v.kind}: ${v.detail}`);
  const more = result.ledger.violations.length - SHOWN;
  if (more > 0) lines.push(`  … and ${more} more`);
  if (!result.idempotencySupported) {
    lines.unshift(
      '  the gateway ignores Idempotency-Key: a retried write that had committed is applied again',
    );
  }
  return lines.length === 0 ? '' : `${result.database}:\n${lines.join('\n')}`;
}

/** Whether the run broke any promise. */
export function failed(result: RunResult): boolean {
  return (
    !result.idempotencySupported ||
    result.ledger.violations.length > 0 ||
    (result.integrity !== 'ok' && result.integrity !== 'n/a')
  );
}
