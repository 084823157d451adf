import { randomBytes } from 'node:crypto';
import path from 'node:path';
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

type Env = Readonly<Record<string, string | undefined>>;

const DEFAULTS = {
  PORT: '4000',
  HOST: '127.0.0.1',
  DATABASE_URL: 'sqlite:./data/meetings.sqlite',
  DEMO_DATA: 'true',
  LOG_LEVEL: 'info',
  JWT_OFFICES_CLAIM: 'offices',
} as const;

/** The limits' settings and defaults. */
export const LIMIT_SETTINGS: Record<
  keyof LimitsConfig,
  { variable: string; default: number; min: number }
> = {
  maxDepth: { variable: 'MAX_QUERY_DEPTH', default: 8, min: 1 },
  maxAliases: { variable: 'MAX_ALIASES', default: 15, min: 0 },
  maxDirectives: { variable: 'MAX_DIRECTIVES', default: 10, min: 0 },
  maxCost: { variable: 'MAX_QUERY_COST', default: 2000, min: 1 },
  maxTokens: { variable: 'MAX_QUERY_TOKENS', default: 1000, min: 10 },
  maxBodyBytes: { variable: 'MAX_BODY_BYTES', default: 65536, min: 1024 },
  maxQueryLength: { variable: 'MAX_QUERY_LENGTH', default: 15000, min: 100 },
  rateLimitPerSecond: { variable: 'RATE_LIMIT_PER_SECOND', default: 20, min: 1 },
  rateLimitBurst: { variable: 'RATE_LIMIT_BURST', default: 40, min: 1 },
  operationTimeoutMs: { variable: 'OPERATION_TIMEOUT_MS', default: 10000, min: 10 },
  idempotencyKeyTtlHours: { variable: 'IDEMPOTENCY_KEY_TTL_HOURS', default: 24, min: 1 },
};

const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** PostgreSQL's settings, and their defaults. */
export const POSTGRES_SETTINGS = {
  poolSize: { variable: 'DATABASE_POOL_SIZE', default: 10, min: 1 },
  statementTimeoutMs: { variable: 'DATABASE_STATEMENT_TIMEOUT_MS', default: 10000, min: 1 },
  connectTimeoutMs: { variable: 'DATABASE_CONNECT_TIMEOUT_MS', default: 5000, min: 1 },
} as const;
const MIN_SECRET_BYTES = 32;
/** Issuer and audience of the tokens the gateway mints for itself when no JWT setting is given. */
export const DEVELOPMENT_TOKEN_PARTY = 'meetings-gateway-development';

/**
 * Reads and validates every setting. This is the only reader of the environment: everything else
 * receives a Config. All problems are reported at once, each naming its variable.
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

function given(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function parseAuth(
  env: Env,
  production: boolean,
  officesClaim: string,
  problems: string[],
): AuthConfig | undefined {
  const secret = env.JWT_SECRET === undefined || env.JWT_SECRET === '' ? undefined : env.JWT_SECRET;
  const jwksUrl = given(env, 'JWT_JWKS_URL');
  const issuer = given(env, 'JWT_ISSUER');
  const audience = given(env, 'JWT_AUDIENCE');
  if (secret === undefined && jwksUrl === undefined) {
    if (production) {
      problems.push(
        'JWT_SECRET (HS256, at least 32 bytes) or JWT_JWKS_URL must be set in production, with JWT_ISSUER and JWT_AUDIENCE',
      );
      return undefined;
    }
    // A first run stays easy: a random secret for this process, and a token printed at start.
    return {
      keys: { kind: 'secret', secret: randomBytes(32), generated: true },
      issuer: issuer ?? DEVELOPMENT_TOKEN_PARTY,
      audience: audience ?? DEVELOPMENT_TOKEN_PARTY,
      officesClaim,
    };
  }
  if (secret !== undefined && jwksUrl !== undefined) {
    problems.push('JWT_SECRET and JWT_JWKS_URL: set one of them, not both');
  }
  if (secret !== undefined && Buffer.byteLength(secret, 'utf8') < MIN_SECRET_BYTES) {
    problems.push(`JWT_SECRET must be at least ${MIN_SECRET_BYTES} bytes long`);
  }
  let url: URL | undefined;
  if (jwksUrl !== undefined) {
    try {
      url = new URL(jwksUrl);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http');
    } catch {
      problems.push(`JWT_JWKS_URL must be an http(s) URL (got "${jwksUrl}")`);
    }
  }
  if (issuer === undefined) problems.push('JWT_ISSUER must be set with JWT_SECRET or JWT_JWKS_URL');
  if (audience === undefined)
    problems.push('JWT_AUDIENCE must be set with JWT_SECRET or JWT_JWKS_URL');
  if (issuer === undefined || audience === undefined) return undefined;
  const keys: AuthConfig['keys'] =
    secret !== undefined
      ? { kind: 'secret', secret: new TextEncoder().encode(secret), generated: false }
      : { kind: 'jwks', url: url ?? new URL('http://invalid') };
  return { keys, issuer, audience, officesClaim };
}

interface WholeNumberSetting {
  variable: string;
  default: number;
  min: number;
}

function parseWholeNumbers<K extends string>(
  env: Env,
  settings: Record<K, WholeNumberSetting>,
  problems: string[],
): Record<K, number> {
  const values = {} as Record<K, number>;
  for (const [key, setting] of Object.entries(settings) as [K, WholeNumberSetting][]) {
    const raw = given(env, setting.variable);
    const value = raw === undefined ? setting.default : Number(raw);
    if (
      raw !== undefined &&
      (!/^\d+$/.test(raw) || value < setting.min || !Number.isSafeInteger(value))
    ) {
      problems.push(
        `${setting.variable} must be a whole number of at least ${setting.min} (got "${raw}")`,
      );
    }
    values[key] = value;
  }
  return values;
}

function parseLimits(env: Env, problems: string[]): LimitsConfig {
  return parseWholeNumbers(env, LIMIT_SETTINGS, problems);
}

/** Origins as a browser sends them in `Origin`: compared as exact strings. */
function parseCorsOrigins(raw: string | undefined, problems: string[]): string[] {
  if (raw === undefined) return [];
  const origins = raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  for (const origin of origins) {
    let expected: string | undefined;
    try {
      const url = new URL(origin);
      if (url.protocol === 'http:' || url.protocol === 'https:') expected = url.origin;
    } catch {
      // Not a URL: reported below.
    }
    if (expected === origin) continue;
    problems.push(
      `CORS_ORIGINS must list origins as a browser sends them, scheme://host[:port] separated by commas (got "${origin}"${expected ? `; did you mean "${expected}"?` : ''})`,
    );
  }
  return origins;
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
