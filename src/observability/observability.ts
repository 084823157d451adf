import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Span } from '@opentelemetry/api';
import type { ObservabilityConfig } from '../config/observability-settings';
import { type DatabaseObserver, secondsSince } from '../db/database-observer';
import type { Dialect } from '../db/sql';
import type { Logger } from '../logger';
import { type RequestScope, currentScope, runInRequestScope } from '../request-context';
import { observabilityPlugin } from './graphql-plugin';
import type * as MetricsModule from './metrics';
import type { GatewayMetrics } from './metrics';
import type * as MetricsListenerModule from './metrics-listener';
import type { MetricsListener } from './metrics-listener';
import { BoundedLabel, UNKNOWN_OPERATION } from './operation-label';
import { statementKind } from './statement-kind';
import type * as TracingModule from './tracing';
import type { Tracing } from './tracing';

/** Error codes a response may carry before new ones count as `other`. */
const MAX_CODES = 60;

/**
 * The metrics and traces of one app, each on only when configured. Off, they cost nothing: no
 * registry, no wrapped service or statement, no Apollo plugin, and neither prom-client nor the
 * OpenTelemetry SDK is even loaded; requests go straight to their handler.
 */
export class Observability {
  readonly metrics: GatewayMetrics | undefined;
  readonly tracing: Tracing | undefined;
  private readonly listener: MetricsListener | undefined;
  private readonly codes = new BoundedLabel(MAX_CODES);
  private metricsAddress: string | undefined;

  constructor(config: ObservabilityConfig | undefined, logger: Logger) {
    // The libraries are loaded only when their part is on.
    /* eslint-disable @typescript-eslint/no-require-imports */
    if (config?.metrics) {
      const { GatewayMetrics } = require('./metrics') as typeof MetricsModule;
      const { MetricsListener } = require('./metrics-listener') as typeof MetricsListenerModule;
      this.metrics = new GatewayMetrics();
      this.listener = new MetricsListener(this.metrics, config.metrics, logger);
    }
    if (config?.traces) {
      const { Tracing } = require('./tracing') as typeof TracingModule;
      this.tracing = new Tracing(config.traces, logger.child({ component: 'traces' }));
    }
    /* eslint-enable @typescript-eslint/no-require-imports */
  }

  get enabled(): boolean {
    return this.metrics !== undefined || this.tracing !== undefined;
  }

  /** Where Prometheus scrapes, once listening; undefined when metrics are off. */
  get metricsUrl(): string | undefined {
    return this.metricsAddress;
  }

  /** Open WebSocket connections and running subscriptions, read at each scrape. */
  observeLive(read: () => { connections: number; subscriptions: number }): void {
    this.metrics?.observeLive(read);
  }

  /** The Apollo plugins that note each operation and trace its phases; none when all is off. */
  apolloPlugins(): ApolloServerPlugin[] {
    return this.enabled ? [observabilityPlugin(this.tracing)] : [];
  }

  /** What the database reports to: waits and statements; undefined when all is off. */
  databaseObserver(): DatabaseObserver | undefined {
    if (!this.enabled) return undefined;
    const { metrics, tracing } = this;
    return {
      waited: (seconds) => metrics?.dbWait.observe(seconds),
      statement: <T>(sql: string, dialect: Dialect, run: () => Promise<T>): Promise<T> => {
        const kind = statementKind(sql);
        const started = process.hrtime.bigint();
        const span = tracing?.startStatement(
          kind,
          sql,
          dialect === 'postgres' ? 'postgresql' : 'sqlite',
        );
        return run().then(
          (result) => {
            metrics?.statementDuration.observe(
              { statement: kind, outcome: 'ok' },
              secondsSince(started),
            );
            if (span) tracing!.finish(span);
            return result;
          },
          (error: unknown) => {
            metrics?.statementDuration.observe(
              { statement: kind, outcome: 'error' },
              secondsSince(started),
            );
            if (span) tracing!.finish(span, error);
            throw error;
          },
        );
      },
    };
  }

  /**
   * With traces on, `service` with each of its methods in a span of its own (`name.method`): the
   * services' own calls to each other appear nested. Unchanged otherwise.
   */
  traced<S extends object>(name: string, service: S): S {
    const { tracing } = this;
    if (!tracing) return service;
    const wrapped = new Map<string, unknown>();
    return new Proxy(service, {
      get(target, key) {
        const value: unknown = Reflect.get(target, key, target);
        if (typeof value !== 'function' || typeof key !== 'string' || key === 'constructor') {
          return value;
        }
        let method = wrapped.get(key);
        if (!method) {
          const spanName = `${name}.${key}`;
          const attributes = { 'code.function.name': spanName };
          method = (...args: unknown[]) =>
            tracing.inSpan(spanName, attributes, () => Reflect.apply(value, target, args));
          wrapped.set(key, method);
        }
        return method;
      },
    });
  }

  /** Runs `handle` in a new request scope, observed as `request` does. */
  runRequest(
    scope: RequestScope,
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    endpoint: boolean,
    handle: () => void,
  ): void {
    runInRequestScope(scope, () => this.request(req, res, path, endpoint, handle));
  }

  /**
   * Runs the handling of one HTTP request, inside its request scope: with traces on, under its
   * server span (health checks excepted); with metrics on, a GraphQL endpoint's request is counted
   * and timed when its connection is done with it, by operation and code.
   */
  request(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    endpoint: boolean,
    handle: () => void,
  ): void {
    const { metrics, tracing } = this;
    if (!metrics && !tracing) return handle();
    const scope = currentScope();
    const started = process.hrtime.bigint();
    const counted = metrics !== undefined && endpoint && req.method !== 'OPTIONS';
    let span: Span | undefined;
    if (tracing && !path.startsWith('/health/')) {
      const method = req.method ?? 'GET';
      span = tracing.request(
        req,
        endpoint ? `${method} ${path}` : method,
        {
          'http.request.method': method,
          'url.path': path,
          ...(endpoint ? { 'http.route': path } : {}),
          'client.address': req.socket.remoteAddress ?? '',
          'meetings_gateway.request_id': scope?.requestId ?? '',
        },
        () => {
          if (scope) scope.traceId = tracing.currentTraceId();
          handle();
        },
      );
    } else {
      handle();
    }
    if (!counted && !span) return;
    res.once('close', () => {
      const code = this.codes.of(responseCode(res, scope?.errorCode));
      const operation = scope?.operation ?? UNKNOWN_OPERATION;
      if (counted) {
        metrics.requests.inc({ operation, code });
        metrics.requestDuration.observe({ operation }, secondsSince(started));
        if (code === 'TOO_MANY_REQUESTS') {
          metrics.rateLimitRefusals.inc({ limit: scope?.caller ? 'caller' : 'address' });
        }
      }
      if (span) {
        span.setAttribute('http.response.status_code', res.statusCode);
        if (scope?.operation) span.setAttribute('meetings_gateway.operation', operation);
        if (code !== 'OK') span.setAttribute('meetings_gateway.error_code', code);
        tracing!.finish(span, res.statusCode >= 500 ? { code } : undefined);
      }
    });
  }

  /** Starts the metrics listener, if metrics are on. */
  async listen(): Promise<void> {
    if (this.listener) this.metricsAddress = await this.listener.listen();
  }

  /** Sends the spans ended so far to the collector. */
  async forceFlush(): Promise<void> {
    await this.tracing?.forceFlush();
  }

  /** Closes the metrics listener and sends the last spans. */
  async stop(): Promise<void> {
    await Promise.all([this.listener?.close(), this.tracing?.shutdown()]);
  }
}

/** The code of an answer: its error's, or one its status implies, or OK. */
function responseCode(res: ServerResponse, errorCode: string | undefined): string {
  if (errorCode !== undefined)
    return /^[A-Z][A-Z0-9_]{0,63}$/.test(errorCode) ? errorCode : 'OTHER';
  if (!res.writableFinished) return 'CLIENT_CLOSED';
  if (res.statusCode >= 500) return 'TECHNICAL_ERROR';
  if (res.statusCode >= 400) return 'BAD_REQUEST';
  return 'OK';
}
