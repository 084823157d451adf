import { randomUUID } from 'node:crypto';
import {
  type ExecutionArgs,
  type ExecutionResult,
  GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  createSourceEventStream,
  execute,
} from 'graphql';
import { CloseCode, type Context as WsContext, makeServer } from 'graphql-ws';
import type { WebSocket } from 'ws';
import type { Caller } from '../auth/caller';
import { KeySetUnavailable, TokenRejected, type TokenVerifier } from '../auth/token-verifier';
import type { LimitsConfig } from '../config/limit-settings';
import type { LiveConfig } from '../config/live-settings';
import { AppError } from '../errors';
import type { RateLimit } from '../limits/rate-limit';
import type { Logger } from '../logger';
import { runInRequestScope } from '../request-context';
import { SubscribeGuards } from './subscribe-guards';

export interface LiveProtocolOptions<C extends object> {
  schema: GraphQLSchema;
  verifier: TokenVerifier;
  /** The time tokens are checked against (their expiry closes the connection). */
  tokenClock: () => Date;
  logger: Logger;
  /** Refused tokens, per client address: shared with the HTTP side. */
  refusals: RateLimit;
  /** Subscribe messages count as calls of their caller, as HTTP requests do. */
  calls: RateLimit;
  limits: LimitsConfig;
  live: LiveConfig;
  introspection: boolean;
  /** A context for an operation, and a fresh one for each event it delivers. */
  context: (caller: Caller, requestId: string) => C;
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
}

/** What the protocol knows of one connection. */
export interface LiveConnection {
  readonly socket: WebSocket;
  readonly address: string;
  caller?: Caller;
  expiry?: NodeJS.Timeout;
  /** The request id of each running operation, by its id. */
  readonly operations: Map<string, string>;
  /** The event streams of its subscriptions, each ended when the socket closes. */
  readonly sources: Set<AsyncIterator<unknown>>;
}

// setTimeout's longest delay: a token valid for longer is looked at again then.
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * The graphql-transport-ws protocol (graphql-ws's server) as the gateway speaks it: the token comes
 * in connection_init's payload as { "Authorization": "Bearer ..." }, a refused one closes the
 * socket with 4403, and so does the token's expiry while the socket is open. Each subscribe passes
 * the HTTP side's limits and rate limit first (subscribe-guards.ts), only subscriptions run, and
 * each event runs with a context of its own (fresh loaders: what it reads is current). Errors take
 * the contract's shape, with the operation's request id.
 */
export class LiveProtocol<C extends object> {
  readonly server: ReturnType<typeof makeServer<Record<string, unknown>, LiveConnection>>;
  private readonly guards: SubscribeGuards;
  /** Each accepted subscription's request id, connection and operation id, by its context. */
  private readonly accepted = new WeakMap<
    object,
    {
      requestId: string;
      connection: LiveConnection;
      id: string;
      ctx: WsContext<Record<string, unknown>, LiveConnection>;
    }
  >();
  /**
   * The request id of each subscribe message, by its payload: graphql-ws hands the same object to
   * every hook of the operation, so the hooks of an operation that ends tell it from a later one
   * with the same id (a client may complete an id and subscribe with it again at once).
   */
  private readonly requestIdOf = new WeakMap<object, string>();
  /**
   * The request ids of the subscriptions running now: counted once their source stream is set up,
   * so that a subscription without a cursor counts once whatever commits next reaches it.
   */
  private readonly active = new Set<string>();
  private readonly countWatchers = new Set<() => void>();

  constructor(private readonly options: LiveProtocolOptions<C>) {
    this.guards = new SubscribeGuards(options.schema, options.limits, options.introspection);
    this.server = makeServer<Record<string, unknown>, LiveConnection>({
      schema: options.schema,
      onConnect: (ctx) => this.connect(ctx),
      onSubscribe: (ctx, id, payload) => this.subscribe(ctx, id, payload),
      subscribe: (args) => this.run(args),
      // graphql-ws's own ExecutionResult type; graphql's may be widened by other packages' typings.
      onNext: (ctx, id, payload, _args, result) =>
        this.formatResult(ctx.extra, id, payload, result as ExecutionResult),
      onError: (ctx, id, payload, errors) => this.formatErrors(ctx.extra, id, payload, errors),
      onComplete: (ctx, id, payload) => this.ended(ctx.extra, id, payload),
    });
  }

  /** Running subscriptions now. */
  get subscriptionCount(): number {
    return this.active.size;
  }

  /** Resolves once exactly `count` subscriptions run (at once if they do now). */
  running(count: number): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.active.size !== count) return;
        this.countWatchers.delete(check);
        resolve();
      };
      this.countWatchers.add(check);
      check();
    });
  }

  /** A closed connection's subscriptions no longer run, and its expiry timer is off. */
  closed(connection: LiveConnection): void {
    if (connection.expiry) clearTimeout(connection.expiry);
    for (const requestId of connection.operations.values()) this.active.delete(requestId);
    // A subscription still being set up does not start counting (see run).
    connection.operations.clear();
    // graphql-ws ends the streams it still holds; one it lost track of (an id completed and used
    // again at once) is ended here, so that it stops following the feed.
    for (const source of connection.sources) source.return?.().catch(() => undefined);
    connection.sources.clear();
    this.counted();
  }

  private counted(): void {
    for (const check of [...this.countWatchers]) check();
  }

  private async connect(ctx: WsContext<Record<string, unknown>, LiveConnection>): Promise<boolean> {
    const connection = ctx.extra;
    const { logger, verifier, tokenClock } = this.options;
    let verified;
    try {
      verified = await verifier.verifySession(authorizationOf(ctx.connectionParams));
    } catch (error) {
      if (error instanceof KeySetUnavailable) {
        logger.warn({ reason: error.message }, 'token keys unavailable');
        connection.socket.close(CloseCode.InternalServerError, 'Tokens cannot be checked now');
        return false;
      }
      if (!(error instanceof TokenRejected)) throw error;
      logger.info({ reason: error.message }, 'bearer token refused on WebSocket');
      // Guessing tokens costs the address here as on HTTP; the socket closes either way.
      await this.options.refusals.take(`address:${connection.address}`);
      return false;
    }
    const left = verified.expiresAt.getTime() - tokenClock().getTime();
    if (left <= 0) return false;
    connection.caller = verified.caller;
    const closeAtExpiry = () => {
      const remaining = verified.expiresAt.getTime() - tokenClock().getTime();
      if (remaining > 0) {
        connection.expiry = setTimeout(closeAtExpiry, Math.min(remaining, LONGEST_TIMER_MS));
        return;
      }
      logger.info({ caller: verified.caller.subject }, 'token expired: WebSocket closed');
      connection.socket.close(CloseCode.Forbidden, 'Forbidden: the token has expired');
    };
    connection.expiry = setTimeout(closeAtExpiry, Math.min(left, LONGEST_TIMER_MS));
    return true;
  }

  private async subscribe(
    ctx: WsContext<Record<string, unknown>, LiveConnection>,
    id: string,
    payload: {
      query: string;
      operationName?: string | null;
      variables?: Record<string, unknown> | null;
    },
  ): Promise<ExecutionArgs | readonly GraphQLError[]> {
    const connection = ctx.extra;
    const caller = connection.caller!;
    const requestId = randomUUID();
    connection.operations.set(id, requestId);
    this.requestIdOf.set(payload, requestId);
    const { live, calls } = this.options;
    // ctx.subscriptions holds this one already.
    if (Object.keys(ctx.subscriptions).length > live.maxSubscriptionsPerConnection) {
      return [
        domainError(
          new AppError(
            'TOO_MANY_REQUESTS',
            `At most ${live.maxSubscriptionsPerConnection} subscriptions at once on a connection; complete one first`,
          ),
        ),
      ];
    }
    const wait = await calls.take(caller.subject);
    if (wait > 0) {
      return [
        domainError(
          new AppError(
            'TOO_MANY_REQUESTS',
            `At most ${calls.perSecond} requests a second (bursts of ${calls.burst}); retry in ${wait} s`,
          ),
        ),
      ];
    }
    const checked = this.guards.check({
      query: payload.query,
      operationName: payload.operationName,
      variables: payload.variables,
    });
    if (!('kind' in checked)) return checked;
    const contextValue = this.options.context(caller, requestId);
    this.accepted.set(contextValue, { requestId, connection, id, ctx });
    this.options.logger.info(
      { requestId, caller: caller.subject, operation: payload.operationName ?? undefined },
      'subscription started',
    );
    return {
      schema: this.options.schema,
      document: checked,
      operationName: payload.operationName,
      variableValues: payload.variables,
      contextValue,
    };
  }

  /** Runs a subscription: each event is executed with a fresh context of the same caller. */
  private async run(
    args: ExecutionArgs,
  ): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    const accepted = this.accepted.get(args.contextValue as object);
    const requestId = accepted?.requestId ?? randomUUID();
    const source = await runInRequestScope({ requestId }, () => createSourceEventStream(args));
    if (!(Symbol.asyncIterator in source)) return source;
    const caller = (args.contextValue as { caller: Caller }).caller;
    const events = mapEvents(
      source[Symbol.asyncIterator](),
      (event) =>
        runInRequestScope({ requestId, caller: caller.subject }, () =>
          execute({
            ...args,
            rootValue: event,
            contextValue: this.options.context(caller, requestId),
          }),
        ),
      () => accepted?.connection.sources.delete(events),
    );
    // Running, unless completed (graphql-ws then returns it) or closed while it was set up.
    if (
      accepted &&
      accepted.connection.operations.get(accepted.id) === requestId &&
      accepted.id in accepted.ctx.subscriptions
    ) {
      accepted.connection.sources.add(events);
      this.active.add(requestId);
      this.counted();
    }
    return events;
  }

  private formatResult(
    connection: LiveConnection,
    id: string,
    payload: object,
    result: ExecutionResult,
  ): ExecutionResult | undefined {
    if (!result.errors) return undefined;
    return {
      ...result,
      errors: this.formatErrors(
        connection,
        id,
        payload,
        result.errors,
      ) as unknown as GraphQLError[],
    };
  }

  private formatErrors(
    connection: LiveConnection,
    id: string,
    payload: object,
    errors: readonly GraphQLError[],
  ): GraphQLFormattedError[] {
    const requestId = this.requestIdOf.get(payload) ?? randomUUID();
    // A refused subscribe ends here (it never completes); a running one ends in `ended`.
    if (!this.active.has(requestId) && connection.operations.get(id) === requestId) {
      connection.operations.delete(id);
    }
    return runInRequestScope({ requestId }, () =>
      errors.map((error) => this.options.formatError(error.toJSON(), error)),
    );
  }

  private ended(connection: LiveConnection, id: string, payload: object): void {
    const requestId = this.requestIdOf.get(payload);
    if (requestId === undefined) return;
    // The id may be another operation's already (completed and subscribed again).
    if (connection.operations.get(id) === requestId) connection.operations.delete(id);
    if (this.active.delete(requestId)) this.counted();
  }
}

/** connection_init's Authorization, whatever the case of its key. */
function authorizationOf(params: Record<string, unknown> | undefined): string | undefined {
  if (!params) return undefined;
  for (const [key, value] of Object.entries(params)) {
    if (key.toLowerCase() === 'authorization' && typeof value === 'string') return value;
  }
  return undefined;
}

/** A domain error as graphql-ws sends it: formatted by the error formatter like any other. */
function domainError(error: AppError): GraphQLError {
  return new GraphQLError(error.message, { originalError: error });
}

/**
 * Each event of `source` mapped by `fn`; returning the result returns the source at once, and
 * `ended` is called once it is done either way.
 */
function mapEvents<T, U>(
  source: AsyncIterator<T>,
  fn: (event: T) => U | Promise<U>,
  ended: () => void,
): AsyncIterableIterator<U> {
  return {
    async next() {
      const result = await source.next();
      if (result.done) ended();
      return result.done ? result : { done: false, value: await fn(result.value) };
    },
    async return() {
      ended();
      await source.return?.();
      return { done: true, value: undefined };
    },
    async throw(error: unknown) {
      ended();
      await source.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
