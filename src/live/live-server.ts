import { randomUUID } from 'node:crypto';
import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  type ExecutionArgs,
  type ExecutionResult,
  GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  createSourceEventStream,
  execute,
} from 'graphql';
import { CloseCode, type Context as WsContext, handleProtocols, makeServer } from 'graphql-ws';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Caller } from '../auth/caller';
import { KeySetUnavailable, TokenRejected, type TokenVerifier } from '../auth/token-verifier';
import type { LimitsConfig } from '../config/limit-settings';
import type { LiveConfig } from '../config/live-settings';
import { AppError } from '../errors';
import { errorResponseBody } from '../format-error';
import { requestIdOf } from '../http/request-id';
import type { RateLimit } from '../limits/rate-limit';
import { type Logger, loggableError } from '../logger';
import { runInRequestScope } from '../request-context';
import { SubscribeGuards } from './subscribe-guards';

export interface LiveServerOptions<C extends object> {
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
  /** Whether a page of this origin may open a connection (the same rule as CORS). */
  allowsOrigin: (origin: string, req: IncomingMessage) => boolean;
  /** A context for an operation, and a fresh one for each event it delivers. */
  context: (caller: Caller, requestId: string) => C;
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
}

/** What the server knows of one connection. */
interface Connection {
  readonly socket: WebSocket;
  readonly address: string;
  caller?: Caller;
  expiry?: NodeJS.Timeout;
  /** The request id of each running operation, by its id. */
  readonly operations: Map<string, string>;
}

// setTimeout's longest delay: a token valid for longer is looked at again then.
const LONGEST_TIMER_MS = 2 ** 31 - 1;
const CLOSE_WAIT_MS = 2000;

/**
 * Subscriptions over WebSocket on /graphql (the graphql-transport-ws protocol of graphql-ws): the
 * token comes in connection_init's payload as { "Authorization": "Bearer ..." }, a refused one
 * closes the socket with 4403, and so does the token's expiry while the socket is open. Pages of
 * origins that CORS would refuse cannot connect; connections and subscriptions per connection are
 * limited; idle connections are pinged. Each subscribe passes the HTTP side's limits and rate limit
 * first, and each event runs with a context of its own (fresh loaders: what it reads is current).
 */
export class LiveServer<C extends object> {
  private readonly wss: WebSocketServer;
  private readonly server: ReturnType<typeof makeServer<Record<string, unknown>, Connection>>;
  private readonly guards: SubscribeGuards;
  private readonly sockets = new Set<WebSocket>();
  private readonly requestIds = new WeakMap<object, string>();
  /** The request ids of the subscriptions running now. */
  private readonly active = new Set<string>();
  private readonly countWatchers = new Set<() => void>();
  private stopping = false;

  constructor(private readonly options: LiveServerOptions<C>) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.limits.maxBodyBytes,
      handleProtocols: (protocols) => handleProtocols(protocols),
    });
    this.guards = new SubscribeGuards(options.schema, options.limits, options.introspection);
    this.server = makeServer<Record<string, unknown>, Connection>({
      schema: options.schema,
      onConnect: (ctx) => this.connect(ctx),
      onSubscribe: (ctx, id, payload) => this.subscribe(ctx, id, payload),
      subscribe: (args) => this.run(args),
      onNext: (ctx, id, _payload, _args, result) => this.formatResult(ctx.extra, id, result),
      onError: (ctx, id, _payload, errors) => this.formatErrors(ctx.extra, id, errors),
      onComplete: (ctx, id) => this.ended(ctx.extra, id),
    });
  }

  /** Open connections now. */
  get connectionCount(): number {
    return this.sockets.size;
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

  private counted(): void {
    for (const check of [...this.countWatchers]) check();
  }

  /** Takes an HTTP upgrade of /graphql: a WebSocket, or a refusal answered in the contract's shape. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const { id } = requestIdOf(req);
    const refusal = this.refusal(req);
    if (refusal) {
      this.options.logger.info(
        { requestId: id, status: refusal.status, reason: refusal.message },
        'WebSocket upgrade refused',
      );
      return refuseUpgrade(socket, refusal, id);
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.open(ws, req));
  }

  private refusal(req: IncomingMessage): AppError | undefined {
    if (this.stopping) return new AppError('SERVICE_UNAVAILABLE', 'The gateway is stopping');
    const origin = req.headers.origin;
    if (origin !== undefined && !this.options.allowsOrigin(origin, req)) {
      return new AppError('UNAUTHORIZED', 'Pages of this origin may not open subscriptions', [
        { target: 'Origin', errorCode: 'UNAUTHORIZED', message: 'Origin not allowed' },
      ]);
    }
    if (this.sockets.size >= this.options.live.maxConnections) {
      return new AppError(
        'SERVICE_UNAVAILABLE',
        `This instance holds its ${this.options.live.maxConnections} WebSocket connections; retry later`,
      );
    }
    return undefined;
  }

  private open(socket: WebSocket, req: IncomingMessage): void {
    this.sockets.add(socket);
    const connection: Connection = {
      socket,
      address: req.socket.remoteAddress ?? 'unknown',
      operations: new Map(),
    };
    const { logger } = this.options;
    // A ping each keep-alive period; a connection that has not answered the last one is cut.
    let answered = true;
    socket.on('pong', () => {
      answered = true;
    });
    const keepAlive = setInterval(() => {
      if (!answered) return socket.terminate();
      answered = false;
      socket.ping();
    }, this.options.live.keepAliveMs);
    const closed = this.server.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            socket.send(data, (error) => (error ? reject(error) : resolve()));
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', (data: Buffer) => {
            handle(data.toString('utf8')).catch((error: unknown) => {
              logger.error({ err: loggableError(error) }, 'WebSocket message failed');
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            });
          }),
      },
      connection,
    );
    socket.on('error', (error) => {
      logger.info({ err: loggableError(error) }, 'WebSocket connection error');
    });
    socket.once('close', (code, reason) => {
      this.sockets.delete(socket);
      clearInterval(keepAlive);
      if (connection.expiry) clearTimeout(connection.expiry);
      for (const requestId of connection.operations.values()) this.active.delete(requestId);
      this.counted();
      closed(code, reason.toString('utf8')).catch((error: unknown) => {
        logger.error({ err: loggableError(error) }, 'closing WebSocket subscriptions failed');
      });
    });
  }

  private async connect(ctx: WsContext<Record<string, unknown>, Connection>): Promise<boolean> {
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
    ctx: WsContext<Record<string, unknown>, Connection>,
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
    this.requestIds.set(contextValue, requestId);
    this.active.add(requestId);
    this.counted();
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
    const requestId = this.requestIds.get(args.contextValue as object) ?? randomUUID();
    const source = await runInRequestScope({ requestId }, () => createSourceEventStream(args));
    if (!(Symbol.asyncIterator in source)) return source;
    const caller = (args.contextValue as { caller: Caller }).caller;
    return mapEvents(source[Symbol.asyncIterator](), (event) =>
      runInRequestScope({ requestId, caller: caller.subject }, () =>
        execute({
          ...args,
          rootValue: event,
          contextValue: this.options.context(caller, requestId),
        }),
      ),
    );
  }

  private formatResult(
    connection: Connection,
    id: string,
    result: ExecutionResult,
  ): ExecutionResult | undefined {
    if (!result.errors) return undefined;
    return {
      ...result,
      errors: this.formatErrors(connection, id, result.errors) as unknown as GraphQLError[],
    };
  }

  private formatErrors(
    connection: Connection,
    id: string,
    errors: readonly GraphQLError[],
  ): GraphQLFormattedError[] {
    const requestId = connection.operations.get(id) ?? randomUUID();
    // A refused subscribe ends here (it never completes); a running one ends in `ended`.
    if (!this.active.has(requestId)) connection.operations.delete(id);
    return runInRequestScope({ requestId }, () =>
      errors.map((error) => this.options.formatError(error.toJSON(), error)),
    );
  }

  private ended(connection: Connection, id: string): void {
    const requestId = connection.operations.get(id);
    if (requestId === undefined) return;
    connection.operations.delete(id);
    if (this.active.delete(requestId)) this.counted();
  }

  /**
   * Refuses new connections and closes the open ones with 1001 (going away): their subscriptions
   * end, and clients reconnect elsewhere. A socket that does not finish its close handshake
   * within two seconds is cut.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    const open = [...this.sockets];
    const closedAll = Promise.all(
      open.map(
        (socket) =>
          new Promise<void>((resolve) => {
            if (socket.readyState === socket.CLOSED) return resolve();
            socket.once('close', () => resolve());
          }),
      ),
    );
    for (const socket of open) socket.close(1001, 'Going away');
    let timer: NodeJS.Timeout | undefined;
    const cut = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        for (const socket of this.sockets) socket.terminate();
        resolve();
      }, CLOSE_WAIT_MS);
    });
    await Promise.race([closedAll, cut]);
    clearTimeout(timer);
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
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

/** Each event of `source` mapped by `fn`; returning the result returns the source at once. */
function mapEvents<T, U>(
  source: AsyncIterator<T>,
  fn: (event: T) => U | Promise<U>,
): AsyncIterableIterator<U> {
  return {
    async next() {
      const result = await source.next();
      return result.done ? result : { done: false, value: await fn(result.value) };
    },
    async return() {
      await source.return?.();
      return { done: true, value: undefined };
    },
    async throw(error: unknown) {
      await source.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** Answers an upgrade it will not make with an HTTP error in the contract's shape. */
export function refuseUpgrade(socket: Duplex, error: AppError, requestId: string): void {
  // A page's origin is refused with 403: the token is not the question.
  const status = error.code === 'UNAUTHORIZED' ? 403 : error.status;
  const body = JSON.stringify(errorResponseBody(error, requestId));
  socket.end(
    [
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
      'Connection: close',
      'Content-Type: application/json; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(body)}`,
      `Request-ID: ${requestId}`,
      ...(status === 503 ? ['Retry-After: 1'] : []),
      '',
      body,
    ].join('\r\n'),
  );
}
