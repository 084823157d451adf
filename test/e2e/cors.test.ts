import { COSTED } from '../support/cost';
import { TestGateway } from '../support/gateway';
import { RawConnection, requestText } from '../support/raw-http';

/**
 * CORS as the contract's "Frontends in browsers" states it, header by header over HTTP; the browser's
 * side of it is in cors-browser.test.ts.
 */

const CONFIGURED = 'https://crm.example.fi';
const PATHS = ['/graphql', '/subgraph'];
const QUERY = JSON.stringify({ query: '{ meetings(size: 1) { totalCount } }' });
const PREFLIGHT_HEADERS = {
  'access-control-allow-origin': expect.any(String) as unknown,
  'access-control-allow-methods': 'GET, POST',
  'access-control-allow-headers':
    'authorization, content-type, request-id, idempotency-key, apollo-require-preflight, x-apollo-operation-name',
  'access-control-max-age': '7200',
};

let gw: TestGateway;
let production: TestGateway;
beforeAll(async () => {
  [gw, production] = await Promise.all([
    TestGateway.start({ corsOrigins: [CONFIGURED] }),
    TestGateway.start({ production: true, introspection: false, corsOrigins: [CONFIGURED] }),
  ]);
});
afterAll(async () => {
  await Promise.all([gw?.stop(), production?.stop()]);
});

/** The response's CORS headers (access-control-*), by lower-case name. */
function corsHeaders(res: Response): Record<string, string> {
  return Object.fromEntries(
    [...res.headers].filter(([name]) => name.startsWith('access-control-')),
  );
}

function preflight(on: TestGateway, path: string, origin: string): Promise<Response> {
  return fetch(`${on.origin}${path}`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type,idempotency-key,request-id',
    },
  });
}

function post(on: TestGateway, path: string, headers: Record<string, string>, body = QUERY) {
  return fetch(`${on.origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

describe('preflight (OPTIONS with Origin and Access-Control-Request-Method)', () => {
  it.each(PATHS)(
    'answers 204 on %s with the methods and headers a loopback page may send, outside production',
    async (path) => {
      for (const origin of [
        'http://localhost:5173',
        'http://127.0.0.1:3000',
        'http://[::1]:8080',
        'http://localhost',
        CONFIGURED,
      ]) {
        const res = await preflight(gw, path, origin);
        expect(res.status).toBe(204);
        expect(corsHeaders(res)).toEqual({
          ...PREFLIGHT_HEADERS,
          'access-control-allow-origin': origin,
          'access-control-expose-headers': 'request-id, idempotent-replayed, retry-after',
        });
        expect(res.headers.get('vary')).toBe('Origin');
        expect(res.headers.get('allow')).toBe('GET, POST, OPTIONS');
        expect(await res.text()).toBe('');
      }
    },
  );

  it('gives no CORS headers to an origin that is neither configured nor loopback', async () => {
    for (const origin of [
      'https://evil.example',
      'http://127.0.0.2:3000',
      'http://localhost.evil.example:5173',
      'https://crm.example.fi:8443',
      'null',
    ]) {
      const res = await preflight(gw, '/graphql', origin);
      expect([origin, res.status]).toEqual([origin, 204]);
      expect(corsHeaders(res)).toEqual({});
      expect(res.headers.get('vary')).toBe('Origin');
    }
  });

  it('allows in production only the configured origins, not loopback', async () => {
    const allowed = await preflight(production, '/graphql', CONFIGURED);
    expect(allowed.status).toBe(204);
    expect(corsHeaders(allowed)).toMatchObject({
      ...PREFLIGHT_HEADERS,
      'access-control-allow-origin': CONFIGURED,
    });
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:3000']) {
      const refused = await preflight(production, '/graphql', origin);
      expect(corsHeaders(refused)).toEqual({});
      const answer = await post(production, '/graphql', {
        origin,
        authorization: `Bearer ${production.adminToken}`,
      });
      expect(corsHeaders(answer)).toEqual({});
    }
  });

  it('needs no token and spends neither rate limit', async () => {
    const limited = await TestGateway.start({
      limits: { rateLimitPerSecond: 1, rateLimitBurst: 1 },
    });
    try {
      for (let i = 0; i < 5; i++) {
        expect((await preflight(limited, '/graphql', 'http://localhost:5173')).status).toBe(204);
      }
      // The one call a caller may make, and the one refused token an address may send.
      const call = await post(limited, '/graphql', {
        authorization: `Bearer ${limited.adminToken}`,
      });
      expect(call.status).toBe(200);
      const refused = await post(limited, '/graphql', { authorization: 'Bearer nonsense' });
      expect(refused.status).toBe(401);
    } finally {
      await limited.stop();
    }
  });
});

describe('OPTIONS without Origin', () => {
  it.each(PATHS)('answers 204 on %s with the methods served and no CORS headers', async (path) => {
    const res = await fetch(`${gw.origin}${path}`, { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers.get('allow')).toBe('GET, POST, OPTIONS');
    expect(corsHeaders(res)).toEqual({});
  });
});

describe('answers to an allowed origin', () => {
  it.each(PATHS)('let the page read the data and the exposed headers on %s', async (path) => {
    const res = await post(gw, path, {
      origin: 'http://localhost:5173',
      authorization: `Bearer ${gw.adminToken}`,
    });
    expect(res.status).toBe(200);
    expect(corsHeaders(res)).toEqual({
      'access-control-allow-origin': 'http://localhost:5173',
      'access-control-expose-headers': 'request-id, idempotent-replayed, retry-after',
    });
    expect(res.headers.get('vary')).toBe('Origin');
    expect(await res.json()).toEqual({
      data: { meetings: { totalCount: 0 } },
      extensions: COSTED,
    });
  });

  it('carry the CORS headers on a GET query', async () => {
    const res = await fetch(
      `${gw.origin}/graphql?query=${encodeURIComponent('{ meetings { totalCount } }')}`,
      {
        headers: {
          origin: CONFIGURED,
          authorization: `Bearer ${gw.adminToken}`,
          'apollo-require-preflight': 'true',
        },
      },
    );
    expect(res.status).toBe(200);
    expect(corsHeaders(res)['access-control-allow-origin']).toBe(CONFIGURED);
  });

  it('carry the CORS headers on every refusal, so that the page can read it', async () => {
    const origin = 'http://127.0.0.1:3000';
    const token = `Bearer ${gw.adminToken}`;
    const limited = await TestGateway.start({
      limits: { rateLimitPerSecond: 1, rateLimitBurst: 1, maxBodyBytes: 1024 },
    });
    try {
      const limitedToken = `Bearer ${limited.adminToken}`;
      await post(limited, '/graphql', { origin, authorization: limitedToken });
      const refusals = [
        await post(gw, '/graphql', { origin }),
        await post(gw, '/subgraph', { origin, authorization: 'Bearer nonsense' }),
        await post(gw, '/graphql', { origin, authorization: token, 'request-id': 'not-a-uuid' }),
        await post(gw, '/graphql', { origin, authorization: token, 'content-type': 'text/plain' }),
        await fetch(`${gw.origin}/graphql`, { method: 'PUT', headers: { origin } }),
        await post(limited, '/graphql', { origin, authorization: limitedToken }),
      ];
      expect(refusals.map((res) => res.status)).toEqual([401, 401, 400, 415, 405, 429]);
      for (const res of refusals) {
        expect(res.headers.get('access-control-allow-origin')).toBe(origin);
        expect(res.headers.get('access-control-expose-headers')).toBe(
          'request-id, idempotent-replayed, retry-after',
        );
      }
      expect(refusals[5].headers.get('retry-after')).toMatch(/^\d+$/);
      const tooLarge = await post(
        limited,
        '/graphql',
        {
          origin,
          authorization: `Bearer ${await limited.token({ subject: 'another', admin: true })}`,
        },
        JSON.stringify({ query: `{ __typename }${' '.repeat(2048)}` }),
      );
      expect(tooLarge.status).toBe(413);
      expect(tooLarge.headers.get('access-control-allow-origin')).toBe(origin);
    } finally {
      await limited.stop();
    }
  });
});

describe('while the gateway stops', () => {
  it('passes a preflight and answers the request that follows 503 with the CORS headers', async () => {
    const stopping = await TestGateway.start();
    const opened: RawConnection[] = [];
    const connect = async () => {
      const connection = await RawConnection.open(stopping.origin);
      opened.push(connection);
      return connection;
    };
    const origin = 'http://localhost:5173';
    const headers = {
      Origin: origin,
      Authorization: `Bearer ${stopping.adminToken}`,
      'Content-Type': 'application/json',
    };
    try {
      // A request held half-sent keeps the stop waiting, and the idle connections open.
      const running = await connect();
      running.send(
        requestText('POST', '/graphql', {
          ...headers,
          'Content-Length': String(QUERY.length),
          Expect: '100-continue',
        }),
      );
      expect((await running.response()).status).toBe(100);
      const [forPreflight, forRequest] = [await connect(), await connect()];
      for (const idle of [forPreflight, forRequest]) {
        idle.request('GET', '/health/live');
        expect((await idle.response()).status).toBe(200);
      }

      const stopped = stopping.app.stop();
      forPreflight.request('OPTIONS', '/graphql', {
        Origin: origin,
        'Access-Control-Request-Method': 'POST',
      });
      forRequest.request('POST', '/graphql', headers, QUERY);
      const [passed, refused] = await Promise.all([forPreflight.response(), forRequest.response()]);
      expect(passed.status).toBe(204);
      expect(passed.headers['access-control-allow-origin']).toBe(origin);
      expect(passed.headers['access-control-allow-methods']).toBe('GET, POST');
      expect(refused.status).toBe(503);
      expect(refused.headers['access-control-allow-origin']).toBe(origin);

      running.send(QUERY);
      expect((await running.response()).status).toBe(200);
      await stopped;
    } finally {
      for (const connection of opened) connection.destroy();
      await stopping.stop();
    }
  });
});
