import { GraphQLInt, GraphQLList, GraphQLObjectType, GraphQLSchema, parse } from 'graphql';
import { costCalculator } from '../../src/limits/cost.plugin';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../src/limits/json-depth';
import { listCost, sizeArg } from '../../src/limits/list-cost';

/** `value` inside `depth` lists, built without JSON.stringify (it overflows on the deepest). */
const nested = (depth: number, value: unknown = 1): unknown =>
  JSON.parse('['.repeat(depth) + JSON.stringify(value) + ']'.repeat(depth));

describe('nestsDeeperThan', () => {
  it.each([
    [1, 0],
    ['text', 0],
    [null, 0],
    [[], 1],
    [{}, 1],
    [[1, 'a', null], 1],
    [{ a: [1], b: {} }, 2],
    [[[], [[{}]]], 4],
    [{ a: 1, b: { c: { d: [] } } }, 4],
  ])('gives %j %i levels', (value, depth) => {
    expect(nestsDeeperThan(value, depth)).toBe(false);
    if (depth > 0) expect(nestsDeeperThan(value, depth - 1)).toBe(true);
  });

  it('walks a value nested 100,000 levels deep without overflowing the stack', () => {
    expect(nestsDeeperThan(nested(100_000), MAX_JSON_DEPTH)).toBe(true);
    expect(nestsDeeperThan(nested(100_000), 100_000)).toBe(false);
  });
});

describe('costCalculator', () => {
  // One field with a cost of its own: `size` items, each an object of 1.
  const item = new GraphQLObjectType({ name: 'Item', fields: { id: { type: GraphQLInt } } });
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: {
        items: {
          type: new GraphQLList(item),
          args: { size: { type: GraphQLInt } },
          extensions: {
            complexity: listCost(sizeArg(['size'], { defaultSize: 1, maxSize: 1000 })),
          },
        },
      },
    }),
  });
  const document = parse('query ($size: Int) { items(size: $size) { id } }');

  it('costs by the variables that change the cost', () => {
    const costOf = costCalculator(schema);
    expect(costOf(document, null, { size: 7 })).toBe(7);
    expect(costOf(document, null, { size: 9 })).toBe(9);
    expect(costOf(document, null, { size: 7 })).toBe(7);
  });

  it('answers undefined (not of its type) for a variable nested 5,000 levels deep', () => {
    const costOf = costCalculator(schema);
    expect(costOf(document, null, { size: nested(5000) })).toBeUndefined();
    expect(costOf(document, null, { size: nested(5000) })).toBeUndefined();
    expect(costOf(document, null, { size: 3 })).toBe(3);
  });
});
