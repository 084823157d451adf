import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { trace } from '@opentelemetry/api';
import { loadConfig } from '../../src/config';
import {
  CREATE_MEETING,
  MEETING_FIELDS,
  UPSERT_AGENTS,
  UPSERT_PARTIES,
  agent,
  meetingInput,
  party,
} from '../support/fixtures';
import { TestGateway } from '../support/gateway';
import { OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver';
import { createSchema, dropSchema, onPostgres, schemaUrl } from '../support/postgres';
import { PROCESS_JWT, processAdminToken } from '../support/process-auth';
import { type Running, killGateways, startGateway, waitForReady } from '../support/process';

// The exporter loads node:http with a dynamic import(), which Jest's module sandbox refuses: the
// traced gateway runs as a process of its own, as an operator runs it, and its stop (SIGTERM)
// sends the last spans.

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

let dir: string;
let schema: string | null = null;
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'meetings-traces-'));
  schema = onPostgres() ? await createSchema() : null;
});
afterEach(async () => {
  killGateways();
  rmSync(dir, { recursive: true, force: true });
  if (schema !== null) await dropSchema(schema);
});

function gatewayEnv(env: Record<string, string>): Record<string, string> {
  return {
    PORT: '0',
    DATABASE_URL: schema !== null ? schemaUrl(schema) : `sqlite:${path.join(dir, 'm.sqlite')}`,
    DEMO_DATA: 'false',
    ...PROCESS_JWT,
    ...env,
  };
}

async function post(
  url: string,
  token: string,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return {
    requestId: res.headers.get('request-id')!,
    body: (await res.json()) as { data?: any; errors?: { extensions: { code: string } }[] },
  };
}

/** Stops the process as an operator does: SIGTERM, then the exit. */
async function stop(run: Running): Promise<number | null> {
  run.child.kill('SIGTERM');
  return run.exited;
}

/** The JSON log lines of a process's output. */
function logLines(run: Running): Record<string, unknown>[] {
  return run
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function only(spans: ReceivedSpan[], test: (span: ReceivedSpan) => boolean): ReceivedSpan {
  const found = spans.filter(test);
  if (found.length !== 1) {
    throw new Error(`${found.length} spans match, in: ${spans.map((s) => s.name).join(', ')}`);
  }
  return found[0];
}

/** The names of a span's ancestors, nearest first. */
function ancestors(spans: ReceivedSpan[], span: ReceivedSpan): string[] {
  const parent = spans.find((s) => s.spanId === span.parentSpanId);
  return parent ? [parent.name, ...ancestors(spans, parent)] : [];
}

describe('traces', () => {
  it("continue a caller's traceparent: HTTP > GraphQL > service > SQL, statements without values, the trace id in the access log", async () => {
    const receiver = await OtlpReceiver.start();
    try {
      const run = startGateway(
        gatewayEnv({
          OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
          OTEL_SERVICE_NAME: 'meetings-gateway-test',
        }),
      );
      const url = await waitForReady(run);
      const token = await processAdminToken();

      const parties = [party(), party({ partyTypeCode: 'ESTATE_PARTY' })];
      const agents = [agent()];
      expect((await post(url, token, UPSERT_PARTIES, { input: parties })).body.errors).toBe(
        undefined,
      );
      expect((await post(url, token, UPSERT_AGENTS, { input: agents })).body.errors).toBe(
        undefined,
      );
      const input: any = meetingInput(parties, agents, { notes: 'Avain naapurilla' });
      input.meetingRealty.doorCode = 'A-9876';
      const traceId = hex(16);
      const callerSpanId = hex(8);
      const created = await post(
        url,
        token,
        CREATE_MEETING,
        { input },
        { traceparent: `00-${traceId}-${callerSpanId}-01` },
      );
      expect(created.body.errors).toBeUndefined();
      // No traceparent: a trace of its own. The query text is new to the gateway: it is parsed.
      const missingId = '7e57e57e-0000-4000-8000-0000000000aa';
      const missing = await post(
        url,
        token,
        `query Traced($id: UUID!) { meeting(meetingId: $id) { ${MEETING_FIELDS} } }`,
        { id: missingId },
      );
      expect(missing.body.errors![0].extensions.code).toBe('INVALID_ID');

      // The stop sends the spans still queued.
      expect(await stop(run)).toBe(0);
      const spans = await receiver.waitFor((all) =>
        all.some((s) => s.attributes['meetings_gateway.request_id'] === missing.requestId),
      );

      // The write, in the caller's trace.
      const written = spans.filter((s) => s.traceId === traceId);
      const http = only(written, (s) => s.name === 'POST /graphql');
      expect(http.parentSpanId).toBe(callerSpanId);
      expect(http.kind).toBe(2); // SERVER
      expect(http.attributes).toMatchObject({
        'http.request.method': 'POST',
        'http.route': '/graphql',
        'http.response.status_code': 200,
        'meetings_gateway.operation': 'createMeeting',
        'meetings_gateway.request_id': created.requestId,
      });
      expect(http.resource['service.name']).toBe('meetings-gateway-test');
      const phases = ['graphql.parse', 'graphql.validate', 'graphql.execute'].map((name) =>
        only(written, (s) => s.name === name),
      );
      for (const phase of phases) expect(phase.parentSpanId).toBe(http.spanId);
      const execute = phases[2];
      expect(execute.attributes['graphql.operation.type']).toBe('mutation');
      const service = only(written, (s) => s.name === 'MeetingService.create');
      expect(service.parentSpanId).toBe(execute.spanId);
      const statements = written.filter((s) => s.attributes['db.query.text'] !== undefined);
      expect(statements.filter((s) => s.name === 'INSERT').length).toBeGreaterThan(0);
      for (const insert of statements.filter((s) => s.name === 'INSERT')) {
        expect(ancestors(written, insert)).toEqual([
          'MeetingService.create',
          'graphql.execute',
          'POST /graphql',
        ]);
      }
      for (const statement of statements) {
        // Each under a service operation (the payload's parties come through the directory).
        const chain = ancestors(written, statement);
        expect(chain[0]).toMatch(/^(MeetingService|DirectoryService)\./);
        expect(chain.slice(-2)).toEqual(['graphql.execute', 'POST /graphql']);
        expect(statement.kind).toBe(3); // CLIENT
        expect(statement.attributes['db.system.name']).toBe(
          schema !== null ? 'postgresql' : 'sqlite',
        );
        // The text with its placeholders; never a value of the meeting.
        const text = statement.attributes['db.query.text'] as string;
        expect(text).not.toContain('A-9876');
        expect(text).not.toContain('Avain naapurilla');
        expect(text).not.toContain(parties[0].partyId);
      }
      expect(
        statements.some(
          (s) => s.name === 'INSERT' && /\?|\$1/.test(s.attributes['db.query.text'] as string),
        ),
      ).toBe(true);

      // The read, in a new trace; the failed service operation is marked so.
      const readHttp = only(
        spans,
        (s) => s.attributes['meetings_gateway.request_id'] === missing.requestId,
      );
      expect(readHttp.parentSpanId).toBe('');
      expect(readHttp.traceId).not.toBe(traceId);
      const read = spans.filter((s) => s.traceId === readHttp.traceId);
      const get = only(read, (s) => s.name === 'MeetingService.get');
      expect(get.status.code).toBe(2); // ERROR
      expect(get.attributes['error.type']).toBe('INVALID_ID');
      const selects = read.filter((s) => s.name === 'SELECT' && s.parentSpanId === get.spanId);
      expect(selects.length).toBeGreaterThan(0);
      for (const select of selects) {
        expect(select.attributes['db.query.text']).not.toContain(missingId);
      }

      // The access log lines carry the trace ids.
      const access = logLines(run).filter((line) => line.msg === 'request');
      expect(access.find((line) => line.requestId === created.requestId)?.trace_id).toBe(traceId);
      expect(access.find((line) => line.requestId === missing.requestId)?.trace_id).toBe(
        readHttp.traceId,
      );
    } finally {
      await receiver.close();
    }
  });

  it('a collector that refuses spans fails no request, and the stop still ends', async () => {
    const receiver = await OtlpReceiver.start({ refuseWith: 400 });
    const run = startGateway(gatewayEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint }));
    const url = await waitForReady(run);
    const token = await processAdminToken();
    for (let i = 0; i < 3; i++) {
      expect((await post(url, token, '{ __typename }', {})).body.errors).toBeUndefined();
    }
    expect(await stop(run)).toBe(0);
    await receiver.close();
    expect(receiver.refused).toBeGreaterThan(0);
    expect(logLines(run).some((l) => l.msg === 'trace export failed: spans are dropped')).toBe(
      true,
    );
  });
});

describe('without an OTLP endpoint', () => {
  it('no tracer exists: nothing is traced, no trace id is logged', async () => {
    const gw = await TestGateway.start({
      observability: loadConfig({ METRICS_PORT: '0' }).observability,
    });
    try {
      expect(gw.app.observability.tracing).toBeUndefined();
      expect(gw.app.observability.enabled).toBe(false);
      await gw.gql('{ __typename }', undefined, { traceparent: `00-${hex(16)}-${hex(8)}-01` });
      expect(gw.logs().filter((l) => l.trace_id !== undefined)).toEqual([]);
      // No tracer provider was registered for the process either.
      expect(trace.getTracer('probe').startSpan('probe').isRecording()).toBe(false);
    } finally {
      await gw.stop();
    }
  });
});
