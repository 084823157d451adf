import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimit } from '../limits/rate-limit';
import { TokenBuckets } from '../limits/token-buckets';
import type { RedisConnection } from './redis-connection';

/**
 * The token bucket of TokenBuckets, run by Redis on its own clock, so that every instance spends
 * from one bucket per key. rate-limiter-flexible calls it with KEYS[1] the key and ARGV the points
 * to take, the key's longest life in seconds, the limiter's points (the burst) and its duration
 * (the seconds an empty bucket takes to fill); it answers {consumed, msBeforeNext}, and more
 * consumed than the burst is a refusal. The bucket is a hash (t: tokens, u: updated, in ms) that
 * expires once it would be full again, so idle callers cost no memory.
 */
export const TOKEN_BUCKET_SCRIPT = `
local take = tonumber(ARGV[1])
local burst = tonumber(ARGV[3])
local fill_ms = tonumber(ARGV[4]) * 1000
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + tonumber(clock[2]) / 1000
local saved = redis.call('HMGET', KEYS[1], 't', 'u')
local tokens = tonumber(saved[1]) or burst
local updated = tonumber(saved[2]) or now
if now > updated then tokens = math.min(burst, tokens + (now - updated) * burst / fill_ms) end
local granted = tokens >= take
if granted then tokens = tokens - take end
redis.call('HSET', KEYS[1], 't', string.format('%.17g', tokens), 'u', string.format('%.17g', now))
redis.call('PEXPIRE', KEYS[1], math.min(math.ceil((burst - tokens) * fill_ms / burst) + 1000, tonumber(ARGV[2]) * 1000 + 1000))
if granted then return {burst - math.floor(tokens), 0} end
return {burst + take, math.max(1, math.ceil((take - tokens) * fill_ms / burst / 1000)) * 1000}
`;

/**
 * A rate limit kept in Redis (rate-limiter-flexible's RateLimiterRedis with the token bucket above),
 * which falls back to this instance's own TokenBuckets while Redis is away and returns to Redis as
 * soon as it answers again. Answers as TokenBuckets does: 0, or the whole seconds to wait.
 */
export class RedisTokenBuckets implements RateLimit {
  private readonly limiter: RateLimiterRedis;
  private readonly memory: TokenBuckets;
  /** The key's longest life: an empty bucket is full again after it. */
  private readonly fillSeconds: number;

  constructor(
    private readonly redis: RedisConnection,
    /** Its part of the key: `<prefix>rate:<name>:<key>`. */
    name: string,
    readonly perSecond: number,
    readonly burst: number,
  ) {
    this.memory = new TokenBuckets(perSecond, burst);
    this.fillSeconds = Math.max(1, Math.ceil(burst / perSecond));
    this.limiter = new RateLimiterRedis({
      storeClient: redis.client,
      keyPrefix: `${redis.config.keyPrefix}rate:${name}`,
      points: burst,
      duration: burst / perSecond,
      customIncrTtlLuaScript: TOKEN_BUCKET_SCRIPT,
      // Not connected: fail at once (to the memory buckets), never queue.
      rejectIfRedisNotReady: true,
    });
  }

  async take(key: string): Promise<number> {
    if (this.redis.usable) {
      try {
        await this.limiter.consume(key, 1, { customDuration: this.fillSeconds });
        this.redis.succeeded();
        return 0;
      } catch (outcome) {
        if (outcome instanceof RateLimiterRes) {
          this.redis.succeeded();
          return Math.max(1, Math.ceil(outcome.msBeforeNext / 1000));
        }
        this.redis.failed(outcome);
      }
    }
    return this.memory.take(key);
  }
}
