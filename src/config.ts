import { type AuthConfig, parseAuth } from './config/auth-settings';
import { parseCorsOrigins } from './config/cors-origins';
import { type DatabaseConfig, parseDatabaseUrl, redactUrl } from './config/database-url';
import { type LimitsConfig, parseLimits } from './config/limit-settings';
import { type LiveConfig, parseLive } from './config/live-settings';
import { type RedisConfig, parseRedis } from './config/redis-url';
import { type ObservabilityConfig, parseObservability } from './config/observability-settings';
import { type Env, given, parseBoolean, parsePort } from './config/setting-values';
import { LOG_LEVELS, type LogLevel } from './logger';

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
  /** Subscriptions over WebSocket on /graphql: connection and subscription limits, keep-alive. */
  live: LiveConfig;
  /**
   * Browser origins (scheme://host[:port]) allowed to call the GraphQL endpoints; outside production
   * any port of localhost, 127.0.0.1 and [::1] is allowed as well.
   */
  corsOrigins: readonly string[];
  /** REDIS_URL: the rate limits and APQ cache shared by instances; unset, each keeps its own. */
  redis?: RedisConfig;
  /** Metrics (GET /metrics on a listener of its own) and traces (OTLP); none when absent. */
  observability?: ObservabilityConfig;
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
  const live = parseLive(env, problems);
  const corsOrigins = parseCorsOrigins(given(env, 'CORS_ORIGINS'), problems);
  const redis = parseRedis(env, problems);
  const observability = parseObservability(env, problems);

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
    live,
    corsOrigins,
    redis,
    observability,
  };
}
