import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  NoSchemaIntrospectionCustomRule,
  type ValidationRule,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
} from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import type { LimitsConfig } from '../config/limit-settings';
import { queryLengthRefusal } from '../http/graphql-guards';
import { costCalculator } from '../limits/cost.plugin';
import { maxAliasesRule, maxDepthRule, maxDirectivesRule } from '../limits/validation-rules';

/**
 * The checks a subscribe message passes before it runs: the HTTP request's limits (query length,
 * tokens, depth, aliases, directives, cost), applied here because neither Apollo's plugins nor its
 * validation rules see the WebSocket side. Each refusal is a GraphQLError with the code the HTTP
 * side answers the same operation with.
 */
export class SubscribeGuards {
  private readonly rules: ValidationRule[];
  private readonly hideSchema: boolean;
  private readonly costOf: ReturnType<typeof costCalculator>;
  /** Parsed and validated documents by query text: a client subscribes with the same few. */
  private readonly documents = new Map<string, DocumentNode | readonly GraphQLError[]>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly limits: LimitsConfig,
    introspection: boolean,
  ) {
    // As on HTTP: without introspection, no "did you mean" hints that would reveal the schema.
    this.hideSchema = !introspection;
    this.rules = [
      ...specifiedRules,
      maxDepthRule(limits.maxDepth),
      maxAliasesRule(limits.maxAliases),
      maxDirectivesRule(limits.maxDirectives),
      ...(introspection ? [] : [NoSchemaIntrospectionCustomRule]),
    ];
    this.costOf = costCalculator(schema);
  }

  /** The document to subscribe with, or why it is refused. */
  check(payload: SubscribePayload): DocumentNode | readonly GraphQLError[] {
    const { query } = payload;
    const tooLong = queryLengthRefusal(query, this.limits.maxQueryLength);
    if (tooLong) return [new GraphQLError(tooLong.message, { originalError: tooLong })];
    if (typeof query !== 'string') {
      return [requestError('The subscribe message has no query text', 'BAD_REQUEST')];
    }
    const document = this.document(query);
    if (!('kind' in document)) return document;
    const operation = getOperationAST(document, payload.operationName);
    if (!operation) {
      return [
        requestError(
          payload.operationName
            ? `No operation named "${payload.operationName}" in the document`
            : 'The document holds several operations: name the one to run (operationName)',
          'OPERATION_RESOLUTION_FAILURE',
        ),
      ];
    }
    if (operation.operation !== 'subscription') {
      return [
        requestError(
          `Only subscriptions are served over WebSocket; send a ${operation.operation} as an HTTP POST to /graphql`,
          'BAD_REQUEST',
        ),
      ];
    }
    const cost = this.costOf(document, payload.operationName, payload.variables ?? {});
    if (cost !== undefined && cost > this.limits.maxCost) {
      return [
        new GraphQLError(`The query has cost ${cost}; at most ${this.limits.maxCost} is allowed`, {
          extensions: {
            code: 'GRAPHQL_VALIDATION_FAILED',
            limit: 'cost',
            max: this.limits.maxCost,
            actual: cost,
          },
        }),
      ];
    }
    return document;
  }

  private document(query: string): DocumentNode | readonly GraphQLError[] {
    const known = this.documents.get(query);
    if (known) return known;
    let result: DocumentNode | readonly GraphQLError[];
    try {
      const document = parse(query, { maxTokens: this.limits.maxTokens });
      const errors = validate(this.schema, document, this.rules);
      result =
        errors.length === 0
          ? document
          : errors.map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED', this.hideSchema));
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      result = [withCode(error, 'GRAPHQL_PARSE_FAILED')];
    }
    if (this.documents.size >= DOCUMENTS_KEPT) this.documents.clear();
    this.documents.set(query, result);
    return result;
  }
}

const DOCUMENTS_KEPT = 500;

function requestError(message: string, code: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

function withCode(error: GraphQLError, code: string, hideSchema = false): GraphQLError {
  const message = hideSchema ? error.message.replace(/ Did you mean .*\?$/, '') : error.message;
  return new GraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: { ...error.extensions, code },
  });
}
