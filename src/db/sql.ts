import type { EntityManager } from 'typeorm';
import type { OfficeScope } from '../auth/caller';

/** The SQL dialects the gateway speaks. */
export type Dialect = 'sqlite' | 'postgres';

/** The dialect of the database behind a manager. */
export function dialectOf(manager: EntityManager): Dialect {
  return manager.dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite';
}

/**
 * Runs one statement written with `?` placeholders, on either dialect: PostgreSQL's `$1, $2 ...`
 * are put in their place (outside quoted literals and identifiers) before it is sent. Statements
 * are written once, in the SQL both databases share; the few fragments that differ come from the
 * dialect.
 */
export function query<T = Record<string, unknown>>(
  manager: EntityManager,
  sql: string,
  params: readonly unknown[] = [],
): Promise<T[]> {
  const text = dialectOf(manager) === 'postgres' ? numberedPlaceholders(sql) : sql;
  return manager.query(text, params as unknown[]) as Promise<T[]>;
}

const rewritten = new Map<string, string>();
const REWRITTEN_LIMIT = 2000;

/** `?` -> `$n`, skipping '...' literals and "..." identifiers. Remembers recent statements. */
export function numberedPlaceholders(sql: string): string {
  const known = rewritten.get(sql);
  if (known !== undefined) return known;
  let out = '';
  let n = 0;
  let quote: string | null = null;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === '?') {
      out += `$${++n}`;
    } else {
      out += ch;
    }
  }
  if (rewritten.size >= REWRITTEN_LIMIT) rewritten.clear();
  rewritten.set(sql, out);
  return out;
}

/** A WHERE clause with its bound parameters, in order. */
export interface SqlFragment {
  sql: string;
  params: unknown[];
}

/** The condition that limits `column` to an office scope: nothing at all for an empty scope. */
export function scopeClause(
  column: string,
  scope: OfficeScope,
  bind: (value: unknown) => string,
): string[] {
  if (scope === null) return [];
  if (scope.length === 0) return ['0 = 1'];
  return [`${column} IN (${scope.map(bind).join(', ')})`];
}
