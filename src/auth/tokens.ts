import { SignJWT } from 'jose/jwt/sign';
import type { AuthConfig } from '../config/auth-settings';

export interface TokenClaims {
  subject: string;
  name?: string;
  offices?: string[];
  admin?: boolean;
  /** Lifetime in seconds; 8 hours by default. */
  ttlSeconds?: number;
  /** When the token is issued, and its lifetime starts; now by default. */
  issuedAt?: Date;
}

export const ADMIN_ROLE = 'admin';

/** Mints an HS256 token the gateway accepts: for the first-run token, `npm run token` and tests. */
export async function mintToken(auth: AuthConfig, claims: TokenClaims): Promise<string> {
  if (auth.keys.kind !== 'secret') throw new Error('Tokens can only be minted with JWT_SECRET');
  const payload: Record<string, unknown> = {};
  if (claims.name !== undefined) payload.name = claims.name;
  if (claims.offices !== undefined) payload[auth.officesClaim] = claims.offices;
  if (claims.admin) payload.roles = [ADMIN_ROLE];
  const issuedAt = claims.issuedAt ?? new Date();
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.subject)
    .setIssuer(auth.issuer)
    .setAudience(auth.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(new Date(issuedAt.getTime() + (claims.ttlSeconds ?? 8 * 3600) * 1000))
    .sign(auth.keys.secret);
}
