import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';

/**
 * Refuses an operation whose cost is over `max` before it runs. A field costs 1; a list field that
 * says how many items it returns (`complexity` in the schema) costs that many times its children.
 */
export function costLimitPlugin(schema: GraphQLSchema, max: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          let cost: number;
          try {
            cost = getComplexity({
              schema,
              query: document,
              operationName: request.operationName ?? undefined,
              variables: request.variables ?? {},
              estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
            });
          } catch {
            // Variables that are not of their type: execution refuses them as BAD_USER_INPUT.
            return;
          }
          if (cost > max) {
            throw new GraphQLError(`The query has cost ${cost}; at most ${max} is allowed`, {
              extensions: {
                code: 'GRAPHQL_VALIDATION_FAILED',
                limit: 'cost',
                max,
                actual: cost,
                http: { status: 400 },
              },
            });
          }
        },
      };
    },
  };
}
