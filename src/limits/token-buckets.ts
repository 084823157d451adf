import type { RateLimit } from './rate-limit';

/**
 * Per-key token buckets: each key may spend `burst` requests at once and earns `perSecond` back each
 * second. Buckets that have refilled are dropped, so idle callers cost no memory.
 */
export class TokenBuckets implements RateLimit {
  private readonly buckets = new Map<string, { tokens: number; updated: number }>();

  constructor(
    readonly perSecond: number,
    readonly burst: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Takes one token for `key`: 0 when granted, else the seconds to wait before one is earned. */
  take(key: string): number {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, updated: now };
    bucket.tokens = Math.min(
      this.burst,
      bucket.tokens + ((now - bucket.updated) / 1000) * this.perSecond,
    );
    bucket.updated = now;
    this.buckets.set(key, bucket);
    if (this.buckets.size > 10_000) this.sweep(now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond));
  }

  get size(): number {
    return this.buckets.size;
  }

  private sweep(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.updated) / 1000) * this.perSecond >= this.burst)
        this.buckets.delete(key);
    }
  }
}
