import { type JWTPayload, type JWTVerifyGetKey, createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { isUUID } from 'class-validator';
import type { AuthConfig } from '../config';
import type { Caller } from './caller';
import { isStorableText } from '../validation';
import { ADMIN_ROLE } from './tokens';

// What fetching a remote key set fails with: no answer, a bad answer, or no JOSE error at all.
const KEY_SET_FAILURES = new Set(['ERR_JOSE_GENERIC', 'ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID']);

function keySetUnavailable(error: unknown): boolean {
  return !(error instanceof errors.JOSEError) || KEY_SET_FAILURES.has(error.code);
}

/** Why a token was refused: for the log only; the client always gets the same answer. */
export class TokenRejected extends Error {
  override readonly name = 'TokenRejected';
}

/** The remote key set could not be fetched: not the caller's fault. */
export class KeySetUnavailable extends Error {
  override readonly name = 'KeySetUnavailable';
}

// A real token is a few hundred bytes; a huge one is refused before any cryptography.
const MAX_TOKEN_LENGTH = 4096;
const CLOCK_TOLERANCE_SECONDS = 30;
const NAME_MAX_LENGTH = 255;

const VERIFIED_CACHE_SIZE = 10_000;

/**
 * Verifies `Authorization: Bearer <JWT>`: signature with the pinned algorithms, issuer, audience,
 * expiry (required) and not-before, with 30 s of clock tolerance; then the claims this gateway needs.
 */

export class TokenVerifier {
  private readonly key: Uint8Array | JWTVerifyGetKey;
  private readonly algorithms: string[];
  /** Tokens already verified, with their caller, until they expire: a client sends the same token
   * on every request, and verifying it anew is most of a small request's cost. */
  private readonly verified = new Map<string, { caller: Caller; exp: number; nbf: number }>();

  constructor(
    private readonly auth: AuthConfig,
    private readonly clock: () => Date = () => new Date(),
  ) {
    if (auth.keys.kind === 'secret') {
      this.key = auth.keys.secret;
      this.algorithms = ['HS256'];
    } else {
      // jose caches the key set and refetches it at most every 30 s when an unknown key id comes.
      this.key = createRemoteJWKSet(auth.keys.url);
      this.algorithms = ['RS256', 'ES256'];
    }
  }

  async verify(authorization: string | undefined): Promise<Caller> {
    if (authorization === undefined) throw new TokenRejected('no Authorization header');
    const match = /^Bearer +([^\s]+)\s*$/i.exec(authorization);
    if (!match) throw new TokenRejected('Authorization is not a bearer token');
    const token = match[1];
    if (token.length > MAX_TOKEN_LENGTH)
      throw new TokenRejected(`token longer than ${MAX_TOKEN_LENGTH} characters`);
    const now = this.clock();
    const seconds = now.getTime() / 1000;
    const known = this.verified.get(token);
    if (known) {
      if (
        seconds - CLOCK_TOLERANCE_SECONDS < known.exp &&
        seconds + CLOCK_TOLERANCE_SECONDS >= known.nbf
      )
        return known.caller;
      this.verified.delete(token);
    }

    let payload: JWTPayload;
    try {
      const options = {
        algorithms: this.algorithms,
        issuer: this.auth.issuer,
        audience: this.auth.audience,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'sub'],
        currentDate: now,
      };
      payload =
        this.key instanceof Uint8Array
          ? (await jwtVerify(token, this.key, options)).payload
          : (await jwtVerify(token, this.key, options)).payload;
    } catch (error) {
      // A key set that cannot be fetched is not the caller's fault.
      if (!(this.key instanceof Uint8Array) && keySetUnavailable(error)) {
        throw new KeySetUnavailable(
          error instanceof Error ? error.message : 'key set unavailable',
          {
            cause: error,
          },
        );
      }
      throw new TokenRejected(
        error instanceof errors.JOSEError ? `${error.code}: ${error.message}` : String(error),
      );
    }
    const caller = this.callerOf(payload);
    if (this.verified.size >= VERIFIED_CACHE_SIZE) {
      // The oldest entry goes first (a Map keeps insertion order).
      this.verified.delete(this.verified.keys().next().value!);
    }
    this.verified.set(token, { caller, exp: payload.exp!, nbf: payload.nbf ?? 0 });
    return caller;
  }

  private callerOf(payload: JWTPayload): Caller {
    const { sub } = payload;
    if (typeof sub !== 'string' || sub.length === 0) throw new TokenRejected('sub is missing');
    // sub keys the caller's idempotency keys and name becomes createdByName: both are stored.
    if (sub.length > NAME_MAX_LENGTH || !isStorableText(sub)) {
      throw new TokenRejected(
        'sub is not text of at most 255 characters without control characters',
      );
    }
    const roles = payload.roles;
    if (
      roles !== undefined &&
      !(Array.isArray(roles) && roles.every((r) => typeof r === 'string'))
    ) {
      throw new TokenRejected('roles is not a list of strings');
    }
    const admin = Array.isArray(roles) && roles.includes(ADMIN_ROLE);
    const offices = payload[this.auth.officesClaim];
    if (offices === undefined && !admin)
      throw new TokenRejected(`${this.auth.officesClaim} claim is missing`);
    if (
      offices !== undefined &&
      !(Array.isArray(offices) && offices.every((o) => typeof o === 'string' && isUUID(o, 'loose')))
    ) {
      throw new TokenRejected(`${this.auth.officesClaim} claim is not a list of UUIDs`);
    }
    const name = payload.name;
    if (
      name !== undefined &&
      (typeof name !== 'string' || name.length > NAME_MAX_LENGTH || !isStorableText(name))
    ) {
      throw new TokenRejected(
        'name is not a string of at most 255 characters without control characters',
      );
    }
    return {
      subject: sub,
      name: typeof name === 'string' && name.trim() !== '' ? name.trim() : null,
      offices: ((offices as string[] | undefined) ?? []).map((o) => o.toLowerCase()),
      admin,
    };
  }
}
