import { planAt } from '../../src/meetings/storage/meeting-search-index';

// A count reuses what its page found out about the words only where that decides the count's own
// page size (50): the bound of a size is sqrt(2 x meetings x size).
describe('the plan a word frequency gives at another page size', () => {
  const keys = 100_000; // bounds: 447 at size 1, 3,162 at size 50, 4,472 at size 100

  it('is the plan itself where nothing was counted (PostgreSQL, no words, no trigram)', () => {
    expect(planAt({ plan: 'index' }, 50)).toBe('index');
    expect(planAt({ plan: 'walk' }, 50)).toBe('walk');
  });

  it('decides from an exact count: fewer matches than the bound of the page that counted them', () => {
    expect(planAt({ plan: 'index', counted: { found: 300, bound: 447, keys } }, 50)).toBe('index');
    expect(planAt({ plan: 'index', counted: { found: 4000, bound: 4472, keys } }, 50)).toBe('walk');
  });

  it('is common at 50 when the bound reached was at least 50’s', () => {
    expect(planAt({ plan: 'walk', counted: { found: 4472, bound: 4472, keys } }, 50)).toBe('walk');
  });

  it('does not tell when a smaller bound was reached: the count looks for itself', () => {
    // 3,061 matches seen from a page of 1: 447 of them counted.
    expect(planAt({ plan: 'walk', counted: { found: 447, bound: 447, keys } }, 50)).toBeNull();
  });
});
