/** Metrics and traces: the /metrics listener's settings and OpenTelemetry's standard variables. */
import { type Env, given, parsePort } from './setting-values';

/** Where Prometheus scrapes GET /metrics. */
export interface MetricsConfig {
  port: number;
  host: string;
}

/** Which requests are traced: W3C names of the OpenTelemetry SDK's samplers. */
export type SamplerName =
  | 'always_on'
  | 'always_off'
  | 'traceidratio'
  | 'parentbased_always_on'
  | 'parentbased_always_off'
  | 'parentbased_traceidratio';

/** Traces sent to an OTLP/HTTP collector. */
export interface TracesConfig {
  /** The URL spans are POSTed to (…/v1/traces). */
  url: string;
  serviceName: string;
  /** OTEL_RESOURCE_ATTRIBUTES, decoded (service.name excepted: it is `serviceName`). */
  resourceAttributes: Record<string, string>;
  sampler: SamplerName;
  /** The ratio of the traceidratio samplers, from 0 to 1. */
  samplerRatio: number;
}

export interface ObservabilityConfig {
  /** null when METRICS_PORT is 0. */
  metrics: MetricsConfig | null;
  /** null when no OTLP endpoint is set (or the SDK or the exporter is turned off). */
  traces: TracesConfig | null;
}

export const DEFAULT_METRICS_PORT = 9464;
export const DEFAULT_SERVICE_NAME = 'meetings-gateway';
const SAMPLERS: readonly SamplerName[] = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
];

export function parseObservability(env: Env, problems: string[]): ObservabilityConfig {
  const metricsPort = parsePort(
    given(env, 'METRICS_PORT') ?? String(DEFAULT_METRICS_PORT),
    problems,
    'METRICS_PORT',
  );
  const metrics =
    metricsPort === 0
      ? null
      : { port: metricsPort, host: given(env, 'METRICS_HOST') ?? '127.0.0.1' };
  return { metrics, traces: parseTraces(env, problems) };
}

function parseTraces(env: Env, problems: string[]): TracesConfig | null {
  const url = otlpTracesUrl(env, problems);
  const protocol =
    given(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? given(env, 'OTEL_EXPORTER_OTLP_PROTOCOL');
  if (protocol !== undefined && !protocol.startsWith('http/')) {
    problems.push(
      `OTEL_EXPORTER_OTLP_PROTOCOL: the gateway sends OTLP over HTTP (http/json), not "${protocol}"`,
    );
  }
  const exporter = given(env, 'OTEL_TRACES_EXPORTER') ?? 'otlp';
  if (exporter !== 'otlp' && exporter !== 'none') {
    problems.push(`OTEL_TRACES_EXPORTER must be otlp or none (got "${exporter}")`);
  }
  const disabled = given(env, 'OTEL_SDK_DISABLED')?.toLowerCase() === 'true';
  const resourceAttributes = parseResourceAttributes(
    given(env, 'OTEL_RESOURCE_ATTRIBUTES'),
    problems,
  );
  const serviceName =
    given(env, 'OTEL_SERVICE_NAME') ?? resourceAttributes['service.name'] ?? DEFAULT_SERVICE_NAME;
  delete resourceAttributes['service.name'];
  const sampler = (given(env, 'OTEL_TRACES_SAMPLER') ?? 'parentbased_always_on') as SamplerName;
  if (!SAMPLERS.includes(sampler)) {
    problems.push(`OTEL_TRACES_SAMPLER must be one of ${SAMPLERS.join(', ')} (got "${sampler}")`);
  }
  const ratioText = given(env, 'OTEL_TRACES_SAMPLER_ARG');
  const samplerRatio = ratioText === undefined ? 1 : Number(ratioText);
  if (ratioText !== undefined && (!/^(\d+\.?\d*|\.\d+)$/.test(ratioText) || samplerRatio > 1)) {
    problems.push(`OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1 (got "${ratioText}")`);
  }
  if (url === undefined || disabled || exporter === 'none') return null;
  return { url, serviceName, resourceAttributes, sampler, samplerRatio };
}

/**
 * The traces URL, as the OTLP exporters' specification reads it: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
 * as it is, else OTEL_EXPORTER_OTLP_ENDPOINT with v1/traces appended to its path.
 */
function otlpTracesUrl(env: Env, problems: string[]): string | undefined {
  const signal = given(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const base = given(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  const [name, raw] =
    signal !== undefined
      ? ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', signal]
      : ['OTEL_EXPORTER_OTLP_ENDPOINT', base];
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    url = new URL('invalid:');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.push(`${name} must be an http(s) URL (got "${raw}")`);
    return undefined;
  }
  if (signal !== undefined) return url.toString();
  return `${url.toString().replace(/\/$/, '')}/v1/traces`;
}

/** `key=value,key=value`, values percent-encoded (W3C Baggage's format, as OpenTelemetry reads it). */
function parseResourceAttributes(
  raw: string | undefined,
  problems: string[],
): Record<string, string> {
  const attributes: Record<string, string> = {};
  if (raw === undefined) return attributes;
  for (const pair of raw.split(',')) {
    if (pair.trim() === '') continue;
    const eq = pair.indexOf('=');
    const key = eq < 0 ? '' : pair.slice(0, eq).trim();
    let value: string | undefined;
    try {
      value = eq < 0 ? undefined : decodeURIComponent(pair.slice(eq + 1).trim());
    } catch {
      value = undefined;
    }
    if (key === '' || value === undefined) {
      problems.push(
        `OTEL_RESOURCE_ATTRIBUTES must be key=value pairs separated by commas, values percent-encoded (got "${pair.trim()}")`,
      );
      continue;
    }
    attributes[key] = value;
  }
  return attributes;
}
