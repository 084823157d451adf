/** JWT settings: a shared secret or a JWKS URL, with issuer, audience and the offices claim. */
import { randomBytes } from 'node:crypto';
import { type Env, given } from './setting-values';

/** How bearer tokens are verified. */
export interface AuthConfig {
  keys:
    | {
        kind: 'secret';
        secret: Uint8Array;
        /** made at start: no JWT setting was given */ generated: boolean;
      }
    | { kind: 'jwks'; url: URL };
  issuer: string;
  audience: string;
  /** The claim that lists the agency offices a caller may access. */
  officesClaim: string;
}

const MIN_SECRET_BYTES = 32;
/** Issuer and audience of the tokens the gateway mints for itself when no JWT setting is given. */
export const DEVELOPMENT_TOKEN_PARTY = 'meetings-gateway-development';

export function parseAuth(
  env: Env,
  production: boolean,
  officesClaim: string,
  problems: string[],
): AuthConfig | undefined {
  const secret = env.JWT_SECRET === undefined || env.JWT_SECRET === '' ? undefined : env.JWT_SECRET;
  const jwksUrl = given(env, 'JWT_JWKS_URL');
  const issuer = given(env, 'JWT_ISSUER');
  const audience = given(env, 'JWT_AUDIENCE');
  if (secret === undefined && jwksUrl === undefined) {
    if (production) {
      problems.push(
        'JWT_SECRET (HS256, at least 32 bytes) or JWT_JWKS_URL must be set in production, with JWT_ISSUER and JWT_AUDIENCE',
      );
      return undefined;
    }
    // A first run stays easy: a random secret for this process, and a token printed at start.
    return {
      keys: { kind: 'secret', secret: randomBytes(32), generated: true },
      issuer: issuer ?? DEVELOPMENT_TOKEN_PARTY,
      audience: audience ?? DEVELOPMENT_TOKEN_PARTY,
      officesClaim,
    };
  }
  if (secret !== undefined && jwksUrl !== undefined) {
    problems.push('JWT_SECRET and JWT_JWKS_URL: set one of them, not both');
  }
  if (secret !== undefined && Buffer.byteLength(secret, 'utf8') < MIN_SECRET_BYTES) {
    problems.push(`JWT_SECRET must be at least ${MIN_SECRET_BYTES} bytes long`);
  }
  let url: URL | undefined;
  if (jwksUrl !== undefined) {
    try {
      url = new URL(jwksUrl);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http');
    } catch {
      problems.push(`JWT_JWKS_URL must be an http(s) URL (got "${jwksUrl}")`);
    }
  }
  if (issuer === undefined) problems.push('JWT_ISSUER must be set with JWT_SECRET or JWT_JWKS_URL');
  if (audience === undefined)
    problems.push('JWT_AUDIENCE must be set with JWT_SECRET or JWT_JWKS_URL');
  if (issuer === undefined || audience === undefined) return undefined;
  const keys: AuthConfig['keys'] =
    secret !== undefined
      ? { kind: 'secret', secret: new TextEncoder().encode(secret), generated: false }
      : { kind: 'jwks', url: url ?? new URL('http://invalid') };
  return { keys, issuer, audience, officesClaim };
}
