import type { PersistedQueryOptions } from '@apollo/server';
import type { RedisConfig } from '../config/redis-url';
import type { LimitsConfig } from '../config/limit-settings';
import type { RateLimit } from '../limits/rate-limit';
import { TokenBuckets } from '../limits/token-buckets';
import type { Logger } from '../logger';
import type * as RedisApqCacheModule from './redis-apq-cache';
import type * as RedisConnectionModule from './redis-connection';
import type * as RedisRateLimitModule from './redis-rate-limit';

/** How long a persisted query is kept in Redis after it was last registered. */
export const APQ_TTL_SECONDS = 24 * 3600;

/**
 * What instances share: the per-caller and per-address rate limits and the APQ cache. In Redis when
 * REDIS_URL is set (each falling back to this instance's memory while Redis is away), else in this
 * instance's memory.
 */
export interface SharedState {
  /** A rate limit of the settings' size; `name` keeps its keys apart from the others'. */
  rateLimit(name: 'calls' | 'refusals'): RateLimit;
  /** Apollo's persistedQueries option: undefined for Apollo's own in-memory cache. */
  readonly persistedQueries: PersistedQueryOptions | undefined;
  close(): Promise<void>;
}

/** Connects to Redis (waiting at most its connect timeout; a Redis away is not fatal). */
export async function openSharedState(
  redis: RedisConfig | undefined,
  limits: LimitsConfig,
  logger: Logger,
): Promise<SharedState> {
  const { rateLimitPerSecond: perSecond, rateLimitBurst: burst } = limits;
  if (!redis) {
    return {
      rateLimit: () => new TokenBuckets(perSecond, burst),
      persistedQueries: undefined,
      close: async () => undefined,
    };
  }
  // Loaded only with Redis: ioredis and the rate limiter take a tenth of the gateway's start.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { RedisConnection } = require('./redis-connection') as typeof RedisConnectionModule;
  const { RedisApqCache } = require('./redis-apq-cache') as typeof RedisApqCacheModule;
  const { RedisTokenBuckets } = require('./redis-rate-limit') as typeof RedisRateLimitModule;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const connection = new RedisConnection(redis, logger);
  await connection.connect();
  return {
    rateLimit: (name) => new RedisTokenBuckets(connection, name, perSecond, burst),
    persistedQueries: {
      cache: new RedisApqCache(connection, APQ_TTL_SECONDS),
      ttl: APQ_TTL_SECONDS,
    },
    close: () => connection.close(),
  };
}
