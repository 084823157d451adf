import path from 'node:path';
import { LOG_LEVELS, type LogLevel } from './logger';

/** Where the meetings are stored. Only the embedded SQLite database for now. */
export interface SqliteDatabaseConfig {
  type: 'sqlite';
  /** Absolute path of the database file. */
  path: string;
  /** How long a statement waits for a lock held by another connection before it gives up. */
  busyTimeoutMs: number;
}

export type DatabaseConfig = SqliteDatabaseConfig;

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  database: DatabaseConfig;
  demoData: boolean;
  logLevel: LogLevel;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const DEFAULTS = {
  PORT: '4000',
  HOST: '127.0.0.1',
  DATABASE_URL: 'sqlite:./data/meetings.sqlite',
  DEMO_DATA: 'true',
  LOG_LEVEL: 'info',
} as const;

const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/**
 * Reads and validates every setting. This is the only reader of the environment: everything else
 * receives a Config. All problems are reported at once, each naming its variable.
 */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const problems: string[] = [];
  const read = (name: keyof typeof DEFAULTS): string => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? DEFAULTS[name] : value.trim();
  };

  const port = parsePort(read('PORT'), problems);
  const host = read('HOST');
  const databaseUrl = read('DATABASE_URL');
  const database = parseDatabaseUrl(databaseUrl, cwd, problems);
  const demoData = parseBoolean('DEMO_DATA', read('DEMO_DATA'), problems);
  const logLevel = read('LOG_LEVEL');
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")`);
  }

  if (problems.length > 0 || !database) throw new ConfigError(problems);
  return { port, host, databaseUrl, database, demoData, logLevel: logLevel as LogLevel };
}

function parsePort(raw: string, problems: string[]): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65535) {
    problems.push(`PORT must be a whole number from 0 to 65535 (got "${raw}")`);
  }
  return port;
}

function parseBoolean(name: string, raw: string, problems: string[]): boolean {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  problems.push(`${name} must be true or false (got "${raw}")`);
  return false;
}

function parseDatabaseUrl(
  raw: string,
  cwd: string,
  problems: string[],
): DatabaseConfig | undefined {
  const match = /^sqlite:(.+)$/.exec(raw);
  if (!match) {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(raw)?.[1];
    problems.push(
      scheme && /^postgres(ql)?$/i.test(scheme)
        ? 'DATABASE_URL: PostgreSQL is not supported yet; use sqlite:<path>'
        : `DATABASE_URL must have the form sqlite:<path> (got "${raw}")`,
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
