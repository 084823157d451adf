import { parseAuth } from './config/auth-settings';
import { parseCorsOrigins } from './config/cors-origins';
import { parseDatabaseUrl, redactUrl } from './config/database-url';
import { parseLimits } from './config/limit-settings';
import { type Env, given, parseBoolean, parsePort } from './config/setting-values';
import { LOG_LEVELS, type LogLevel } from './logger';

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

/** How bearer tokens are verified. */
export interface AuthConfig {
  keys:
    | {
        kind: 'secret';
        secret: Uint8Array;
        /** made at start: no JWT setting was given */ generated: boolean;
      }
    | { kind: 'jwks'; url: URL };
  issuer: string;
  audience: string;
  /** The claim that lists the agency offices a caller may access. */
  officesClaim: string;
}

/** What one request may ask of the gateway. */
export interface LimitsConfig {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxCost: number;
  maxTokens: number;
  maxBodyBytes: number;
  maxQueryLength: number;
  rateLimitPerSecond: number;
  rateLimitBurst: number;
  operationTimeoutMs: number;
  /** How long a write's Idempotency-Key is kept: a repeat within it is answered from the first. */
  idempotencyKeyTtlHours: number;
}

export interface Config {
  production: boolean;
  port: number;
  host: string;
  /** DATABASE_URL with its password hidden, for logs. */
  databaseUrl: string;
  database: DatabaseConfig;
  demoData: boolean;
  logLevel: LogLevel;
  auth: AuthConfig;
  /** Introspection and "did you mean" hints in error messages. */
  introspection: boolean;
  limits: LimitsConfig;
  /**
   * Browser origins (scheme://host[:port]) allowed to call the GraphQL endpoints; outside production
   * any port of localhost, 127.0.0.1 and [::1] is allowed as well.
   */
  corsOrigins: readonly string[];
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const DEFAULTS = {
  PORT: '4000',
  HOST: '127.0.0.1',
  DATABASE_URL: 'sqlite:./data/meetings.sqlite',
  DEMO_DATA: 'true',
  LOG_LEVEL: 'info',
  JWT_OFFICES_CLAIM: 'offices',
} as const;

/**
 * Reads and validates every setting. This is the only reader of the environment: everything else
 * receives a Config. All problems are reported at once, each naming its variable. The parts are
 * parsed by the pure functions of src/config/, which are given `env` and never read it themselves.
 */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const problems: string[] = [];
  const read = (name: keyof typeof DEFAULTS): string => given(env, name) ?? DEFAULTS[name];

  const production = given(env, 'NODE_ENV') === 'production';
  const port = parsePort(read('PORT'), problems);
  const host = read('HOST');
  const databaseUrl = read('DATABASE_URL');
  const database = parseDatabaseUrl(databaseUrl, cwd, env, problems);
  const demoData = parseBoolean('DEMO_DATA', read('DEMO_DATA'), problems);
  const logLevel = read('LOG_LEVEL');
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")`);
  }
  const auth = parseAuth(env, production, read('JWT_OFFICES_CLAIM'), problems);
  const introspectionSetting = given(env, 'INTROSPECTION');
  const introspection =
    introspectionSetting === undefined
      ? !production
      : parseBoolean('INTROSPECTION', introspectionSetting, problems);
  const limits = parseLimits(env, problems);
  const corsOrigins = parseCorsOrigins(given(env, 'CORS_ORIGINS'), problems);

  if (problems.length > 0 || !database || !auth) throw new ConfigError(problems);
  return {
    production,
    port,
    host,
    databaseUrl: redactUrl(databaseUrl),
    database,
    demoData,
    logLevel: logLevel as LogLevel,
    auth,
    introspection,
    limits,
    corsOrigins,
  };
}
