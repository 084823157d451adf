import type { ComplexityEstimator, ComplexityEstimatorArgs } from 'graphql-query-complexity';

type Args = ComplexityEstimatorArgs['args'];

/**
 * How many items a field returns, read from its (coerced) arguments. Null when the count is out of
 * the field's range: the field's own checks refuse it before any work, naming the argument, so
 * the cost estimate must not refuse it first.
 */
export type ItemCount = (args: Args) => number | null;

/** The `complexity` of a field that returns a page or a list whose length its arguments give. */
export interface ListCost extends ComplexityEstimator {
  readonly items: ItemCount;
}

/**
 * The cost of a field whose items `items` counts: a list field costs that many times what each
 * item costs; an object field (a page: its items, total, page info) costs 1, and each list it
 * holds that many items. See operation-cost.ts.
 */
export function listCost(items: ItemCount): ListCost {
  const estimator: ComplexityEstimator = ({ args, childComplexity }) =>
    (items(args) ?? 0) * childComplexity;
  return Object.assign(estimator, { items });
}

/** Whether a field's `complexity` extension counts its items. */
export function isListCost(complexity: unknown): complexity is ListCost {
  return (
    typeof complexity === 'function' &&
    typeof (complexity as Partial<ListCost>).items === 'function'
  );
}

/**
 * A page size: the first of the named integer arguments that is given, else the default; null
 * when it is outside 1..maxSize.
 */
export function sizeArg(
  names: readonly string[],
  limits: { readonly defaultSize: number; readonly maxSize: number },
): ItemCount {
  return (args) => {
    const given = names.map((name) => args[name]).find((v) => typeof v === 'number');
    const size = typeof given === 'number' ? given : limits.defaultSize;
    return inRange(size, 1, limits.maxSize);
  };
}

/** The length of a list argument (ids, rows); null when it is longer than `max`. */
export function lengthOf(name: string, max = Number.POSITIVE_INFINITY): ItemCount {
  return (args) => {
    const list = args[name];
    return inRange(Array.isArray(list) ? list.length : 1, 0, max);
  };
}

function inRange(count: number, min: number, max: number): number | null {
  return Number.isInteger(count) && count >= min && count <= max ? count : null;
}
