import { CREATE_MEETING, meetingInput, smallDirectory } from '../../support/fixtures';
import { TestGateway } from '../../support/gateway';
import { testDatabaseUrl } from '../../support/postgres';
import { TcpProxy } from '../../support/tcp-proxy';
import { COSTED } from '../../support/cost';

// The gateway reaches PostgreSQL through a proxy this test owns: cutting it is an outage of the
// database as the gateway sees it, while the shared server keeps running for everyone else.
let proxy: TcpProxy;
let gw: TestGateway;

beforeAll(async () => {
  const server = new URL(testDatabaseUrl());
  proxy = await TcpProxy.start({ host: server.hostname, port: Number(server.port || 5432) });
  const viaProxy = new URL(server);
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(proxy.port);
  gw = await TestGateway.start({ postgresUrl: viaProxy.toString(), connectTimeoutMs: 1000 });
});
afterAll(async () => {
  proxy.restore();
  await gw.stop();
  await proxy.stop();
});

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await fn();
  return { value, ms: Date.now() - started };
}

describe('a database outage', () => {
  it('makes the gateway unready and its operations SERVICE_UNAVAILABLE, and it recovers without a restart', async () => {
    const dir = await smallDirectory(gw);
    const before = await gw.gql(CREATE_MEETING, { input: meetingInput(dir.parties, dir.agents) });
    expect(before.body.errors).toBeUndefined();
    expect((await gw.fetch('/health/ready')).status).toBe(200);
    expect(proxy.connections).toBeGreaterThan(0);

    proxy.cut();

    const ready = await timed(() => gw.fetch('/health/ready'));
    expect(ready.value.status).toBe(503);
    expect(await ready.value.json()).toEqual({
      status: 'unavailable',
      code: 'SERVICE_UNAVAILABLE',
    });
    expect(ready.ms).toBeLessThan(3000);
    expect((await gw.fetch('/health/live')).status).toBe(200);

    const read = await timed(() => gw.gql('{ meetings { totalCount } }'));
    expect(read.value.body.errors![0]).toMatchObject({
      message: 'The database is unavailable',
      extensions: { code: 'SERVICE_UNAVAILABLE', status: 503 },
    });
    expect(read.ms).toBeLessThan(3000);
    const write = await gw.gql(CREATE_MEETING, { input: meetingInput(dir.parties, dir.agents) });
    expect(write.body.errors![0].extensions).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      status: 503,
    });
    expect(JSON.stringify(write.body)).not.toMatch(
      /ECONN|terminated|127\.0\.0\.1|timeout exceeded/,
    );
    // Several requests at once during the outage: each is answered, none hangs.
    const burst = await Promise.all(
      Array.from({ length: 20 }, () => gw.gql('{ meetings { totalCount } }')),
    );
    expect(burst.map((r) => r.body.errors![0].extensions.code)).toEqual(
      Array(20).fill('SERVICE_UNAVAILABLE'),
    );

    proxy.restore();

    expect((await gw.fetch('/health/ready')).status).toBe(200);
    const after = await gw.gql<{ meetings: { totalCount: number } }>('{ meetings { totalCount } }');
    expect(after.body).toEqual({ data: { meetings: { totalCount: 1 } }, extensions: COSTED });
    const again = await gw.gql(CREATE_MEETING, { input: meetingInput(dir.parties, dir.agents) });
    expect(again.body.errors).toBeUndefined();
    expect(
      (await gw.gql<{ meetings: { totalCount: number } }>('{ meetings { totalCount } }')).body.data,
    ).toEqual({ meetings: { totalCount: 2 } });
  });
});
