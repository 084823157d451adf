import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { getFrom, nonLoopbackAddress } from '../support/addresses';
import { TestGateway } from '../support/gateway';
import { COSTED } from '../support/cost';

let gw: TestGateway;
beforeAll(async () => {
  gw = await TestGateway.start();
});
afterAll(() => gw.stop());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function post(
  body: string,
  headers: Record<string, string> = { 'content-type': 'application/json' },
) {
  const res = await gw.fetch('/graphql', { method: 'POST', headers, body });
  return {
    res,
    json: (await res.json()) as { errors: { message: string; extensions: Record<string, any> }[] },
  };
}

describe('Request-ID', () => {
  it('echoes the Request-ID of the client on the response and in every error', async () => {
    const id = randomUUID();
    const res = await gw.gql(
      '{ meeting(meetingId: "7e57e57e-0000-4000-8000-000000000001") { meetingId } }',
      undefined,
      { 'Request-ID': id },
    );
    expect(res.headers.get('request-id')).toBe(id);
    expect(res.body.errors![0].extensions.requestId).toBe(id);
  });

  it('makes one when the request has none', async () => {
    const res = await gw.gql('{ __typename }');
    expect(res.headers.get('request-id')).toMatch(UUID);
  });

  it('echoes it on every kind of response', async () => {
    const id = randomUUID();
    for (const path of ['/health/live', '/health/ready', '/nowhere', '/graphiql/graphiql.css']) {
      const res = await gw.fetch(path, { headers: { 'Request-ID': id } });
      expect(res.headers.get('request-id')).toBe(id);
    }
  });

  it('refuses a malformed one with BAD_REQUEST_PARAMETERS, answered under a fresh id', async () => {
    const { res, json } = await post(JSON.stringify({ query: '{ __typename }' }), {
      'content-type': 'application/json',
      'Request-ID': 'not-a-uuid',
    });
    expect(res.status).toBe(400);
    const fresh = res.headers.get('request-id');
    expect(fresh).toMatch(UUID);
    expect(json).toEqual({
      errors: [
        {
          message: 'Invalid request parameters',
          extensions: {
            code: 'BAD_REQUEST_PARAMETERS',
            status: 400,
            description: 'Request parameters are missing or have invalid type.',
            errors: [
              {
                target: 'Request-ID',
                errorCode: 'INVALID_TYPE',
                message: 'Request-ID must be a UUID',
              },
            ],
            requestId: fresh,
          },
        },
      ],
    });
  });

  it('is on every log line of the request', async () => {
    const id = randomUUID();
    await gw.gql('{ meetings { totalCount } }', undefined, { 'Request-ID': id });
    const lines = gw.logs().filter((l) => l.requestId === id);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'request', method: 'POST', path: '/graphql', status: 200 }),
    );
  });
});

describe('POST /graphql', () => {
  it('answers a malformed JSON body with BAD_REQUEST_BODY, as JSON', async () => {
    const { res, json } = await post('{"query": "{ __typename }"');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(json.errors[0].extensions).toMatchObject({
      code: 'BAD_REQUEST_BODY',
      status: 400,
      errors: [{ target: 'body', errorCode: 'INVALID_TYPE' }],
    });
  });

  it.each([
    ['text/plain'],
    ['application/x-www-form-urlencoded'],
    ['multipart/form-data; boundary=x'],
  ])('answers Content-Type %s with UNSUPPORTED_MEDIA_TYPE (415)', async (type) => {
    const { res, json } = await post('query=%7B__typename%7D', { 'content-type': type });
    expect(res.status).toBe(415);
    expect(json.errors[0].extensions).toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      status: 415,
      requestId: res.headers.get('request-id'),
    });
  });

  it('answers a body without Content-Type with 415', async () => {
    const res = await gw.fetch('/graphql', {
      method: 'POST',
      body: new Uint8Array(Buffer.from('{}')),
    });
    expect(res.status).toBe(415);
  });

  it('accepts application/json with a charset', async () => {
    const { res } = await post(JSON.stringify({ query: '{ __typename }' }), {
      'content-type': 'application/json; charset=utf-8',
    });
    expect(res.status).toBe(200);
  });

  it('refuses a charset other than UTF-8 with 415', async () => {
    const { res, json } = await post(JSON.stringify({ query: '{ __typename }' }), {
      'content-type': 'application/json; charset=latin1',
    });
    expect(res.status).toBe(415);
    expect(json.errors[0]).toMatchObject({
      message: 'The request body must be UTF-8 JSON',
      extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' },
    });
  });

  it('takes a body compressed with gzip, deflate or br, and refuses other encodings with 415', async () => {
    const text = JSON.stringify({ query: '{ __typename }' });
    for (const [encoding, compress] of [
      ['gzip', gzipSync],
      ['deflate', deflateSync],
      ['br', brotliCompressSync],
    ] as const) {
      const res = await gw.fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': encoding },
        body: new Uint8Array(compress(text)),
      });
      expect(await res.json()).toEqual({ data: { __typename: 'Query' }, extensions: COSTED });
    }
    const { res, json } = await post(text, {
      'content-type': 'application/json',
      'content-encoding': 'compress',
    });
    expect(res.status).toBe(415);
    expect(json.errors[0].extensions).toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      errors: [{ target: 'Content-Encoding', errorCode: 'INVALID_VALUE' }],
    });
    const broken = await post('not gzip at all', {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(broken.res.status).toBe(400);
    expect(broken.json.errors[0].extensions.code).toBe('BAD_REQUEST_BODY');
  });

  it.each([['"a string"'], ['42'], ['null'], ['true']])(
    'answers a JSON body that is not an object (%s) with BAD_REQUEST_BODY',
    async (text) => {
      const { res, json } = await post(text);
      expect(res.status).toBe(400);
      expect(json.errors[0].extensions.code).toBe('BAD_REQUEST_BODY');
    },
  );

  it('keeps the codes of GraphQL syntax and validation errors, with the request id', async () => {
    const syntax = await gw.gql('{ meetings { ');
    expect(syntax.status).toBe(400);
    expect(syntax.body.errors![0].extensions).toEqual({
      code: 'GRAPHQL_PARSE_FAILED',
      requestId: syntax.headers.get('request-id'),
    });
    const unknown = await gw.gql('{ meetings { nope } }');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors![0].extensions).toEqual({
      code: 'GRAPHQL_VALIDATION_FAILED',
      requestId: unknown.headers.get('request-id'),
    });
  });

  it('does not take batched operations', async () => {
    const { res, json } = await post(
      JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    );
    expect(res.status).toBe(400);
    expect(json.errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('answers other methods with 405', async () => {
    const res = await gw.fetch('/graphql', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, POST, OPTIONS');
    expect(
      ((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions
        .code,
    ).toBe('METHOD_NOT_ALLOWED');
  });
});

describe('GET /graphql', () => {
  it('runs a query from the URL', async () => {
    const res = await gw.fetch(
      `/graphql?query=${encodeURIComponent('{ meetings { totalCount } }')}`,
      {
        headers: { 'apollo-require-preflight': 'true' },
      },
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { meetings: { totalCount: 0 } }, extensions: COSTED });
  });

  it('refuses a mutation with 405', async () => {
    const q = encodeURIComponent(
      'mutation { deleteMeeting(meetingId: "7e57e57e-0000-4000-8000-000000000001") { meetingId } }',
    );
    const res = await gw.fetch(`/graphql?query=${q}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(res.status).toBe(405);
    expect(
      ((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions
        .code,
    ).toBe('BAD_REQUEST');
  });

  it('opens GraphiQL for a browser, with every asset served by the gateway itself', async () => {
    const res = await gw.fetch('/graphql', {
      headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toContain('<div id="graphiql">');
    expect(html).not.toMatch(/https?:\/\//);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets).toEqual([
      '/favicon.ico',
      '/graphiql/graphiql.css',
      '/graphiql/react.js',
      '/graphiql/react-dom.js',
      '/graphiql/graphiql.js',
      '/graphiql/init.js',
    ]);
    for (const asset of assets) {
      const file = await gw.fetch(asset);
      expect(file.status).toBe(200);
      expect(file.headers.get('content-type')).toMatch(
        asset.endsWith('.css')
          ? /^text\/css/
          : asset.endsWith('.ico')
            ? /^image\/x-icon/
            : /^text\/javascript/,
      );
      expect((await file.arrayBuffer()).byteLength).toBeGreaterThan(100);
    }
    const init = await (await gw.fetch('/graphiql/init.js')).text();
    expect(init).toContain('GraphiQL.createFetcher');
    expect(init).toContain('meetings(filter');
  });

  it('answers JSON, not the page, to a client that asks for JSON', async () => {
    const res = await gw.fetch('/graphql', { headers: { accept: 'application/json' } });
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  });
});

describe('the way in for a new user', () => {
  it('redirects GET / to /graphql', async () => {
    const res = await gw.fetch('/', { redirect: 'manual' });
    expect([res.status, res.headers.get('location')]).toEqual([302, '/graphql']);
  });

  it('opens GraphiQL at / in a browser that follows the redirect', async () => {
    const res = await gw.fetch('/', { headers: { accept: 'text/html' } });
    expect([res.status, res.url]).toEqual([200, `${gw.origin}/graphql`]);
    expect(await res.text()).toContain('<div id="graphiql">');
  });

  it('serves /favicon.ico: a cached icon, not a 404', async () => {
    const res = await gw.fetch('/favicon.ico');
    expect([res.status, res.headers.get('content-type')]).toEqual([200, 'image/x-icon']);
    expect(res.headers.get('cache-control')).toBe('public, max-age=86400');
    const icon = Buffer.from(await res.arrayBuffer());
    // An ICO header (reserved 0, type 1, one image) and the PNG it holds.
    expect([...icon.subarray(0, 6)]).toEqual([0, 0, 1, 0, 1, 0]);
    expect(icon.subarray(22, 26).toString('latin1')).toBe('\x89PNG');
  });
});

describe('health', () => {
  it('is live and ready while the database answers', async () => {
    const live = await gw.fetch('/health/live');
    expect([live.status, await live.json()]).toEqual([200, { status: 'live' }]);
    const ready = await gw.fetch('/health/ready');
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready' }]);
  });
});

describe('unknown paths', () => {
  it('answer a path that does not decode with 400, as JSON', async () => {
    const res = await gw.fetch('/graphiql/%E0%A4%A');
    expect(res.status).toBe(400);
    expect(
      ((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions
        .code,
    ).toBe('BAD_REQUEST_PARAMETERS');
  });

  it('get a 404 in the error shape, not an HTML page', async () => {
    const res = await gw.fetch('/admin');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(
      ((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions
        .code,
    ).toBe('NOT_FOUND');
  });
});

describe('first run without JWT settings', () => {
  it('fills GraphiQL with an admin token of this run, which the gateway accepts', async () => {
    const dev = await TestGateway.start({
      auth: {
        keys: { kind: 'secret', secret: new Uint8Array(32).fill(7), generated: true },
        issuer: 'dev',
        audience: 'dev',
        officesClaim: 'offices',
      },
    });
    try {
      const token = dev.app.developmentToken!;
      expect(token).toMatch(/^ey/);
      const init = await (await fetch(`${dev.origin}/graphiql/init.js`)).text();
      expect(init).toContain(`Bearer ${token}`);
      const res = await fetch(dev.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ meetings { totalCount } }' }),
      });
      expect(res.status).toBe(200);
    } finally {
      await dev.stop();
    }
  });

  describe('listening on every address', () => {
    let dev: TestGateway;
    let port: number;
    let other: { address: string; release: () => void };
    beforeAll(async () => {
      other = nonLoopbackAddress();
      dev = await TestGateway.start({
        host: '0.0.0.0',
        auth: {
          keys: { kind: 'secret', secret: new Uint8Array(32).fill(9), generated: true },
          issuer: 'dev',
          audience: 'dev',
          officesClaim: 'offices',
        },
      });
      port = (dev.app.server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      await dev?.stop();
      other?.release();
    });

    it('fills the token in for a browser on a loopback address', async () => {
      const init = await getFrom('127.0.0.1', '127.0.0.1', port, '/graphiql/init.js');
      expect(init.status).toBe(200);
      expect(init.headers['cache-control']).toBe('no-store');
      expect(init.text).toContain(`Bearer ${dev.app.developmentToken!}`);
    });

    it('keeps the token from a caller on another address, whatever it forwards', async () => {
      const init = await getFrom(other.address, other.address, port, '/graphiql/init.js', {
        'x-forwarded-for': '127.0.0.1',
        forwarded: 'for=127.0.0.1',
      });
      expect(init.status).toBe(200);
      expect(init.headers['cache-control']).toBe('no-store');
      expect(init.text).not.toContain(dev.app.developmentToken!);
      expect(init.text).not.toMatch(/Bearer ey/);
      expect(init.text).toContain('Bearer <token>');
      expect(init.text).toContain("filled in only for browsers on the\\n# gateway's own machine");
    });
  });

  it('has no token in GraphiQL when JWT settings are given', async () => {
    expect(gw.app.developmentToken).toBeUndefined();
    const init = await (await gw.fetch('/graphiql/init.js')).text();
    expect(init).toContain('Bearer <token>');
  });
});
