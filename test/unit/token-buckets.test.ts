import { TokenBuckets } from '../../src/limits/token-buckets';

describe('TokenBuckets', () => {
  it('grants a burst of 40, then 20 a second, per key', () => {
    let now = 0;
    const buckets = new TokenBuckets(20, 40, () => now);
    for (let i = 0; i < 40; i++) expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBe(1);
    expect(buckets.take('b')).toBe(0);
    now += 50; // one token back
    expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBe(1);
    now += 1000;
    for (let i = 0; i < 20; i++) expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBe(1);
  });

  it('never holds more than the burst', () => {
    let now = 0;
    const buckets = new TokenBuckets(20, 40, () => now);
    buckets.take('a');
    now += 3_600_000;
    for (let i = 0; i < 40; i++) expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBeGreaterThan(0);
  });

  it('forgets idle callers once there are many', () => {
    let now = 0;
    const buckets = new TokenBuckets(20, 40, () => now);
    for (let i = 0; i < 10_001; i++) buckets.take(`caller-${i}`);
    now += 10_000;
    buckets.take('late');
    expect(buckets.size).toBeLessThan(10);
  });
});
