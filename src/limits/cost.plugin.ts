import type { ApolloServerPlugin } from '@apollo/server';
import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth';

/** Costs kept per document: one per combination of the variables that change it. */
const COSTS_PER_DOCUMENT = 64;

/**
 * Refuses an operation whose cost is over `max` before it runs. A field costs 1; a list field that
 * says how many items it returns (`complexity` in the schema) costs that many times its children.
 */
export function costLimitPlugin(schema: GraphQLSchema, max: number): ApolloServerPlugin {
  const costOf = costCalculator(schema);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          const cost = costOf(document, request.operationName, request.variables ?? {});
          // Undefined: variables that are not of their type, which execution refuses as BAD_USER_INPUT.
          if (cost === undefined || cost <= max) return;
          throw new GraphQLError(`The query has cost ${cost}; at most ${max} is allowed`, {
            extensions: {
              code: 'GRAPHQL_VALIDATION_FAILED',
              limit: 'cost',
              max,
              actual: cost,
              http: { status: 400 },
            },
          });
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
  const estimators = [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })];
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
    const values = [operationName ?? null, ...known.names.map((n) => variables[n])];
    // A GET's variables come past the body reader's depth limit. Nested that deep, they are of no
    // input type of the schema, and JSON.stringify could overflow the stack on them: they are
    // costed (and refused) without a key.
    const key = nestsDeeperThan(values, MAX_JSON_DEPTH) ? undefined : JSON.stringify(values);
    const cached = key === undefined ? undefined : known.costs.get(key);
    if (cached !== undefined) return cached;
    let cost: number;
    try {
      cost = getComplexity({
        schema,
        query: document,
        operationName: operationName ?? undefined,
        variables,
        estimators,
      });
    } catch {
      return undefined;
    }
    if (key === undefined) return cost;
    if (known.costs.size >= COSTS_PER_DOCUMENT)
      known.costs.delete(known.costs.keys().next().value!);
    known.costs.set(key, cost);
    return cost;
  };
}

/** The variables a cost estimate reads, sorted: arguments of costed fields and of directives. */
function costVariables(schema: GraphQLSchema, document: DocumentNode): string[] {
  const names = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  const collect = (node: Parameters<typeof visit>[0]) =>
    visit(node, {
      Variable(variable) {
        names.add(variable.name.value);
      },
    });
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(field) {
        if (typeInfo.getFieldDef()?.extensions?.complexity !== undefined) {
          for (const arg of field.arguments ?? []) collect(arg);
        }
      },
      Directive(directive) {
        for (const arg of directive.arguments ?? []) collect(arg);
      },
    }),
  );
  return [...names].sort();
}
