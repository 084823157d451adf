import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const PREFIX = 'meetings_gateway_';

/**
 * The gateway's Prometheus metrics, in a registry of this app's own: two apps in one process (as
 * in the tests) count apart. The process's metrics (CPU, memory, event loop, GC) belong to the
 * process, not to an app: they are collected once per process, in a registry of their own, and
 * written after the app's at each scrape.
 */
export class GatewayMetrics {
  readonly registry = new Registry();

  readonly requests = new Counter({
    name: `${PREFIX}requests_total`,
    help: 'GraphQL requests answered, by operation (root field) and code (the error code, or OK)',
    labelNames: ['operation', 'code'] as const,
    registers: [this.registry],
  });

  readonly requestDuration = new Histogram({
    name: `${PREFIX}request_duration_seconds`,
    help: 'Time from a GraphQL request’s arrival to the end of its answer, by operation',
    labelNames: ['operation'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly dbWait = new Histogram({
    name: `${PREFIX}db_wait_seconds`,
    help: 'Time a database call waited before it could run: the SQLite read-write lock, or a PostgreSQL pool connection',
    buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [this.registry],
  });

  readonly statementDuration = new Histogram({
    name: `${PREFIX}db_statement_duration_seconds`,
    help: 'Time of each SQL statement, by its kind (SELECT, INSERT, UPDATE, DELETE, WITH, BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE, OTHER) and outcome (ok, error)',
    labelNames: ['statement', 'outcome'] as const,
    buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [this.registry],
  });

  readonly rateLimitRefusals = new Counter({
    name: `${PREFIX}rate_limit_refusals_total`,
    help: 'Requests refused with TOO_MANY_REQUESTS, by limit: caller (calls of one caller) or address (refused tokens from one client address)',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });

  /** Gauges of the WebSocket side, read from `read` at each scrape. */
  observeLive(read: () => { connections: number; subscriptions: number }): void {
    new Gauge({
      name: `${PREFIX}live_connections`,
      help: 'Open WebSocket connections (subscriptions over graphql-ws)',
      registers: [this.registry],
      collect() {
        this.set(read().connections);
      },
    });
    new Gauge({
      name: `${PREFIX}live_subscriptions`,
      help: 'Subscriptions running now, across the open WebSocket connections',
      registers: [this.registry],
      collect() {
        this.set(read().subscriptions);
      },
    });
  }

  /** The Prometheus text exposition of the process's and this app's metrics. */
  async text(): Promise<string> {
    const [own, ofProcess] = await Promise.all([
      this.registry.metrics(),
      processRegistry().metrics(),
    ]);
    return `${ofProcess}\n${own}`;
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

let processMetrics: Registry | undefined;

/** The default metrics of prom-client (process_*, nodejs_*), made when a first app asks. */
function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}
