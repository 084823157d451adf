import { TestGateway } from '../support/gateway';
import { RawConnection, requestText } from '../support/raw-http';
import { COSTED } from '../support/cost';

// Each test stops its own gateway: app.stop() is the drain under test, and the connections are
// opened by hand so that a request can be held half-sent, or sent on an idle keep-alive
// connection, at a chosen moment of the stop.
let gw: TestGateway;
const opened: RawConnection[] = [];
beforeEach(async () => {
  gw = await TestGateway.start();
});
afterEach(async () => {
  for (const connection of opened.splice(0)) connection.destroy();
  await gw.stop();
});

const QUERY = JSON.stringify({ query: '{ meetings(size: 1) { totalCount } }' });

async function connect(): Promise<RawConnection> {
  const connection = await RawConnection.open(gw.origin);
  opened.push(connection);
  return connection;
}

function graphqlHeaders(): Record<string, string> {
  return { Authorization: `Bearer ${gw.adminToken}`, 'Content-Type': 'application/json' };
}

/** A connection whose request is running: its headers are in, its body is held back. */
async function runningRequest(): Promise<{ connection: RawConnection; finish: () => void }> {
  const connection = await connect();
  const head = requestText('POST', '/graphql', {
    ...graphqlHeaders(),
    'Content-Length': String(QUERY.length),
    // The gateway answers 100 Continue once it has taken the request: no guessing how long that is.
    Expect: '100-continue',
  });
  connection.send(head);
  expect((await connection.response()).status).toBe(100);
  return { connection, finish: () => connection.send(QUERY) };
}

/** A keep-alive connection that has served one request and is idle. */
async function idleConnection(): Promise<RawConnection> {
  const connection = await connect();
  connection.request('GET', '/health/live');
  const first = await connection.response();
  expect(first.status).toBe(200);
  expect(first.headers.connection).toBe('keep-alive');
  return connection;
}

/** The stop ended without its grace period running out. */
function expectNothingCut(): void {
  expect(gw.logs().filter((line) => line.level === 'warn')).toEqual([]);
}

describe('stop', () => {
  it('answers a request that arrives on an open keep-alive connection during the drain with SERVICE_UNAVAILABLE and Connection: close', async () => {
    const running = await runningRequest();
    const idle = await idleConnection();

    const stopped = gw.app.stop();
    idle.request('POST', '/graphql', graphqlHeaders(), QUERY);
    const refused = await idle.response();

    expect(refused.status).toBe(503);
    expect(refused.headers.connection).toBe('close');
    expect(JSON.parse(refused.body)).toEqual({
      errors: [
        {
          message: 'The gateway is stopping',
          extensions: {
            code: 'SERVICE_UNAVAILABLE',
            status: 503,
            description: 'The database or a dependency is unavailable. Try again later.',
            errors: [],
            requestId: refused.headers['request-id'],
          },
        },
      ],
    });
    expect(await idle.closed).toBeUndefined();

    running.finish();
    const answer = await running.connection.response();
    expect(answer.status).toBe(200);
    expect(answer.headers.connection).toBe('close');
    expect(JSON.parse(answer.body)).toEqual({
      data: { meetings: { totalCount: 0 } },
      extensions: COSTED,
    });
    expect(await running.connection.closed).toBeUndefined();
    await stopped;
    expectNothingCut();
  });

  it('keeps /health/live at 200 and turns /health/ready and every other route to 503, each closing its connection', async () => {
    const running = await runningRequest();
    const [live, ready, graphiql, elsewhere] = await Promise.all([
      idleConnection(),
      idleConnection(),
      idleConnection(),
      idleConnection(),
    ]);

    const stopped = gw.app.stop();
    live.request('GET', '/health/live');
    ready.request('GET', '/health/ready');
    graphiql.request('GET', '/graphql', { Accept: 'text/html' });
    elsewhere.request('GET', '/nowhere');
    const answers = await Promise.all([live, ready, graphiql, elsewhere].map((c) => c.response()));

    expect(answers.map((a) => [a.status, a.headers.connection])).toEqual([
      [200, 'close'],
      [503, 'close'],
      [503, 'close'],
      [503, 'close'],
    ]);
    expect(JSON.parse(answers[0].body)).toEqual({ status: 'live' });
    expect(JSON.parse(answers[1].body)).toEqual({
      status: 'stopping',
      code: 'SERVICE_UNAVAILABLE',
    });
    for (const answer of answers.slice(2)) {
      expect(JSON.parse(answer.body)).toMatchObject({
        errors: [{ extensions: { code: 'SERVICE_UNAVAILABLE', status: 503 } }],
      });
    }

    running.finish();
    expect((await running.connection.response()).status).toBe(200);
    await stopped;
  });

  it('closes idle keep-alive connections at once when no request is running', async () => {
    // Longer than the test may take: only the stop can close this connection in time.
    gw.app.server.keepAliveTimeout = 60_000;
    const idle = await idleConnection();

    await gw.app.stop();

    expect(await idle.closed).toBeUndefined();
    expectNothingCut();
  });

  it('refuses new connections as soon as the drain starts', async () => {
    const running = await runningRequest();

    const stopped = gw.app.stop();
    await expect(RawConnection.open(gw.origin)).rejects.toThrow(/ECONNREFUSED/);

    running.finish();
    expect((await running.connection.response()).status).toBe(200);
    await stopped;
  });

  it('cuts a request still running when the grace period (the operation timeout and a second) ends', async () => {
    // The shortest operation timeout makes the grace period 1,010 ms.
    await gw.stop();
    gw = await TestGateway.start({ limits: { operationTimeoutMs: 10 } });
    // The body never comes: only the grace period ends this request.
    const running = await runningRequest();

    await gw.app.stop();

    await running.connection.closed;
    await expect(running.connection.response()).rejects.toThrow(/closed without an answer/);
    expect(gw.logs()).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        msg: 'stop: the grace period ended, cutting the requests still running',
        requests: 1,
        graceMs: 1010,
      }),
    );
  });
});
