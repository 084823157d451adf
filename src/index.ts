import 'reflect-metadata';
import { createApp } from './app';
import { exposedDevelopmentTokenWarning, isLoopbackHost } from './auth/development-token';
import { ConfigError, loadConfig } from './config';
import { createLogger, loggableError } from './logger';

/** Starts the gateway: configuration, database, migrations, HTTP; stops it on SIGTERM or SIGINT. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const app = await createApp(config, { logger });
  const url = await app.listen();
  logger.info(
    {
      url,
      database: config.databaseUrl,
      redis: config.redis?.displayUrl,
      metrics: app.observability.metricsUrl,
      traces: config.observability?.traces?.url,
    },
    `meetings gateway ready at ${url}`,
  );
  if (app.developmentToken) {
    // Not a log line: the token is shown to the person who started the gateway, on their terminal.
    // One write, so that the warning never comes apart from the token it is about.
    process.stderr.write(
      [
        '',
        'No JWT_SECRET or JWT_JWKS_URL is set: this run accepts tokens signed with a random secret made at start.',
        `GraphiQL at ${url} has this admin token filled in (for browsers on this machine); for other clients send:`,
        `  Authorization: Bearer ${app.developmentToken}`,
        'Set JWT_SECRET, JWT_ISSUER and JWT_AUDIENCE to keep tokens across restarts (npm run token mints them).',
        '',
      ].join('\n') +
        (isLoopbackHost(config.host) ? '' : exposedDevelopmentTokenWarning(config.host)),
    );
  }

  const stop = (signal: string): void => {
    logger.info({ signal }, 'stopping: draining requests');
    app.stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: loggableError(error) }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `meetings gateway failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
