import { type GraphQLSchema, getIntrospectionQuery, parse } from 'graphql';
import { operationCost } from '../../src/limits/operation-cost';
import type { Services } from '../../src/context';
import { buildGatewaySchema } from '../../src/schema';
import {
  EVERY_ADDRESS_FIELD,
  EVERY_MEETING_FIELD,
  FULL_MEETING_COST,
} from '../support/full-meeting';

let schema: GraphQLSchema;
beforeAll(async () => {
  // The schema only: no resolver runs.
  schema = await buildGatewaySchema({} as Services);
});

const cost = (query: string, variables: Record<string, unknown> = {}, operationName?: string) =>
  operationCost(schema, parse(query), operationName, variables);

const ids = (n: number) =>
  Array.from({ length: n }, (_, i) => `7e57e57e-0000-4000-8000-${String(i).padStart(12, '0')}`);

const FULL_PAGE = `{ meetings(size: 100) { totalCount meetings { ${EVERY_MEETING_FIELD} } } } ${EVERY_ADDRESS_FIELD}`;
const PAGE_INFO = 'pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';
const connection = (page: string, selection: string) =>
  `{ meetingsConnection(${page}) { totalCount ${PAGE_INFO} ${selection} } } ${EVERY_ADDRESS_FIELD}`;
const EDGES = `edges { cursor node { ${EVERY_MEETING_FIELD} } }`;
const NODES = `nodes { ${EVERY_MEETING_FIELD} }`;

describe('operationCost', () => {
  it('counts objects, not scalars or enums', () => {
    expect(cost('{ meetings { totalCount } }')).toBe(1);
    expect(
      cost(
        '{ meeting(meetingId: "7e57e57e-0000-4000-8000-000000000001") { meetingId notes statusCode } }',
      ),
    ).toBe(1);
    expect(
      cost(
        '{ meeting(meetingId: "7e57e57e-0000-4000-8000-000000000001") { meetingRealty { area { value } } } }',
      ),
    ).toBe(3);
  });

  it('prices the largest page with every field at 1 + 100 x 8', () => {
    expect(cost(FULL_PAGE)).toBe(1 + 100 * FULL_MEETING_COST);
  });

  it('prices the largest connection page: each edge is an object around its node; nodes, page info and the connection are objects', () => {
    expect(cost(connection('first: 100', EDGES))).toBe(1 + 100 * (1 + FULL_MEETING_COST) + 1);
    expect(cost(connection('first: 100', NODES))).toBe(1 + 100 * FULL_MEETING_COST + 1);
    expect(cost(connection('last: 100', `${EDGES} ${NODES}`))).toBe(1702);
  });

  it('prices a page of the default size when none is given', () => {
    expect(cost('{ meetings { meetings { meetingId } } }')).toBe(1 + 50);
    expect(cost('{ meetingsConnection { nodes { meetingId } } }')).toBe(1 + 50);
    expect(cost('{ meetingsConnection(first: null) { nodes { meetingId } } }')).toBe(1 + 50);
  });

  it.each([0, 101, 100_000, -1, 2 ** 31 - 1])(
    'leaves the items of a page of size %i to the field, which refuses it: only the page object counts',
    (size) => {
      expect(
        cost(
          `{ meetings(size: ${size}) { meetings { ${EVERY_MEETING_FIELD} } } } ${EVERY_ADDRESS_FIELD}`,
        ),
      ).toBe(1);
      expect(cost(connection(`first: ${size}`, EDGES))).toBe(2);
      expect(cost(connection(`last: ${size}`, NODES))).toBe(2);
      expect(
        cost('query ($n: Int) { meetingTombstones(size: $n) { tombstones { meetingId } } }', {
          n: size,
        }),
      ).toBe(1);
    },
  );

  it('sums aliases: ten largest pages cost ten times one', () => {
    const aliased = Array.from(
      { length: 10 },
      (_, i) => `p${i}: meetings(size: 100) { meetings { ${EVERY_MEETING_FIELD} } }`,
    ).join(' ');
    expect(cost(`{ ${aliased} } ${EVERY_ADDRESS_FIELD}`)).toBe(10 * (1 + 100 * FULL_MEETING_COST));
  });

  it('prices id lists by their length, up to the 100 the field takes', () => {
    const byIds = `query ($ids: [UUID!]!) { meetingsByIds(meetingIds: $ids) { ${EVERY_MEETING_FIELD} } } ${EVERY_ADDRESS_FIELD}`;
    expect(cost(byIds, { ids: ids(100) })).toBe(100 * FULL_MEETING_COST);
    expect(cost(byIds, { ids: ids(3) })).toBe(3 * FULL_MEETING_COST);
    // A single value is a list of one (input coercion).
    expect(cost(byIds, { ids: ids(1)[0] })).toBe(FULL_MEETING_COST);
    expect(cost(byIds, { ids: ids(101) })).toBe(0);
    const nodes = `query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Meeting { ${EVERY_MEETING_FIELD} } } } ${EVERY_ADDRESS_FIELD}`;
    expect(cost(nodes, { ids: ids(100) })).toBe(100 * FULL_MEETING_COST);
  });

  it('merges fields as execution does: fragments that repeat a selection cost nothing more', () => {
    const plain =
      '{ meetings(size: 10) { meetings { meetingRealty { area { value } address { locality } } } } }';
    const repeated = `{ meetings(size: 10) { meetings { ...A ...B ...A meetingRealty { area { value } } } } }
      fragment A on Meeting { meetingRealty { area { areaUnitCode } } }
      fragment B on Meeting { meetingRealty { address { locality } } }`;
    expect(cost(plain)).toBe(1 + 10 * 4);
    expect(cost(repeated)).toBe(1 + 10 * 4);
  });

  it('applies @skip and @include', () => {
    const query = `query ($full: Boolean!) { meetings(size: 10) { meetings {
      address { locality } parties @include(if: $full) { partyName } agents @skip(if: $full) { agentId } } } }`;
    expect(cost(query, { full: true })).toBe(1 + 10 * 3);
    expect(cost(query, { full: false })).toBe(1 + 10 * 3);
    expect(cost(`{ meetings(size: 10) @skip(if: true) { totalCount } }`)).toBe(0);
  });

  it('prices an interface by the type selected', () => {
    expect(cost('{ node(id: "x") { id } }')).toBe(1);
    expect(
      cost('{ node(id: "x") { ... on Meeting { address { locality } meetingRealty { title } } } }'),
    ).toBe(3);
  });

  it("counts a list without a size (a meeting's parties) as one item", () => {
    expect(
      cost('{ meetings(size: 1) { meetings { parties { partyId } agents { agentId } } } }'),
    ).toBe(1 + 1 * 3);
  });

  it("keeps GraphiQL's introspection query cheap", () => {
    expect(
      cost(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true })),
    ).toBeLessThan(100);
  });

  it('walks fragments that spread fragments once per field of the text, not once per path', () => {
    // Twelve levels of four aliased fields each: 4^12 paths, a few hundred fields of text.
    const levels = 12;
    const fragments = Array.from({ length: levels }, (_, i) => {
      const next = i + 1 < levels ? `{ ...F${i + 1} }` : '{ name }';
      const fields = ['a', 'b', 'c', 'd'].map((alias) => `${alias}: ofType ${next}`).join(' ');
      return `fragment F${i} on __Type { ${fields} }`;
    }).join('\n');
    let expected = 0;
    for (let i = 0; i < levels; i++) expected = 4 * (1 + expected);
    expect(cost(`{ __type(name: "Meeting") { ...F0 } } ${fragments}`)).toBe(1 + expected);
  });

  it('is undefined for variables that do not coerce or an operation that is not there', () => {
    const query = 'query Page($size: Int) { meetings(size: $size) { meetings { meetingId } } }';
    expect(cost(query, { size: 'ten' })).toBeUndefined();
    expect(cost(query, { size: 10 }, 'Other')).toBeUndefined();
    expect(cost(query, { size: 10 }, 'Page')).toBe(11);
    expect(
      cost('query A { meetings { totalCount } } query B { meetings { totalCount } }'),
    ).toBeUndefined();
  });

  it('coerces only the variables a cost reads: another one is left to execution', () => {
    const query = `query ($size: Int, $id: UUID!) {
      meetings(size: $size) { meetings { meetingId } } meeting(meetingId: $id) { meetingId } }`;
    expect(cost(query, { size: 10, id: 'not a uuid' })).toBe(12);
  });
});
