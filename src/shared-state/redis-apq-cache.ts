import type { PersistedQueryOptions } from '@apollo/server';
import type { RedisConnection } from './redis-connection';

/** Apollo's KeyValueCache<string>, as its persisted queries take it. */
type KeyValueCache = NonNullable<PersistedQueryOptions['cache']>;
type SetOptions = Parameters<KeyValueCache['set']>[2];

/**
 * Apollo's KeyValueCache on the shared Redis, for automatic persisted queries: a query registered
 * through one instance is found by every other. Redis away or failing reads as a miss (the client
 * is answered PERSISTED_QUERY_NOT_FOUND and sends the query again) and a write is dropped: the
 * cache never fails or delays a request beyond the command timeout.
 */
export class RedisApqCache implements KeyValueCache {
  constructor(
    private readonly redis: RedisConnection,
    /** Seconds an entry is kept when Apollo gives no TTL. */
    private readonly defaultTtlSeconds: number,
  ) {}

  private key(key: string): string {
    return `${this.redis.config.keyPrefix}${key}`;
  }

  async get(key: string): Promise<string | undefined> {
    if (!this.redis.usable) return undefined;
    try {
      const value = await this.redis.client.get(this.key(key));
      this.redis.succeeded();
      return value ?? undefined;
    } catch (error) {
      this.redis.failed(error);
      return undefined;
    }
  }

  async set(key: string, value: string, options?: SetOptions): Promise<void> {
    if (!this.redis.usable) return;
    const ttl = options?.ttl === undefined ? this.defaultTtlSeconds : options.ttl;
    try {
      if (ttl === null || ttl <= 0) await this.redis.client.set(this.key(key), value);
      else await this.redis.client.set(this.key(key), value, 'EX', Math.ceil(ttl));
      this.redis.succeeded();
    } catch (error) {
      this.redis.failed(error);
    }
  }

  async delete(key: string): Promise<boolean> {
    if (!this.redis.usable) return false;
    try {
      const deleted = await this.redis.client.del(this.key(key));
      this.redis.succeeded();
      return deleted > 0;
    } catch (error) {
      this.redis.failed(error);
      return false;
    }
  }
}
