/** What the endpoints ask of a rate limit, wherever its buckets are kept (memory or Redis). */
export interface RateLimit {
  /** Tokens earned back each second. */
  readonly perSecond: number;
  /** Tokens a key may spend at once. */
  readonly burst: number;
  /** Takes one token for `key`: 0 when granted, else the seconds to wait before one is earned. */
  take(key: string): number | Promise<number>;
}
