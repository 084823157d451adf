import type { ComplexityEstimator, ComplexityEstimatorArgs } from 'graphql-query-complexity';

/**
 * The cost of a field that returns a list: 1, plus its number of items times what each item
 * selects. `count` reads the number of items from the field's arguments.
 */
export function listCost(
  count: (args: ComplexityEstimatorArgs['args']) => number,
): ComplexityEstimator {
  return ({ args, childComplexity }) => 1 + Math.max(1, count(args)) * childComplexity;
}

/** The first of the named integer arguments that is given, else `fallback` (a page size). */
export function sizeArg(names: readonly string[], fallback: number) {
  return (args: Record<string, unknown>): number => {
    const given = names.map((name) => args[name]).find((v) => typeof v === 'number');
    return typeof given === 'number' ? given : fallback;
  };
}

/** The length of a list argument (ids, rows). */
export function lengthOf(name: string) {
  return (args: Record<string, unknown>): number => {
    const list = args[name];
    return Array.isArray(list) ? list.length : 1;
  };
}
