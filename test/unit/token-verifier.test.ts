import type { AuthConfig } from '../../src/config/auth-settings';
import { TokenRejected, TokenVerifier } from '../../src/auth/token-verifier';
import { mintToken } from '../../src/auth/tokens';

const auth: AuthConfig = {
  keys: {
    kind: 'secret',
    secret: new TextEncoder().encode('unit-test-secret-of-at-least-32-bytes'),
    generated: false,
  },
  issuer: 'https://issuer.test/',
  audience: 'meetings-gateway-test',
  officesClaim: 'offices',
};

describe('TokenVerifier', () => {
  it('answers a token it has verified from memory, and refuses it once it has expired', async () => {
    const issuedAt = new Date('2026-05-04T09:30:00.000Z');
    let now = issuedAt;
    const verifier = new TokenVerifier(auth, () => now);
    const token = await mintToken(auth, {
      subject: 'agent',
      admin: true,
      ttlSeconds: 60,
      issuedAt,
    });
    const first = await verifier.verify(`Bearer ${token}`);
    expect(first).toMatchObject({ subject: 'agent', admin: true });
    // The last moment within exp and the 30 s of clock tolerance: still the remembered answer.
    now = new Date(issuedAt.getTime() + 89_999);
    expect(await verifier.verify(`Bearer ${token}`)).toBe(first);

    // At exp and the 30 s of clock tolerance: the remembered answer no longer holds.
    now = new Date(issuedAt.getTime() + 90_000);
    await expect(verifier.verify(`Bearer ${token}`)).rejects.toBeInstanceOf(TokenRejected);
    await expect(verifier.verify(`Bearer ${token}`)).rejects.toBeInstanceOf(TokenRejected);
  });

  it('never remembers a refused token', async () => {
    const verifier = new TokenVerifier(auth);
    const token = await mintToken(auth, { subject: 'agent', admin: true });
    const forged = `${token.slice(0, -2)}xx`;
    await expect(verifier.verify(`Bearer ${forged}`)).rejects.toBeInstanceOf(TokenRejected);
    await expect(verifier.verify(`Bearer ${forged}`)).rejects.toBeInstanceOf(TokenRejected);
    await expect(verifier.verify(`Bearer ${token}`)).resolves.toMatchObject({ subject: 'agent' });
  });
});

describe('the claims a token carries into storage', () => {
  it.each([
    ['a sub with a NUL', { subject: 'agent\u0000x' }],
    ['a sub of 256 characters', { subject: 'a'.repeat(256) }],
    ['a name with a control character', { subject: 'agent', name: 'Maria\u0007' }],
    ['a name with a lone surrogate', { subject: 'agent', name: 'Maria \ud800' }],
  ])('refuses %s', async (_what, claims) => {
    const verifier = new TokenVerifier(auth);
    const token = await mintToken(auth, { ...claims, admin: true });
    await expect(verifier.verify(`Bearer ${token}`)).rejects.toBeInstanceOf(TokenRejected);
  });

  it('takes a name with tabs and line breaks', async () => {
    const verifier = new TokenVerifier(auth);
    const token = await mintToken(auth, { subject: 'agent', name: 'Maria\tMäkinen', admin: true });
    await expect(verifier.verify(`Bearer ${token}`)).resolves.toMatchObject({
      name: 'Maria\tMäkinen',
    });
  });
});
