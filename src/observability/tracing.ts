import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage } from 'node:http';
import {
  type Attributes,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  defaultTextMapGetter,
  trace,
} from '@opentelemetry/api';
import { ExportResultCode, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  type SpanExporter,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { TracesConfig } from '../config/observability-settings';
import type { Logger } from '../logger';

/** How long stopping waits for the last spans to reach the collector. */
const SHUTDOWN_WAIT_MS = 5000;
/** How long one export may take. */
const EXPORT_TIMEOUT_MS = 10_000;

/**
 * The span code running now hangs its spans under. A request's cell is changed in place while its
 * GraphQL operation executes (the resolvers run in the request's async context, which Apollo's
 * hooks cannot replace); a service operation runs in a cell of its own.
 */
interface SpanCell {
  span: Span;
}

/**
 * OpenTelemetry traces of one app: a tracer provider of its own (never registered as the global
 * one: several apps may run in one process), exporting in batches to an OTLP/HTTP collector. A
 * collector that fails or hangs never delays a request: spans are queued and exported in the
 * background, and failures are logged, once per run of failures.
 *
 * Spans: the HTTP request (continuing a caller's W3C traceparent) > graphql.parse,
 * graphql.validate, graphql.execute > each service operation > each SQL statement. Nothing outside
 * a traced request (start, migrations, health checks) makes spans.
 *
 * This module loads the SDK: it is required only when traces are on.
 */
export class Tracing {
  private readonly provider: TracerProvider;
  private readonly tracer: Tracer;
  private readonly propagator = new W3CTraceContextPropagator();
  private readonly cells = new AsyncLocalStorage<SpanCell>();
  private stopped: Promise<void> | undefined;

  constructor(
    config: TracesConfig,
    private readonly logger: Logger,
    exporter: SpanExporter = new OTLPTraceExporter({
      url: config.url,
      timeoutMillis: EXPORT_TIMEOUT_MS,
    }),
  ) {
    this.provider = new TracerProvider({
      resource: defaultResource().merge(
        resourceFromAttributes({
          ...config.resourceAttributes,
          [ATTR_SERVICE_NAME]: config.serviceName,
        }),
      ),
      sampler: samplerOf(config),
      spanLimits: { attributeValueLengthLimit: 4096 },
      spanProcessors: [new BatchSpanProcessor({ exporter: reporting(exporter, logger) })],
    });
    this.tracer = this.provider.getTracer('meetings-gateway');
  }

  /**
   * Runs `fn` under a new server span for `req`, a child of the caller's span when its traceparent
   * header is valid. The span is returned, to be ended when the response is.
   */
  request(req: IncomingMessage, name: string, attributes: Attributes, fn: () => void): Span {
    const parent = this.propagator.extract(ROOT_CONTEXT, req.headers, defaultTextMapGetter);
    const span = this.tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
    this.cells.run({ span }, fn);
    return span;
  }

  /** A new span under the current one, not made current; none outside a traced request. */
  startChild(name: string, attributes?: Attributes, kind = SpanKind.INTERNAL): Span | undefined {
    const parent = this.cells.getStore()?.span;
    if (!parent) return undefined;
    return this.tracer.startSpan(name, { kind, attributes }, trace.setSpan(ROOT_CONTEXT, parent));
  }

  /**
   * Makes `span` the current span of the running request until the returned function is called:
   * what runs meanwhile in the request's async context (the resolvers of an execution) hangs
   * under it.
   */
  enter(span: Span): () => void {
    const cell = this.cells.getStore();
    if (!cell) return () => undefined;
    const previous = cell.span;
    cell.span = span;
    return () => {
      cell.span = previous;
    };
  }

  /**
   * Runs `fn` in a span of its own under the current one (a service operation): what it calls
   * hangs under that span. Outside a traced request, `fn` simply runs.
   */
  inSpan<T>(name: string, attributes: Attributes, fn: () => T): T {
    const span = this.startChild(name, attributes);
    if (!span) return fn();
    let result: T;
    try {
      result = this.cells.run({ span }, fn);
    } catch (error) {
      endWithError(span, error);
      throw error;
    }
    if (isPromiseLike(result)) {
      result.then(
        () => span.end(),
        (error: unknown) => endWithError(span, error),
      );
    } else {
      span.end();
    }
    return result;
  }

  /** Ends a span, marked failed when there is an error. */
  finish(span: Span, error?: unknown): void {
    if (error === undefined || error === null) span.end();
    else endWithError(span, error);
  }

  /**
   * The span of one SQL statement under the current one: its text as sent, with placeholders and
   * without the quoted literals it may hold, never the values bound to it.
   */
  startStatement(kind: string, sql: string, system: 'sqlite' | 'postgresql'): Span | undefined {
    return this.startChild(
      kind,
      {
        'db.system.name': system,
        'db.operation.name': kind,
        'db.query.text': withoutLiterals(sql),
      },
      SpanKind.CLIENT,
    );
  }

  /** The trace id of the running request, for its log lines. */
  currentTraceId(): string | undefined {
    return this.cells.getStore()?.span.spanContext().traceId;
  }

  /** Sends the spans ended so far. */
  forceFlush(): Promise<void> {
    return this.provider.forceFlush();
  }

  /** Sends what is left and stops; waits at most a few seconds for a collector that hangs. */
  shutdown(): Promise<void> {
    this.stopped ??= (async () => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          this.logger.warn('the trace collector did not take the last spans in time');
          resolve();
        }, SHUTDOWN_WAIT_MS);
      });
      try {
        await Promise.race([this.provider.shutdown(), late]);
      } catch (error) {
        this.logger.warn({ err: (error as Error).message }, 'trace export failed at stop');
      } finally {
        clearTimeout(timer);
      }
    })();
    return this.stopped;
  }
}

/** Marks a span failed with the kind of error (its code, or its class), never its message. */
export function endWithError(span: Span, error: unknown): void {
  span.setAttribute('error.type', errorType(error));
  span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

function errorType(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[A-Z0-9_]{1,64}$/.test(code)) return code;
  return error instanceof Error ? error.name : 'Error';
}

/** A statement's text with each '...' literal replaced by '?'. */
export function withoutLiterals(sql: string): string {
  return sql.replace(/'(?:[^']|'')*'/g, '?');
}

function isPromiseLike<T>(value: T): value is T & PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function samplerOf(config: TracesConfig): Sampler {
  const ratio = new TraceIdRatioBasedSampler(config.samplerRatio);
  switch (config.sampler) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return ratio;
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: ratio });
    default:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

/** The exporter, logging a warning when exports start failing and when they work again. */
function reporting(exporter: SpanExporter, logger: Logger): SpanExporter {
  let failing = false;
  return {
    export(spans, done) {
      exporter.export(spans, (result) => {
        if (result.code !== ExportResultCode.SUCCESS && !failing) {
          failing = true;
          logger.warn({ err: result.error?.message }, 'trace export failed: spans are dropped');
        } else if (result.code === ExportResultCode.SUCCESS && failing) {
          failing = false;
          logger.info('trace export works again');
        }
        done(result);
      });
    },
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
  };
}
