import { once } from 'node:events';
import net from 'node:net';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import type { ObservabilityConfig } from '../../src/config/observability-settings';
import { createLogger } from '../../src/logger';
import { GET_MEETING, createMeeting, meetingInput, smallDirectory } from '../support/fixtures';
import { TestGateway } from '../support/gateway';
import { WsConnection } from '../support/live-client';

/** Metrics on any free port of 127.0.0.1, no traces. */
const METRICS: ObservabilityConfig = { metrics: { port: 0, host: '127.0.0.1' }, traces: null };

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition. */
function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels[key] = value;
    }
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

/** The value of the one sample named so, with at least these labels; undefined if none. */
function value(samples: Sample[], name: string, labels: Record<string, string> = {}) {
  const found = samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (found.length > 1) throw new Error(`${found.length} samples of ${name}`);
  return found[0]?.value;
}

async function scrape(gw: TestGateway): Promise<Sample[]> {
  const url = gw.app.observability.metricsUrl;
  if (!url) throw new Error('metrics are off');
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parse(await res.text());
}

describe('GET /metrics', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await TestGateway.start({ observability: METRICS });
  });
  afterAll(() => gw.stop());

  it('counts open WebSocket connections and running subscriptions', async () => {
    const live = (samples: Sample[]) => [
      value(samples, 'meetings_gateway_live_connections'),
      value(samples, 'meetings_gateway_live_subscriptions'),
    ];
    expect(live(await scrape(gw))).toEqual([0, 0]);
    const ws = await WsConnection.connect(gw.url, gw.adminToken);
    ws.subscribe('a', 'subscription { meetingChanged { op } }');
    ws.subscribe('b', 'subscription { meetingChanged { meetingId } }');
    await gw.app.live.running(2);
    expect(live(await scrape(gw))).toEqual([1, 2]);
    ws.complete('a');
    await gw.app.live.running(1);
    expect(live(await scrape(gw))).toEqual([1, 1]);
    await ws.close();
    await gw.app.live.running(0);
    expect(live(await scrape(gw))).toEqual([0, 0]);
  });

  it('counts requests by operation and code, times them, and times the database', async () => {
    const dir = await smallDirectory(gw);
    await createMeeting(gw, meetingInput(dir.parties, dir.agents));
    const missing = await gw.gql(GET_MEETING, {
      meetingId: '7e57e57e-0000-4000-8000-000000000abc',
    });
    expect(missing.body.errors![0].extensions.code).toBe('INVALID_ID');
    expect((await gw.gql('{ nope }')).status).toBe(400);
    expect((await gw.gql('{ __typename }', undefined, { authorization: '' })).status).toBe(401);
    const both = await gw.gql('{ meetings { totalCount } __schema { queryType { name } } }');
    expect(both.body.errors).toBeUndefined();
    expect((await gw.fetch('/health/live')).status).toBe(200);

    const samples = await scrape(gw);
    const requests = (operation: string, code: string) =>
      value(samples, 'meetings_gateway_requests_total', { operation, code });
    expect(requests('upsertParties', 'OK')).toBe(1);
    expect(requests('upsertAgents', 'OK')).toBe(1);
    expect(requests('createMeeting', 'OK')).toBe(1);
    expect(requests('meeting', 'INVALID_ID')).toBe(1);
    expect(requests('unknown', 'GRAPHQL_VALIDATION_FAILED')).toBe(1);
    expect(requests('unknown', 'UNAUTHORIZED')).toBe(1);
    expect(requests('multiple', 'OK')).toBe(1);
    // Only the GraphQL endpoints are counted: not the health checks.
    const total = samples
      .filter((s) => s.name === 'meetings_gateway_requests_total')
      .reduce((sum, s) => sum + s.value, 0);
    expect(total).toBe(7);

    const duration = (suffix: string, labels: Record<string, string>) =>
      value(samples, `meetings_gateway_request_duration_seconds${suffix}`, labels);
    expect(duration('_count', { operation: 'createMeeting' })).toBe(1);
    expect(duration('_bucket', { operation: 'createMeeting', le: '+Inf' })).toBe(1);
    expect(duration('_bucket', { operation: 'createMeeting', le: '10' })).toBe(1);
    expect(duration('_sum', { operation: 'createMeeting' })).toBeGreaterThan(0);
    expect(duration('_bucket', { operation: 'unknown', le: '+Inf' })).toBe(2);

    const statements = (statement: string) =>
      value(samples, 'meetings_gateway_db_statement_duration_seconds_count', {
        statement,
        outcome: 'ok',
      });
    expect(statements('SELECT')).toBeGreaterThan(0);
    expect(statements('INSERT')).toBeGreaterThan(0);
    expect(
      value(samples, 'meetings_gateway_db_statement_duration_seconds_sum', {
        statement: 'INSERT',
        outcome: 'ok',
      }),
    ).toBeGreaterThan(0);
    expect(value(samples, 'meetings_gateway_db_wait_seconds_count')).toBeGreaterThan(0);
    expect(value(samples, 'meetings_gateway_db_wait_seconds_bucket', { le: '+Inf' })).toBe(
      value(samples, 'meetings_gateway_db_wait_seconds_count'),
    );

    // The process's own metrics. CPU time is counted from when the collector began, in the
    // kernel's ticks: a scrape soon after may rightly read 0.
    expect(value(samples, 'process_cpu_user_seconds_total')).toBeGreaterThanOrEqual(0);
    expect(value(samples, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it('answers nothing else on its listener', async () => {
    const url = new URL(gw.app.observability.metricsUrl!);
    expect((await fetch(new URL('/graphql', url))).status).toBe(404);
    expect((await fetch(url, { method: 'POST' })).status).toBe(405);
  });
});

describe('rate limit refusals', () => {
  it('are counted by limit, in the registry of their own app, whose listener closes with it', async () => {
    const other = await TestGateway.start({ observability: METRICS });
    const limited = await TestGateway.start({
      observability: METRICS,
      limits: { rateLimitPerSecond: 1, rateLimitBurst: 2 },
    });
    try {
      const token = await limited.token({ subject: 'busy', admin: true });
      const ask = (authorization: string) =>
        limited.gql('{ meetings { totalCount } }', undefined, { authorization });
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await ask(`Bearer ${token}`)).status);
      for (let i = 0; i < 3; i++) statuses.push((await ask('Bearer guessed.token.value')).status);
      expect(statuses).toEqual([200, 200, 429, 401, 401, 429]);

      const samples = await scrape(limited);
      expect(
        value(samples, 'meetings_gateway_rate_limit_refusals_total', { limit: 'caller' }),
      ).toBe(1);
      expect(
        value(samples, 'meetings_gateway_rate_limit_refusals_total', { limit: 'address' }),
      ).toBe(1);
      expect(
        value(samples, 'meetings_gateway_requests_total', {
          operation: 'unknown',
          code: 'TOO_MANY_REQUESTS',
        }),
      ).toBe(2);
      expect(
        value(samples, 'meetings_gateway_requests_total', { operation: 'meetings', code: 'OK' }),
      ).toBe(2);

      // The other app counted none of it.
      const others = await scrape(other);
      expect(others.filter((s) => s.name.startsWith('meetings_gateway_requests'))).toEqual([]);
      expect(others.filter((s) => s.name === 'meetings_gateway_rate_limit_refusals_total')).toEqual(
        [],
      );
    } finally {
      await other.stop();
      await limited.stop();
    }
    await expect(fetch(limited.app.observability.metricsUrl!)).rejects.toThrow();
  });
});

describe('METRICS_PORT', () => {
  it('0 turns metrics off: no listener, no registry', async () => {
    const config = loadConfig({ METRICS_PORT: '0' });
    const gw = await TestGateway.start({ observability: config.observability });
    try {
      expect(gw.app.observability.metricsUrl).toBeUndefined();
      expect(gw.app.observability.metrics).toBeUndefined();
      expect(gw.app.observability.enabled).toBe(false);
      expect((await gw.gql('{ __typename }')).status).toBe(200);
    } finally {
      await gw.stop();
    }
  });

  it('in use stops the start with a message that names it', async () => {
    const busy = net.createServer();
    busy.listen(0, '127.0.0.1');
    await once(busy, 'listening');
    const { port } = busy.address() as net.AddressInfo;
    const gw = await TestGateway.start();
    try {
      const app = await createApp(
        { ...gw.config, observability: { metrics: { port, host: '127.0.0.1' }, traces: null } },
        { logger: createLogger('silent') },
      );
      try {
        await expect(app.listen()).rejects.toThrow(
          `METRICS_PORT ${port} is already in use on 127.0.0.1: set METRICS_PORT to a free port, or to 0 to turn metrics off`,
        );
        // Nothing was left listening: the GraphQL server did not start.
        expect(app.server.listening).toBe(false);
      } finally {
        await app.stop();
      }
    } finally {
      busy.close();
      await gw.stop();
    }
  });
});
