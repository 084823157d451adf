import { fitDeletes } from '../../bench/options';

// Each delete of the bench takes a waiting meeting of its own, on every server's copy of the data.
describe('the bench fits its deletes to the waiting meetings there are', () => {
  const asked = { warm: 200, load: 1500, latency: 300 };

  it('keeps the phases as asked when every repeat has its own meetings', () => {
    expect(fitDeletes(asked, 3, 6000)).toBe(asked);
  });

  it('shrinks each phase in proportion when the repeats would run out', () => {
    // 2,453 waiting meetings in the office caller's offices at 100,000 meetings, 3 repeats.
    const fitted = fitDeletes(asked, 3, 2453);
    expect(fitted).toEqual({ warm: 81, load: 612, latency: 122 });
    expect(3 * (fitted.warm + fitted.load + fitted.latency)).toBeLessThanOrEqual(2453);
  });

  it('measures the latency on 20 deletes at the fewest', () => {
    expect(fitDeletes(asked, 3, 402).latency).toBe(20);
  });

  it('refuses a data set too small to measure deletes on, naming what it needs', () => {
    expect(() => fitDeletes(asked, 3, 401)).toThrow(
      '401 waiting meetings to delete, 3 repeats: too few to measure deletes (at least 402 needed)',
    );
  });
});
