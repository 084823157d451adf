/**
 * How deep objects and lists may nest in a request body. The deepest input of the schema nests
 * a handful of levels; recursive code (JSON.stringify, graphql-js's coercion) overflows the stack
 * at a few thousand.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether objects and lists nest more than `max` levels deep in a parsed JSON value: a scalar is
 * 0 levels, `[]` and `{}` are 1, `[[1]]` is 2. Walks without recursion, so any depth is safe.
 */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [node, depth] = next;
    if (typeof node !== 'object' || node === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === 'object' && child !== null) pending.push([child, depth + 1]);
    }
  }
  return false;
}
