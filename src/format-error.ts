import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { AppError, ERROR_CODES, type ErrorCode, type ErrorItem } from './errors';
import { type Logger, loggableError } from './logger';
import { currentRequestId } from './request-context';

/** The extensions of a domain error: the REST error body, and the request id. */
export interface DomainErrorExtensions {
  code: ErrorCode;
  status: number;
  description: string;
  errors: ErrorItem[];
  requestId: string | undefined;
}

/** Codes that GraphQL and Apollo raise before any resolver runs: they reach the client as they are. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

// graphql-js stops coercing variables after 50 errors and adds this one of its own, with no code.
const VARIABLES_CUT_OFF =
  'Too many errors processing variables, error limit reached. Execution aborted.';

export function domainExtensions(
  error: AppError,
  requestId = currentRequestId(),
): DomainErrorExtensions {
  return {
    code: error.code,
    status: error.status,
    description: error.description,
    errors: error.items.map(({ target, errorCode, message }) => ({ target, errorCode, message })),
    requestId,
  };
}

/** A whole response body for an error raised outside GraphQL (HTTP layer): the same shape. */
export function errorResponseBody(
  error: AppError,
  requestId: string,
): { errors: GraphQLFormattedError[] } {
  return {
    errors: [{ message: error.message, extensions: { ...domainExtensions(error, requestId) } }],
  };
}

/**
 * Apollo's formatError: domain errors carry the REST body in their extensions, GraphQL's own request
 * errors keep their codes, and anything else is logged under the request id and answered as
 * TECHNICAL_ERROR with a fixed message: no stack, SQL or path reaches the client.
 */
export function createErrorFormatter(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = innermost(error);
    const requestId = currentRequestId();
    const place = { locations: formatted.locations, path: formatted.path };
    if (original instanceof AppError) {
      if (original.code === 'TECHNICAL_ERROR' || original.code === 'SERVICE_UNAVAILABLE') {
        log.error({ err: loggableError(original), path: formatted.path }, original.message);
      }
      return {
        message: original.message,
        ...place,
        extensions: { ...domainExtensions(original, requestId) },
      };
    }
    // Apollo gives an error without a code INTERNAL_SERVER_ERROR by the time it gets here.
    const code = isVariablesCutOff(original) ? 'BAD_USER_INPUT' : formatted.extensions?.code;
    if (typeof code === 'string' && REQUEST_ERROR_CODES.has(code)) {
      const message =
        code === 'BAD_USER_INPUT'
          ? withoutEchoedValue(formatted.message, original)
          : formatted.message;
      return { message, ...place, extensions: { code, requestId } };
    }
    if (isApolloRequestError(original)) {
      // Apollo's own refusals of a request (an APQ hash that does not match its query) carry
      // only an HTTP status.
      return {
        message: formatted.message,
        ...place,
        extensions: { code: 'BAD_REQUEST', requestId },
      };
    }
    log.error({ err: loggableError(original), path: formatted.path }, 'unexpected error');
    const technical = new AppError('TECHNICAL_ERROR', ERROR_CODES.TECHNICAL_ERROR.message);
    return {
      message: technical.message,
      ...place,
      extensions: { ...domainExtensions(technical, requestId) },
    };
  };
}

/** A GraphQLError of the request pipeline (no resolver behind it) with a 4xx HTTP status. */
function isApolloRequestError(error: unknown): boolean {
  if (!(error instanceof GraphQLError) || error.originalError) return false;
  const status = (error.extensions.http as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** The error graphql-js adds to its first 50 errors about variables: of the same kind as they. */
function isVariablesCutOff(error: unknown): boolean {
  return (
    error instanceof GraphQLError && !error.originalError && error.message === VARIABLES_CUT_OFF
  );
}

/** The error a resolver threw, under the GraphQLErrors that wrap it. */
function innermost(error: unknown): unknown {
  let current = error;
  while (current instanceof GraphQLError && current.originalError) current = current.originalError;
  return current;
}

/**
 * graphql-js repeats a whole invalid variable in its message, door codes and all. The message keeps
 * where and why, not the value; a reason about a doorCode loses the value it quotes too.
 */
function withoutEchoedValue(message: string, original: unknown): string {
  const head = /^Variable "(\$[^"]+)" got invalid value /.exec(message);
  if (!head) return message;
  const reason =
    original instanceof Error && message.endsWith(`; ${original.message}`)
      ? original.message
      : undefined;
  if (reason === undefined) return `Variable "${head[1]}" got an invalid value`;
  const rest = message.slice(0, message.length - reason.length - 2);
  const at = / at "([^"]*)"$/.exec(rest)?.[1];
  const why = at !== undefined && /doorCode/.test(at) ? reason.replace(/:[^:]*$/, '') : reason;
  return `Variable "${head[1]}" got an invalid value${at !== undefined ? ` at "${at}"` : ''}; ${why}`;
}
