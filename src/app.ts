import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import express, { type Request, type Response } from 'express';
import type { GraphQLSchema } from 'graphql';
import type { Caller } from './auth/caller';
import { TokenVerifier } from './auth/token-verifier';
import { mintToken } from './auth/tokens';
import type { Config } from './config';
import { type GatewayContext, type Services, createContext } from './context';
import { Database } from './db/database';
import type * as DemoSeedModule from './demo/demo-seed';
import { DirectoryService } from './directory/domain/directory.service';
import type * as SubgraphModule from './federation/subgraph';
import { AppError } from './errors';
import { createErrorFormatter } from './format-error';
import { HttpDrain } from './http/drain';
import { sameOrigin } from './http/cors';
import { LiveServer } from './live/live-server';
import { refuseUpgrade } from './live/refuse-upgrade';
import { RunningKeys, idempotencyPlugin } from './idempotency/idempotency.plugin';
import { Cors } from './http/cors';
import { graphiqlRouter } from './http/graphiql';
import { graphqlEndpoint } from './http/graphql-endpoint';
import { healthRouter } from './http/health';
import { httpErrorHandler } from './http/http-errors';
import { logAccess } from './http/access-log';
import { REQUEST_ID_HEADER, requestIdOf } from './http/request-id';
import { sendError, splitUrl } from './http/respond';
import { costLimitPlugin } from './limits/cost.plugin';
import { maxAliasesRule, maxDepthRule, maxDirectivesRule } from './limits/validation-rules';
import { type Logger, createLogger } from './logger';
import { MeetingService } from './meetings/domain/meeting.service';
import { Observability } from './observability/observability';
import { currentRequestId } from './request-context';
import { buildGatewaySchema } from './schema';
import { openSharedState } from './shared-state/shared-state';

export interface AppOptions {
  /** Where logs go; by default JSON lines on stdout at the configured level. */
  logger?: Logger;
  /** The time source of the services. */
  clock?: () => Date;
  /** The time source of the token checks (expiry, not-before); the real time by default. */
  tokenClock?: () => Date;
}

export interface GatewayApp {
  readonly server: http.Server;
  readonly db: Database;
  readonly services: Services;
  readonly logger: Logger;
  /** Metrics and traces: the /metrics URL once listening, a flush of the spans ended so far. */
  readonly observability: Observability;
  /** Subscriptions over WebSocket: open connections and running subscriptions. */
  readonly live: LiveServer<GatewayContext>;
  /** An admin token for this run, when no JWT setting was given (development only). */
  readonly developmentToken: string | undefined;
  /** Starts listening on the configured host and port; resolves to the GraphQL URL. */
  listen(): Promise<string>;
  /**
   * Stops taking connections, lets running requests finish (within the operation timeout and a
   * second), answers what still arrives on open connections with SERVICE_UNAVAILABLE, and closes
   * the database.
   */
  stop(): Promise<void>;
}

const DEVELOPMENT_TOKEN_TTL_SECONDS = 30 * 24 * 3600;
// A request that began just before the stop meets its deadline within the operation timeout; this
// is the time left to send that answer before its connection is cut.
const STOP_ANSWER_MARGIN_MS = 1000;

/**
 * Builds the whole gateway: opens and migrates the database, loads demo data when asked, and wires
 * /graphql (authenticated and limited), GraphiQL and the health checks onto an HTTP server that is
 * not yet listening.
 */
export async function createApp(config: Config, options: AppOptions = {}): Promise<GatewayApp> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const observability = new Observability(config.observability, logger);
  const db = await Database.open(config.database, logger, observability.databaseObserver()).catch(
    async (error: unknown) => {
      await observability.stop();
      throw error;
    },
  );
  // Rate limits and the APQ cache: in Redis with REDIS_URL, else in memory. Never fails to open.
  const shared = await openSharedState(config.redis, config.limits, logger);
  /** Closes what the app opened, once, each even when another fails; the first failure is thrown. */
  let closing: Promise<void> | undefined;
  const closeAll = () =>
    (closing ??= Promise.allSettled([db.close(), shared.close(), observability.stop()]).then(
      (results) => {
        const failure = results.find((r) => r.status === 'rejected');
        if (failure) throw failure.reason;
      },
    ));
  try {
    const directory = observability.traced(
      'DirectoryService',
      new DirectoryService(db, options.clock),
    );
    const services: Services = {
      meetings: observability.traced(
        'MeetingService',
        new MeetingService(
          db,
          directory,
          options.clock,
          {
            retentionDays: config.limits.changeRetentionDays,
            // SQLite's writes are all this process's, and each one tells the feed.
            pollIntervalMs: config.database.type === 'postgres' ? config.live.pollIntervalMs : 0,
          },
          logger,
        ),
      ),
      directory,
    };
    if (config.demoData) {
      // Loaded only for the demo: its Helsinki clock alone loads the time-zone data.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { seedDemoData } = require('./demo/demo-seed') as typeof DemoSeedModule;
      await seedDemoData(db, logger);
    }
    const developmentToken =
      config.auth.keys.kind === 'secret' && config.auth.keys.generated
        ? await mintToken(config.auth, {
            subject: 'development-admin',
            name: 'Development Admin',
            admin: true,
            ttlSeconds: DEVELOPMENT_TOKEN_TTL_SECONDS,
          })
        : undefined;

    const { limits } = config;
    // Shared by /graphql and /subgraph: a key is in use whichever endpoint it came through.
    const runningKeys = new RunningKeys();
    const app = express();
    const server = http.createServer();
    const drain = new HttpDrain(server, limits.operationTimeoutMs + STOP_ANSWER_MARGIN_MS, logger);
    const makeApollo = (schema: GraphQLSchema, extraPlugins: ApolloServerPlugin[] = []) =>
      new ApolloServer<GatewayContext>({
        schema,
        formatError: createErrorFormatter(logger),
        includeStacktraceInErrorResponses: false,
        allowBatchedHttpRequests: false,
        // A browser preflights any request with an Authorization header, and every request here
        // needs one; a cross-site form or image (no such header) never gets past authentication.
        csrfPrevention: {
          requestHeaders: ['authorization', 'apollo-require-preflight', 'x-apollo-operation-name'],
        },
        introspection: config.introspection,
        // No "did you mean" hints where introspection is off: they would reveal the schema.
        hideSchemaDetailsFromClientErrors: !config.introspection,
        parseOptions: { maxTokens: limits.maxTokens },
        persistedQueries: shared.persistedQueries,
        validationRules: [
          maxDepthRule(limits.maxDepth),
          maxAliasesRule(limits.maxAliases),
          maxDirectivesRule(limits.maxDirectives),
        ],
        // index.ts stops the whole gateway (HTTP, then the database) on SIGTERM and SIGINT.
        stopOnTerminationSignals: false,
        plugins: [
          ...observability.apolloPlugins(),
          ...extraPlugins,
          ApolloServerPluginLandingPageDisabled(),
          // No cache hints are set (answers depend on the caller), and its hook on every field
          // costs a search page a tenth of its time.
          ApolloServerPluginCacheControlDisabled(),
          costLimitPlugin(schema, limits.maxCost),
          idempotencyPlugin(runningKeys, limits.idempotencyKeyTtlHours * 3600 * 1000),
        ],
        logger,
      });
    // /graphql serves the core schema (frontends, stitching); /subgraph the same with the
    // Federation 2 additions, for a federation router.
    const core = await buildGatewaySchema(services);
    // The HTTP server is drained by stop() before Apollo stops: no drain plugin.
    const apollo = makeApollo(core);
    await apollo.start();
    // The federation additions and their libraries are loaded when a federation router first asks
    // for them; a start that failed is tried again by the next request.
    let subgraph: Promise<ApolloServer<GatewayContext>> | undefined;
    const startSubgraph = () =>
      (subgraph ??= (async () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { buildSubgraph } = require('./federation/subgraph') as typeof SubgraphModule;
        // No inline traces (ftv1): resolver timings are for an Apollo Studio this gateway does not use.
        const server = makeApollo(buildSubgraph(core), [ApolloServerPluginInlineTraceDisabled()]);
        await server.start();
        return server;
      })().catch((error: unknown) => {
        subgraph = undefined;
        throw error;
      }));

    app.disable('x-powered-by');
    app.set('query parser', 'simple');
    app.use(healthRouter(db, () => drain.draining));
    app.use(
      graphiqlRouter(developmentToken ? { Authorization: `Bearer ${developmentToken}` } : {}),
    );
    // The address a new user types first: GraphiQL in a browser.
    app.get('/', (_req, res) => res.redirect(302, '/graphql'));
    // Refused tokens spend per client address, calls per caller: buckets of the same size, shared
    // by both endpoints and the WebSocket side.
    const verifier = new TokenVerifier(config.auth, options.tokenClock);
    const endpointOptions = {
      verifier,
      logger,
      refusals: shared.rateLimit('refusals'),
      calls: shared.rateLimit('calls'),
      operationTimeoutMs: limits.operationTimeoutMs,
      maxBodyBytes: limits.maxBodyBytes,
      maxQueryLength: limits.maxQueryLength,
      context: (caller: Caller) => createContext(currentRequestId() ?? '', caller, services),
    };
    const endpoints = new Map([
      ['/graphql', graphqlEndpoint(apollo, endpointOptions)],
      ['/subgraph', graphqlEndpoint(startSubgraph, endpointOptions)],
    ]);
    // GraphiQL (a browser's GET of /graphql) comes first; every other request of the two paths
    // goes to its endpoint.
    for (const [path, endpoint] of endpoints) app.all(path, endpoint);
    app.use((req: Request, res: Response) => {
      sendError(res, new AppError('NOT_FOUND', `Nothing at ${req.method} ${req.path}`));
    });
    app.use(httpErrorHandler(logger));
    const cors = new Cors(config.corsOrigins, config.production);
    // Subscriptions: WebSocket upgrades of /graphql.
    const live = new LiveServer({
      schema: core,
      verifier,
      tokenClock: options.tokenClock ?? (() => new Date()),
      logger,
      refusals: endpointOptions.refusals,
      calls: endpointOptions.calls,
      limits,
      live: config.live,
      introspection: config.introspection,
      allowsOrigin: (origin, req) => cors.allows(origin) || sameOrigin(origin, req),
      context: (caller, requestId) => createContext(requestId, caller, services),
      formatError: createErrorFormatter(logger),
    });
    observability.observeLive(() => ({
      connections: live.connectionCount,
      subscriptions: live.subscriptionCount,
    }));
    server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
      if (splitUrl(req).path === '/graphql') return live.upgrade(req, socket, head);
      refuseUpgrade(
        socket,
        new AppError('NOT_FOUND', 'No WebSocket here: use /graphql'),
        requestIdOf(req).id,
      );
    });
    // A POST to an endpoint, which is nearly every request, goes to it without Express.
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      const { id, refusal } = requestIdOf(req);
      res.setHeader(REQUEST_ID_HEADER, id);
      drain.track(res);
      const { path } = splitUrl(req);
      const endpoint = endpoints.get(path);
      observability.runRequest({ requestId: id }, req, res, path, endpoint !== undefined, () => {
        logAccess(logger, req, res, path);
        if (endpoint) cors.decorate(req, res);
        if (refusal) return sendError(res, refusal);
        // Answered while stopping too: a browser reads the 503 of the request that follows only
        // once its preflight has passed.
        if (endpoint && req.method === 'OPTIONS') return cors.answerOptions(req, res);
        // While stopping, only the health checks answer: a load balancer learns from them.
        if (drain.draining && !path.startsWith('/health/')) {
          return sendError(res, new AppError('SERVICE_UNAVAILABLE', 'The gateway is stopping'));
        }
        if (endpoint && req.method === 'POST') endpoint(req, res);
        else app(req, res);
      });
    });

    let stopping: Promise<void> | undefined;
    return {
      server,
      db,
      services,
      logger,
      observability,
      live,
      developmentToken,
      listen: async () => {
        try {
          // The metrics listener first: a port in use stops the start before any request is taken.
          await observability.listen();
          return await new Promise<string>((resolve, reject) => {
            server.once('error', reject);
            server.listen(config.port, config.host, () => {
              server.off('error', reject);
              const { address, port } = server.address() as AddressInfo;
              const host = address.includes(':') ? `[${address}]` : address;
              resolve(`http://${host}:${port}/graphql`);
            });
          });
        } catch (error) {
          // Nothing was taken yet: what createApp opened closes, and the start fails.
          await Promise.allSettled([apollo.stop(), subgraph?.then((s) => s.stop()), closeAll()]);
          throw error;
        }
      },
      stop: () => {
        stopping ??= (async () => {
          // Sockets close with 1001 while running requests finish.
          await Promise.all([live.stop(), drain.drain()]);
          await services.meetings.stopWatching();
          await Promise.all([apollo.stop(), subgraph?.then((server) => server.stop())]);
          await closeAll();
        })();
        return stopping;
      },
    };
  } catch (error) {
    await closeAll().catch(() => undefined);
    throw error;
  }
}
