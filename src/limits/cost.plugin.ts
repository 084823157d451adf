import type { ApolloServerPlugin } from '@apollo/server';
import { type DocumentNode, GraphQLError, type GraphQLSchema } from 'graphql';
import { costVariables, operationCost } from './operation-cost';

/** Costs kept per document: one per combination of the variables that change it. */
const COSTS_PER_DOCUMENT = 64;

/** What `extensions.cost` of a response holds. */
export interface CostExtension {
  requested: number;
  limit: number;
}

/**
 * Refuses an operation whose cost (operation-cost.ts) is over `max` before it runs, and puts the
 * cost into every answer of an operation that was costed: `extensions.cost` is
 * `{ requested, limit }`, whether the operation ran, failed or was refused for its cost. A document
 * that does not parse or validate, or a page size or id list in a variable that does not coerce,
 * is refused before a cost is known: its answer has none.
 */
export function costLimitPlugin(schema: GraphQLSchema, max: number): ApolloServerPlugin {
  const costOf = costCalculator(schema);
  return {
    async requestDidStart() {
      let requested: number | undefined;
      return {
        async didResolveOperation({ request, document }) {
          requested = costOf(document, request.operationName, request.variables ?? {});
          if (requested === undefined || requested <= max) return;
          throw new GraphQLError(`The query has cost ${requested}; at most ${max} is allowed`, {
            extensions: {
              code: 'GRAPHQL_VALIDATION_FAILED',
              limit: 'cost',
              max,
              actual: requested,
              http: { status: 400 },
            },
          });
        },
        async willSendResponse({ response }) {
          if (requested === undefined || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const cost: CostExtension = { requested, limit: max };
          result.extensions = { ...result.extensions, cost };
        },
      };
    },
  };
}

/**
 * The cost of an operation, remembered per parsed document (Apollo hands over the same document
 * object for the same query text) and per value of the variables that can change it: those given
 * to a field that has a cost of its own (a page size, a list of ids) or to a directive (@skip,
 * @include). A frontend sends a few queries with ever new ids, so the walk is done once per query.
 */
export function costCalculator(schema: GraphQLSchema) {
  const documents = new WeakMap<DocumentNode, { names: string[]; costs: Map<string, number> }>();
  return (
    document: DocumentNode,
    operationName: string | null | undefined,
    variables: Record<string, unknown>,
  ): number | undefined => {
    let known = documents.get(document);
    if (!known) {
      known = { names: costVariables(schema, document), costs: new Map() };
      documents.set(document, known);
    }
    const key = cacheKey([operationName ?? null, ...known.names.map((n) => variables[n])]);
    const cached = key === undefined ? undefined : known.costs.get(key);
    if (cached !== undefined) return cached;
    let cost: number | undefined;
    try {
      cost = operationCost(schema, document, operationName, variables, known.names);
    } catch {
      // An argument that does not coerce: execution refuses it as BAD_USER_INPUT.
      return undefined;
    }
    if (cost === undefined || key === undefined) return cost;
    if (known.costs.size >= COSTS_PER_DOCUMENT)
      known.costs.delete(known.costs.keys().next().value!);
    known.costs.set(key, cost);
    return cost;
  };
}

/**
 * The cache key of a cost. A GET's variables do not pass the body reader's depth limit: nested
 * thousands of levels deep (no input type of the schema is), JSON.stringify overflows the stack on
 * them, and such a request is costed (and refused) without a key.
 */
function cacheKey(values: unknown[]): string | undefined {
  try {
    return JSON.stringify(values);
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}
