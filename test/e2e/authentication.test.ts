import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { OFFICE_A } from '../support/fixtures';
import { TEST_AUDIENCE, TEST_ISSUER, TEST_SECRET, TestGateway } from '../support/gateway';

const QUERY = '{ meetings { totalCount } }';
const secret = new TextEncoder().encode(TEST_SECRET);
// The gateways of this file check tokens against this time, not the real one, so that a token
// minted relative to it is exactly as old as its test says (JWT times are whole seconds).
const NOW = new Date('2026-05-04T09:30:00.000Z');
const now = () => NOW.getTime() / 1000;
const IN_AN_HOUR = now() + 3600;

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

async function signed(
  claims: Record<string, unknown>,
  options: { key?: Uint8Array } = {},
): Promise<string> {
  const jwt = new SignJWT({ offices: [OFFICE_A], ...claims }).setProtectedHeader({ alg: 'HS256' });
  if (!('sub' in claims)) jwt.setSubject('agent-1');
  if (!('iss' in claims)) jwt.setIssuer(TEST_ISSUER);
  if (!('aud' in claims)) jwt.setAudience(TEST_AUDIENCE);
  if (!('exp' in claims)) jwt.setExpirationTime(IN_AN_HOUR);
  const token = await jwt.sign(options.key ?? secret);
  return token;
}

describe('authentication', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await TestGateway.start({ tokenNow: () => NOW });
  });
  afterAll(() => gw.stop());

  const CHALLENGE = 'Bearer realm="meetings-gateway"';

  /**
   * Sends `authorization` and expects the 401 of the contract: the reason in the message, the
   * challenge (with RFC 6750's error where a bearer token was sent), and no token in the log.
   */
  async function expectRefused(
    authorization: string | undefined,
    reason: string,
    challenge = `${CHALLENGE}, error="invalid_token", error_description="${reason}"`,
  ): Promise<void> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (authorization !== undefined) headers.authorization = authorization;
    let res!: Response;
    const statements = await gw.countStatements(async () => {
      res = await fetch(gw.url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query: QUERY }),
      });
    });
    expect(statements).toBe(0);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(challenge);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({
      errors: [
        {
          message: reason,
          extensions: {
            code: 'UNAUTHORIZED',
            status: 401,
            description: 'Credentials are missing, invalid or insufficient.',
            errors: [{ target: 'Authorization', errorCode: 'UNAUTHORIZED', message: reason }],
            requestId: res.headers.get('request-id'),
          },
        },
      ],
    });
    if (authorization) {
      const token = authorization.replace(/^\S+\s+/, '');
      // Neither the answer nor the log repeats the token, or any of its parts.
      for (const part of token.split('.').filter((p) => p.length > 10)) {
        expect(text).not.toContain(part);
        expect(res.headers.get('www-authenticate')).not.toContain(part);
        expect(gw.logLines.join('\n')).not.toContain(part);
      }
    }
  }

  const MALFORMED = 'The bearer token is malformed: it is not a signed JWT in compact form';
  const BAD_SIGNATURE = 'The bearer token has a bad signature';
  const ALGORITHM = 'The bearer token is signed with an algorithm the gateway does not accept';
  const claim = (name: string) => `The bearer token has a missing or invalid ${name} claim`;

  it('accepts a valid token', async () => {
    const res = await gw.gql(QUERY, undefined, { authorization: `Bearer ${await signed({})}` });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ meetings: { totalCount: 0 } });
  });

  it('accepts a token expired 29 s ago, within the 30 s clock tolerance', async () => {
    const res = await gw.gql(QUERY, undefined, {
      authorization: `Bearer ${await signed({ exp: now() - 29 })}`,
    });
    expect(res.status).toBe(200);
  });

  it('accepts a token whose nbf is 30 s ahead, within the clock tolerance', async () => {
    const res = await gw.gql(QUERY, undefined, {
      authorization: `Bearer ${await signed({ nbf: now() + 30 })}`,
    });
    expect(res.status).toBe(200);
  });

  it('refuses a request without Authorization with the bare challenge (RFC 6750 §3.1)', () =>
    expectRefused(
      undefined,
      'No bearer token was sent: send Authorization: Bearer <token>',
      CHALLENGE,
    ));
  it('refuses another scheme with the bare challenge', async () =>
    expectRefused(
      `Basic ${Buffer.from('a:b').toString('base64')}`,
      'Authorization must use the Bearer scheme: send Authorization: Bearer <token>',
      CHALLENGE,
    ));
  it('refuses Bearer without a token as malformed', () => expectRefused('Bearer', MALFORMED));
  it('refuses two tokens as malformed', async () =>
    expectRefused(`Bearer ${await signed({})} ${await signed({})}`, MALFORMED));
  it('refuses alg: none', async () =>
    expectRefused(
      `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'x', iss: TEST_ISSUER, aud: TEST_AUDIENCE, exp: IN_AN_HOUR, offices: [OFFICE_A] })}.`,
      ALGORITHM,
    ));
  it('refuses HS256 signed with the wrong secret', async () =>
    expectRefused(
      `Bearer ${await signed({}, { key: new TextEncoder().encode('another-secret-of-32-bytes-or-more!') })}`,
      BAD_SIGNATURE,
    ));
  it('refuses a token with one flipped bit', async () => {
    const token = await signed({});
    const [h, p, s] = token.split('.');
    const payload = Buffer.from(p, 'base64url');
    payload[5] ^= 0x01;
    await expectRefused(`Bearer ${h}.${payload.toString('base64url')}.${s}`, BAD_SIGNATURE);
  });
  it('refuses a token expired 30 s ago', async () =>
    expectRefused(`Bearer ${await signed({ exp: now() - 30 })}`, 'The bearer token has expired'));
  it('refuses a token whose nbf is 31 s ahead', async () =>
    expectRefused(
      `Bearer ${await signed({ nbf: now() + 31 })}`,
      'The bearer token is not valid yet (its nbf is in the future)',
    ));
  it('refuses a token without exp', async () => {
    const token = await new SignJWT({ offices: [OFFICE_A] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('agent-1')
      .setIssuer(TEST_ISSUER)
      .setAudience(TEST_AUDIENCE)
      .sign(secret);
    await expectRefused(`Bearer ${token}`, claim('exp'));
  });
  it('refuses a wrong issuer', async () =>
    expectRefused(
      `Bearer ${await signed({ iss: 'https://evil.example/' })}`,
      'The bearer token has the wrong issuer (iss)',
    ));
  it('refuses a wrong audience', async () =>
    expectRefused(
      `Bearer ${await signed({ aud: 'another-api' })}`,
      'The bearer token has the wrong audience (aud)',
    ));
  it('refuses a token without sub', async () =>
    expectRefused(`Bearer ${await signed({ sub: undefined })}`, claim('sub')));
  it('refuses a token without the offices claim', async () =>
    expectRefused(`Bearer ${await signed({ offices: undefined })}`, claim('offices')));
  it('refuses offices that are not UUIDs', async () =>
    expectRefused(`Bearer ${await signed({ offices: ['office-1'] })}`, claim('offices')));
  it('refuses a name with a NUL, which would be stored as createdByName', async () =>
    expectRefused(`Bearer ${await signed({ name: 'Maria\u0000Mäkinen' })}`, claim('name')));
  it('refuses a sub longer than 255 characters, which keys idempotency keys', async () =>
    expectRefused(`Bearer ${await signed({ sub: 'a'.repeat(256) })}`, claim('sub')));
  it('refuses malformed base64', async () =>
    expectRefused('Bearer e$J0eX@.eyJzdWIi%.c2ln', MALFORMED));
  it('refuses a token of two parts', async () =>
    expectRefused(`Bearer ${(await signed({})).split('.').slice(0, 2).join('.')}`, MALFORMED));
  it('refuses an 8 KiB token', async () =>
    expectRefused(
      `Bearer ${await signed({ pad: 'x'.repeat(8 * 1024) })}`,
      'The bearer token is malformed: it is longer than 4096 characters',
    ));
  it('refuses an RS256 token where HS256 is pinned', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const token = await new SignJWT({ offices: [OFFICE_A] })
      .setProtectedHeader({ alg: 'RS256' })
      .setSubject('agent-1')
      .setIssuer(TEST_ISSUER)
      .setAudience(TEST_AUDIENCE)
      .setExpirationTime(IN_AN_HOUR)
      .sign(privateKey);
    await expectRefused(`Bearer ${token}`, ALGORITHM);
  });

  it('does not guard GraphiQL and the health checks', async () => {
    const page = await fetch(gw.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect((await fetch(`${gw.origin}/health/ready`)).status).toBe(200);
  });
});

describe('authentication with a remote key set (JWKS)', () => {
  let gw: TestGateway;
  let jwks: http.Server;
  let keys: {
    privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
    publicJwk: Record<string, unknown>;
  };
  let up = true;

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    keys = {
      privateKey: pair.privateKey,
      publicJwk: { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' },
    };
    jwks = http.createServer((_req, res) => {
      if (!up) {
        res.statusCode = 503;
        res.end();
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [keys.publicJwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const url = new URL(
      `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`,
    );
    gw = await TestGateway.start({
      tokenNow: () => NOW,
      auth: {
        keys: { kind: 'jwks', url },
        issuer: TEST_ISSUER,
        audience: TEST_AUDIENCE,
        officesClaim: 'offices',
      },
    });
  });
  afterAll(async () => {
    await gw.stop();
    await new Promise((resolve) => jwks.close(resolve));
  });

  const es256 = () =>
    new SignJWT({ offices: [OFFICE_A], name: 'Remote Agent' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setSubject('remote-agent')
      .setIssuer(TEST_ISSUER)
      .setAudience(TEST_AUDIENCE)
      .setExpirationTime(IN_AN_HOUR)
      .sign(keys.privateKey);

  it('accepts an ES256 token signed by a key of the set', async () => {
    const res = await gw.gql(QUERY, undefined, { authorization: `Bearer ${await es256()}` });
    expect(res.status).toBe(200);
  });

  it('refuses an HS256 token where RS256 and ES256 are pinned', async () => {
    const res = await gw.gql(QUERY, undefined, { authorization: `Bearer ${await signed({})}` });
    expect(res.status).toBe(401);
    expect(res.body.errors![0].message).toBe(
      'The bearer token is signed with an algorithm the gateway does not accept',
    );
  });

  it('refuses a token signed by a key the set does not have, saying so', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const token = await new SignJWT({ offices: [OFFICE_A] })
      .setProtectedHeader({ alg: 'ES256', kid: 'k2' })
      .setSubject('remote-agent')
      .setIssuer(TEST_ISSUER)
      .setAudience(TEST_AUDIENCE)
      .setExpirationTime(IN_AN_HOUR)
      .sign(privateKey);
    const res = await gw.gql(QUERY, undefined, { authorization: `Bearer ${token}` });
    const reason = 'The bearer token is signed with a key the gateway does not know';
    expect([res.status, res.body.errors![0].message]).toEqual([401, reason]);
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer realm="meetings-gateway", error="invalid_token", error_description="${reason}"`,
    );
  });

  it('answers 503 SERVICE_UNAVAILABLE while the key set cannot be fetched, and recovers', async () => {
    up = false;
    const other = await TestGateway.start({
      tokenNow: () => NOW,
      auth: {
        keys: {
          kind: 'jwks',
          url: new URL(`http://127.0.0.1:${(jwks.address() as AddressInfo).port}/other.json`),
        },
        issuer: TEST_ISSUER,
        audience: TEST_AUDIENCE,
        officesClaim: 'offices',
      },
    });
    try {
      const token = await es256();
      const down = await other.gql(QUERY, undefined, { authorization: `Bearer ${token}` });
      expect(down.status).toBe(503);
      expect(down.body.errors![0].extensions).toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
        status: 503,
      });
      up = true;
      const back = await other.gql(QUERY, undefined, { authorization: `Bearer ${token}` });
      expect(back.status).toBe(200);
    } finally {
      up = true;
      await other.stop();
    }
  });
});
