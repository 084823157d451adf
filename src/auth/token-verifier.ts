// jose's parts, not its index: the index loads every JWE and JWK module as well.
import type { JWTPayload, JWTVerifyGetKey } from 'jose';
import * as errors from 'jose/errors';
import { createRemoteJWKSet } from 'jose/jwks/remote';
import { jwtVerify } from 'jose/jwt/verify';
import { isUUID } from 'class-validator';
import type { AuthConfig } from '../config/auth-settings';
import type { Caller } from './caller';
import { isStorableText } from '../validation';
import { ADMIN_ROLE } from './tokens';

// What fetching a remote key set fails with: no answer, a bad answer, or no JOSE error at all.
const KEY_SET_FAILURES = new Set(['ERR_JOSE_GENERIC', 'ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID']);

function keySetUnavailable(error: unknown): boolean {
  return !(error instanceof errors.JOSEError) || KEY_SET_FAILURES.has(error.code);
}

/**
 * The classes of refusal a client is told (RFC 6750's `error_description`); the message of a
 * TokenRejected has the details, for the log only.
 */
export type RefusalReason =
  | 'missing'
  | 'not-bearer'
  | 'malformed'
  | 'too-long'
  | 'algorithm'
  | 'bad-signature'
  | 'unknown-key'
  | 'expired'
  | 'not-yet-valid'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'claims';

/** Why a token was refused: the reason class for the client, the message for the log. */
export class TokenRejected extends Error {
  override readonly name = 'TokenRejected';

  constructor(
    readonly reason: RefusalReason,
    message: string,
    /** The claim at fault, for reason `claims`: a name this gateway knows, never a value. */
    readonly claim?: string,
  ) {
    super(message);
  }
}

/** The reason class of an error jose raised while verifying a token. */
function reasonOf(error: errors.JOSEError): { reason: RefusalReason; claim?: string } {
  if (error instanceof errors.JWTExpired) return { reason: 'expired' };
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'check_failed') {
      if (error.claim === 'iss') return { reason: 'wrong-issuer' };
      if (error.claim === 'aud') return { reason: 'wrong-audience' };
      if (error.claim === 'nbf') return { reason: 'not-yet-valid' };
    }
    return { reason: 'claims', claim: error.claim };
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return { reason: 'bad-signature' };
  if (error instanceof errors.JOSEAlgNotAllowed) return { reason: 'algorithm' };
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys)
    return { reason: 'unknown-key' };
  return { reason: 'malformed' };
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

/** A verified token: who it names, and when it expires (its `exp`). */
export interface VerifiedToken {
  caller: Caller;
  expiresAt: Date;
}

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
    return (await this.verifySession(authorization)).caller;
  }

  /**
   * Verifies a token as `verify` does, and tells when it expires: a WebSocket connection opened with
   * it is closed then.
   */
  async verifySession(authorization: string | undefined): Promise<VerifiedToken> {
    if (authorization === undefined || authorization.trim() === '')
      throw new TokenRejected('missing', 'no Authorization header');
    if (!/^Bearer(\s|$)/i.test(authorization))
      throw new TokenRejected('not-bearer', 'Authorization is not a bearer token');
    const match = /^Bearer +([^\s]+)\s*$/i.exec(authorization);
    if (!match) throw new TokenRejected('malformed', 'Authorization: Bearer without one token');
    const token = match[1];
    if (token.length > MAX_TOKEN_LENGTH)
      throw new TokenRejected('too-long', `token longer than ${MAX_TOKEN_LENGTH} characters`);
    const now = this.clock();
    const seconds = now.getTime() / 1000;
    const known = this.verified.get(token);
    if (known) {
      if (
        seconds - CLOCK_TOLERANCE_SECONDS < known.exp &&
        seconds + CLOCK_TOLERANCE_SECONDS >= known.nbf
      )
        return { caller: known.caller, expiresAt: new Date(known.exp * 1000) };
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
      if (!(error instanceof errors.JOSEError)) throw new TokenRejected('malformed', String(error));
      const { reason, claim } = reasonOf(error);
      throw new TokenRejected(reason, `${error.code}: ${error.message}`, claim);
    }
    const caller = this.callerOf(payload);
    if (this.verified.size >= VERIFIED_CACHE_SIZE) {
      // The oldest entry goes first (a Map keeps insertion order).
      this.verified.delete(this.verified.keys().next().value!);
    }
    this.verified.set(token, { caller, exp: payload.exp!, nbf: payload.nbf ?? 0 });
    return { caller, expiresAt: new Date(payload.exp! * 1000) };
  }

  private callerOf(payload: JWTPayload): Caller {
    const { sub } = payload;
    if (typeof sub !== 'string' || sub.length === 0)
      throw new TokenRejected('claims', 'sub is missing', 'sub');
    // sub keys the caller's idempotency keys and name becomes createdByName: both are stored.
    if (sub.length > NAME_MAX_LENGTH || !isStorableText(sub)) {
      throw new TokenRejected(
        'claims',
        'sub is not text of at most 255 characters without control characters',
        'sub',
      );
    }
    const roles = payload.roles;
    if (
      roles !== undefined &&
      !(Array.isArray(roles) && roles.every((r) => typeof r === 'string'))
    ) {
      throw new TokenRejected('claims', 'roles is not a list of strings', 'roles');
    }
    const admin = Array.isArray(roles) && roles.includes(ADMIN_ROLE);
    const offices = payload[this.auth.officesClaim];
    if (offices === undefined && !admin)
      throw new TokenRejected(
        'claims',
        `${this.auth.officesClaim} claim is missing`,
        this.auth.officesClaim,
      );
    if (
      offices !== undefined &&
      !(Array.isArray(offices) && offices.every((o) => typeof o === 'string' && isUUID(o, 'loose')))
    ) {
      throw new TokenRejected(
        'claims',
        `${this.auth.officesClaim} claim is not a list of UUIDs`,
        this.auth.officesClaim,
      );
    }
    const name = payload.name;
    if (
      name !== undefined &&
      (typeof name !== 'string' || name.length > NAME_MAX_LENGTH || !isStorableText(name))
    ) {
      throw new TokenRejected(
        'claims',
        'name is not a string of at most 255 characters without control characters',
        'name',
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
