/** REDIS_URL and its companions: the Redis server several gateway instances share state through. */
import { redactUrl } from './database-url';
import { type Env, given, parseWholeNumbers } from './setting-values';

/** A Redis server holding the rate limits and the APQ cache that instances share. */
export interface RedisConfig {
  /** redis://[[user]:password@]host[:port][/db] or rediss:// (TLS), as given. */
  url: string;
  /** The URL with its password hidden, for logs. */
  displayUrl: string;
  /** Put before every key, so that several gateways (or other programs) can share one Redis. */
  keyPrefix: string;
  /** A command not answered in this time counts as failed: the request goes on without Redis. */
  commandTimeoutMs: number;
  /** How long a connection attempt may take. */
  connectTimeoutMs: number;
}

export const REDIS_SETTINGS = {
  commandTimeoutMs: { variable: 'REDIS_COMMAND_TIMEOUT_MS', default: 500, min: 10 },
  connectTimeoutMs: { variable: 'REDIS_CONNECT_TIMEOUT_MS', default: 2000, min: 100 },
} as const;

export const DEFAULT_REDIS_KEY_PREFIX = 'meetings-gateway:';
const KEY_PREFIX = /^[A-Za-z0-9_.:{}-]{1,100}$/;
const FORM = 'redis://[[user]:password@]host[:port][/db] or rediss://…';

/** undefined when REDIS_URL is not set: each instance keeps its state in memory. */
export function parseRedis(env: Env, problems: string[]): RedisConfig | undefined {
  const raw = given(env, 'REDIS_URL');
  const keyPrefix = given(env, 'REDIS_KEY_PREFIX') ?? DEFAULT_REDIS_KEY_PREFIX;
  if (!KEY_PREFIX.test(keyPrefix)) {
    problems.push(
      `REDIS_KEY_PREFIX must be 1 to 100 letters, digits or _ . : { } - (got "${keyPrefix}")`,
    );
  }
  const settings = parseWholeNumbers(env, REDIS_SETTINGS, problems);
  if (raw === undefined) return undefined;
  const displayUrl = redactUrl(raw);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`REDIS_URL must have the form ${FORM} (got "${displayUrl}")`);
    return undefined;
  }
  const before = problems.length;
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    problems.push(`REDIS_URL must have the form ${FORM} (got "${displayUrl}")`);
  } else if (url.hostname === '') {
    problems.push(`REDIS_URL must name a host, as ${FORM} (got "${displayUrl}")`);
  } else if (!/^\/?\d{0,5}$/.test(url.pathname)) {
    problems.push(`REDIS_URL: the path must be a database number, as /0 (got "${displayUrl}")`);
  } else if (url.search !== '' || url.hash !== '') {
    problems.push(`REDIS_URL takes no parameters (got "${displayUrl}")`);
  }
  if (problems.length > before) return undefined;
  return { url: raw, displayUrl, keyPrefix, ...settings };
}
