import type { ApolloServerPlugin } from '@apollo/server';
import { currentScope } from '../request-context';
import { BoundedLabel, operationLabel } from './operation-label';
import type { Tracing } from './tracing';

/** Root fields a schema may have before new ones count as `other`: far more than it has. */
const MAX_OPERATIONS = 100;

/**
 * What the request's metrics and traces learn from Apollo: the operation (its root field) and the
 * error code it is answered with go to the request's scope; with traces on, graphql.parse,
 * graphql.validate and graphql.execute spans, the services' spans hanging under the execution.
 * Apollo skips parsing and validation of a query text it has in its document cache: those spans
 * are then absent.
 */
export function observabilityPlugin(tracing: Tracing | undefined): ApolloServerPlugin {
  const operations = new BoundedLabel(MAX_OPERATIONS);
  return {
    async requestDidStart() {
      return {
        async parsingDidStart() {
          const span = tracing?.startChild('graphql.parse');
          if (span) return async (error) => tracing!.finish(span, error);
        },
        async validationDidStart() {
          const span = tracing?.startChild('graphql.validate');
          if (span) return async (errors) => tracing!.finish(span, errors?.[0]);
        },
        async didResolveOperation({ operation, document }) {
          const scope = currentScope();
          if (scope && operation) {
            scope.operation = operations.of(operationLabel(operation, document));
          }
        },
        async executionDidStart({ operation }) {
          const span = tracing?.startChild(`graphql.execute`, {
            'graphql.operation.type': operation.operation,
            'meetings_gateway.operation': currentScope()?.operation ?? '',
          });
          if (!span) return;
          const leave = tracing!.enter(span);
          return {
            async executionDidEnd(error) {
              leave();
              tracing!.finish(span, error);
            },
          };
        },
        async willSendResponse({ response }) {
          const scope = currentScope();
          if (!scope || response.body.kind !== 'single') return;
          const code = response.body.singleResult.errors?.[0]?.extensions?.code;
          if (typeof code === 'string') scope.errorCode = code;
        },
      };
    },
  };
}
