/** DATABASE_URL: a SQLite file or a PostgreSQL server with its pool settings; redacted for logs. */
import path from 'node:path';
import { type Env, parseWholeNumbers } from './setting-values';

/** The embedded database: one file, one gateway process. */
export interface SqliteDatabaseConfig {
  type: 'sqlite';
  /** Absolute path of the database file. */
  path: string;
  /** How long a statement waits for a lock held by another connection before it gives up. */
  busyTimeoutMs: number;
}

/** A PostgreSQL server: several gateway instances can share it. */
export interface PostgresDatabaseConfig {
  type: 'postgres';
  /** postgres://user:password@host:port/database, without the gateway's own parameters. */
  url: string;
  /** The schema the gateway's tables live in (the `schema` parameter of DATABASE_URL). */
  schema: string;
  /** Connections this process keeps open at most. */
  poolSize: number;
  /** A statement running longer is cancelled by the server. */
  statementTimeoutMs: number;
  /** How long to wait for a new connection before the database counts as unavailable. */
  connectTimeoutMs: number;
}

/** Where the meetings are stored. */
export type DatabaseConfig = SqliteDatabaseConfig | PostgresDatabaseConfig;

const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** PostgreSQL's settings, and their defaults. */
export const POSTGRES_SETTINGS = {
  poolSize: { variable: 'DATABASE_POOL_SIZE', default: 10, min: 1 },
  statementTimeoutMs: { variable: 'DATABASE_STATEMENT_TIMEOUT_MS', default: 10000, min: 1 },
  connectTimeoutMs: { variable: 'DATABASE_CONNECT_TIMEOUT_MS', default: 5000, min: 1 },
} as const;

export function parseDatabaseUrl(
  raw: string,
  cwd: string,
  env: Env,
  problems: string[],
): DatabaseConfig | undefined {
  if (/^postgres(ql)?:/i.test(raw)) return parsePostgresUrl(raw, env, problems);
  const match = /^sqlite:(.+)$/.exec(raw);
  if (!match) {
    problems.push(
      `DATABASE_URL must have the form sqlite:<path> or postgres://user:password@host:port/database (got "${redactUrl(raw)}")`,
    );
    return undefined;
  }
  const file = match[1];
  if (file === ':memory:' || file.startsWith('file:')) {
    problems.push('DATABASE_URL must name a database file, as sqlite:<path>');
    return undefined;
  }
  return { type: 'sqlite', path: path.resolve(cwd, file), busyTimeoutMs: DEFAULT_BUSY_TIMEOUT_MS };
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function parsePostgresUrl(
  raw: string,
  env: Env,
  problems: string[],
): PostgresDatabaseConfig | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(
      `DATABASE_URL must have the form postgres://user:password@host:port/database (got "${redactUrl(raw)}")`,
    );
    return undefined;
  }
  const settings = parseWholeNumbers(env, POSTGRES_SETTINGS, problems);
  const schema = url.searchParams.get('schema') ?? 'public';
  url.searchParams.delete('schema');
  if (!SCHEMA_NAME.test(schema)) {
    problems.push(
      `DATABASE_URL: schema must be a lower-case SQL name (letters, digits, _), got "${schema}"`,
    );
  }
  if (url.hostname === '' || url.pathname.length <= 1) {
    problems.push(
      `DATABASE_URL must name a host and a database, as postgres://user:password@host:port/database (got "${redactUrl(raw)}")`,
    );
  }
  return { type: 'postgres', url: url.toString(), schema, ...settings };
}

/** A database URL fit for logs and messages: its password replaced. */
export function redactUrl(raw: string): string {
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, '$1***@');
}
