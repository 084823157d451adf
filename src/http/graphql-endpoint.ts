import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ApolloServer, HeaderMap } from '@apollo/server';
import type { Caller } from '../auth/caller';
import type { TokenVerifier } from '../auth/token-verifier';
import { AppError } from '../errors';
import type { RateLimit } from '../limits/rate-limit';
import { type Logger, loggableError } from '../logger';
import { currentScope, setDeadline } from '../request-context';
import { authenticate } from './authenticate';
import { methodRefusal, queryLengthRefusal, rateLimitRefusal } from './graphql-guards';
import { readJsonBody } from './json-body';
import { sendError, splitUrl } from './respond';

export interface GraphqlEndpointOptions<Context> {
  verifier: TokenVerifier;
  logger: Logger;
  /** Refused tokens, per client address. */
  refusals: RateLimit;
  /** Calls, per caller. */
  calls: RateLimit;
  operationTimeoutMs: number;
  maxBodyBytes: number;
  maxQueryLength: number;
  context: (caller: Caller) => Context;
}

/**
 * A GraphQL endpoint on node:http: method, bearer token, rate limit, deadline, JSON body and query
 * length are checked in that order, each refused in the contract's shape; then Apollo runs the
 * operation. No web framework sits on this path: it is every frontend request's path. `apollo` may
 * be a function that starts the server on first use.
 */
export function graphqlEndpoint<Context extends object>(
  apollo: ApolloServer<Context> | (() => Promise<ApolloServer<Context>>),
  options: GraphqlEndpointOptions<Context>,
): (req: IncomingMessage, res: ServerResponse) => void {
  const verify = authenticate(options.verifier, options.logger, options.refusals);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<AppError | undefined> {
    const refused = methodRefusal(req, res);
    if (refused) return refused;
    const caller = await verify(req, res);
    if (caller instanceof AppError) return caller;
    const scope = currentScope();
    if (scope) scope.caller = caller.subject;
    const limited = await rateLimitRefusal(options.calls, caller, res);
    if (limited) return limited;
    setDeadline(options.operationTimeoutMs);

    const { search } = splitUrl(req);
    let body: unknown;
    let query: unknown;
    if (req.method === 'POST') {
      body = await readJsonBody(req, options.maxBodyBytes);
      query = (body as { query?: unknown }).query;
    } else {
      query = new URLSearchParams(search).get('query') ?? undefined;
    }
    const tooLong = queryLengthRefusal(query, options.maxQueryLength);
    if (tooLong) return tooLong;

    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const server = typeof apollo === 'function' ? await apollo() : apollo;
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method!, headers, search, body },
      context: async () => options.context(caller),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.setHeader('Content-Length', Buffer.byteLength(response.body.string));
      res.end(response.body.string);
      return undefined;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
    return undefined;
  }

  return (req, res) => {
    handle(req, res).then(
      (refusal) => {
        if (refusal) sendError(res, refusal);
      },
      (error: unknown) => {
        if (error instanceof AppError) return sendError(res, error);
        options.logger.error({ err: loggableError(error) }, 'unexpected HTTP error');
        if (!res.headersSent) sendError(res, new AppError('TECHNICAL_ERROR'));
        else res.destroy();
      },
    );
  };
}
