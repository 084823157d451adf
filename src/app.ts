import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Config } from './config';
import { type GatewayContext, createContext } from './context';
import { Database } from './db/database';
import { seedDemoData } from './demo/demo-data';
import { DirectoryService } from './directory/directory.service';
import { AppError } from './errors';
import { createErrorFormatter, errorResponseBody } from './format-error';
import { graphiqlRouter } from './http/graphiql';
import { healthRouter } from './http/health';
import { requestId } from './http/request-id';
import { type Logger, createLogger, loggableError } from './logger';
import { MeetingService } from './meetings/meeting.service';
import { type Services, buildGatewaySchema } from './schema';

// Large enough for the contract's 1,000-row directory upserts (about 150 KB), small enough to refuse abuse.
export const BODY_LIMIT = '1mb';

export interface AppOptions {
  /** Where logs go; by default JSON lines on stdout at the configured level. */
  logger?: Logger;
  /** The time source of the services. */
  clock?: () => Date;
}

export interface GatewayApp {
  readonly server: http.Server;
  readonly db: Database;
  readonly services: Services;
  readonly logger: Logger;
  /** Starts listening on the configured host and port; resolves to the GraphQL URL. */
  listen(): Promise<string>;
  /** Stops taking requests, lets running ones finish, and closes the database. */
  stop(): Promise<void>;
}

/**
 * Builds the whole gateway: opens and migrates the database, loads demo data when asked, and wires
 * /graphql, GraphiQL and the health checks onto an HTTP server that is not yet listening.
 */
export async function createApp(config: Config, options: AppOptions = {}): Promise<GatewayApp> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const db = await Database.open(config.database, logger);
  try {
    const services: Services = {
      meetings: new MeetingService(db, options.clock),
      directory: new DirectoryService(db, options.clock),
    };
    if (config.demoData) await seedDemoData(db, logger);

    const app = express();
    const server = http.createServer(app);
    const apollo = new ApolloServer<GatewayContext>({
      schema: await buildGatewaySchema(services),
      formatError: createErrorFormatter(logger),
      includeStacktraceInErrorResponses: false,
      allowBatchedHttpRequests: false,
      introspection: true,
      // index.ts stops the whole gateway (HTTP, then the database) on SIGTERM and SIGINT.
      stopOnTerminationSignals: false,
      plugins: [
        ApolloServerPluginDrainHttpServer({ httpServer: server }),
        ApolloServerPluginLandingPageDisabled(),
      ],
      logger,
    });
    await apollo.start();

    app.disable('x-powered-by');
    app.set('query parser', 'simple');
    app.use(requestId);
    app.use(accessLog(logger));
    app.use(healthRouter(db));
    app.use(graphiqlRouter());
    app.use(
      '/graphql',
      onlyGetAndPost,
      requireJsonBody,
      express.json({ limit: BODY_LIMIT }),
      expressMiddleware(apollo, {
        context: async ({ res }) =>
          createContext(res.locals.requestId as string, services.directory),
      }),
    );
    app.use((req: Request, res: Response) => {
      const error = new AppError('NOT_FOUND', `Nothing at ${req.method} ${req.path}`);
      res.status(error.status).json(errorResponseBody(error, res.locals.requestId as string));
    });
    app.use(httpErrorHandler(logger));

    let stopping: Promise<void> | undefined;
    return {
      server,
      db,
      services,
      logger,
      listen: () =>
        new Promise((resolve, reject) => {
          server.once('error', reject);
          server.listen(config.port, config.host, () => {
            server.off('error', reject);
            const { address, port } = server.address() as AddressInfo;
            const host = address.includes(':') ? `[${address}]` : address;
            resolve(`http://${host}:${port}/graphql`);
          });
        }),
      stop: () => {
        stopping ??= (async () => {
          await apollo.stop();
          await db.close();
        })();
        return stopping;
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}

function onlyGetAndPost(req: Request, res: Response, next: NextFunction): void {
  if (req.method === 'GET' || req.method === 'POST') return next();
  const error = new AppError('METHOD_NOT_ALLOWED', `${req.method} is not allowed on /graphql`);
  res.setHeader('Allow', 'GET, POST');
  res.status(error.status).json(errorResponseBody(error, res.locals.requestId as string));
}

/** POST bodies must be JSON: anything else is answered with the contract's 415 body. */
function requireJsonBody(req: Request, res: Response, next: NextFunction): void {
  if (req.method !== 'POST' || req.is('application/json')) return next();
  const error = new AppError(
    'UNSUPPORTED_MEDIA_TYPE',
    `Content-Type must be application/json (got ${req.get('content-type') ?? 'none'})`,
    [
      {
        target: 'Content-Type',
        errorCode: 'INVALID_VALUE',
        message: 'Send the request as application/json',
      },
    ],
  );
  res.status(error.status).json(errorResponseBody(error, res.locals.requestId as string));
}

/** Errors raised by the HTTP layer (body parsing above all), answered in the contract's shape. */
function httpErrorHandler(logger: Logger) {
  return (err: unknown, _req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(err);
    const type = (err as { type?: unknown } | null)?.type;
    let error: AppError;
    if (type === 'entity.parse.failed') {
      error = new AppError('BAD_REQUEST_BODY', 'The request body is not valid JSON', [
        { target: 'body', errorCode: 'INVALID_TYPE', message: 'The body must be a JSON object' },
      ]);
    } else if (type === 'entity.too.large') {
      error = new AppError('PAYLOAD_TOO_LARGE', `The request body is larger than ${BODY_LIMIT}`, [
        { target: 'body', errorCode: 'INVALID_VALUE', message: `At most ${BODY_LIMIT}` },
      ]);
    } else if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
      error = new AppError('UNSUPPORTED_MEDIA_TYPE', 'The request body must be UTF-8 JSON');
    } else if (isClientError(err)) {
      // Express's own refusals, such as a path that does not decode.
      error = new AppError('BAD_REQUEST_PARAMETERS', 'The request could not be read');
    } else {
      logger.error({ err: loggableError(err) }, 'unexpected HTTP error');
      error = new AppError('TECHNICAL_ERROR');
    }
    res.status(error.status).json(errorResponseBody(error, res.locals.requestId as string));
  };
}

function isClientError(err: unknown): boolean {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

function accessLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      logger.info(
        {
          requestId: res.locals.requestId,
          method: req.method,
          path: req.originalUrl.split('?')[0],
          status: res.statusCode,
          durationMs: Number(process.hrtime.bigint() - started) / 1e6,
        },
        'request',
      );
    });
    next();
  };
}
