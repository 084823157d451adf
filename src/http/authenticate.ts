import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Caller } from '../auth/caller';
import {
  KeySetUnavailable,
  type RefusalReason,
  TokenRejected,
  type TokenVerifier,
} from '../auth/token-verifier';
import { AppError } from '../errors';
import type { RateLimit } from '../limits/rate-limit';
import type { Logger } from '../logger';

const REALM = 'meetings-gateway';

// What the client is told: the class of the failure, never the token or a value from it. Each is
// plain ASCII without quotes or backslashes, as RFC 6750 allows in error_description.
const DESCRIPTIONS: Record<Exclude<RefusalReason, 'claims'>, string> = {
  missing: 'No bearer token was sent: send Authorization: Bearer <token>',
  'not-bearer': 'Authorization must use the Bearer scheme: send Authorization: Bearer <token>',
  malformed: 'The bearer token is malformed: it is not a signed JWT in compact form',
  'too-long': 'The bearer token is malformed: it is longer than 4096 characters',
  algorithm: 'The bearer token is signed with an algorithm the gateway does not accept',
  'bad-signature': 'The bearer token has a bad signature',
  'unknown-key': 'The bearer token is signed with a key the gateway does not know',
  expired: 'The bearer token has expired',
  'not-yet-valid': 'The bearer token is not valid yet (its nbf is in the future)',
  'wrong-issuer': 'The bearer token has the wrong issuer (iss)',
  'wrong-audience': 'The bearer token has the wrong audience (aud)',
};

/** The sentence a refused token is answered with: the class of the failure, nothing of the token. */
export function refusalDescription(refusal: TokenRejected): string {
  if (refusal.reason === 'claims') {
    return `The bearer token has a missing or invalid ${refusal.claim ?? 'required'} claim`;
  }
  return DESCRIPTIONS[refusal.reason];
}

/**
 * The WWW-Authenticate challenge of a refusal (RFC 6750 §3): an error code only where a bearer
 * token was sent; a request without one, or with another scheme, gets the bare challenge.
 */
export function bearerChallenge(refusal: TokenRejected): string {
  const challenge = `Bearer realm="${REALM}"`;
  if (refusal.reason === 'missing' || refusal.reason === 'not-bearer') return challenge;
  // A configured claim name could hold a quote: the parameter keeps to RFC 6750's characters.
  const description = refusalDescription(refusal).replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '?');
  return `${challenge}, error="invalid_token", error_description="${description}"`;
}

/**
 * Every GraphQL request needs a valid bearer token: resolves to the caller it names, or to the
 * refusal to answer with (401 before any resolver runs, naming the class of the failure). The
 * details go to the log, the token never does. Refused tokens spend from a per-address bucket.
 */
export function authenticate(verifier: TokenVerifier, logger: Logger, failures: RateLimit) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<Caller | AppError> => {
    try {
      return await verifier.verify(req.headers.authorization);
    } catch (error) {
      if (error instanceof KeySetUnavailable) {
        logger.warn({ reason: error.message }, 'token keys unavailable');
        return new AppError('SERVICE_UNAVAILABLE', 'Tokens cannot be checked right now');
      }
      if (!(error instanceof TokenRejected)) throw error;
      logger.info({ reason: error.message }, 'bearer token refused');
      // Guessing tokens is rate limited per address, as calls are per caller.
      const wait = await failures.take(`address:${req.socket.remoteAddress ?? 'unknown'}`);
      if (wait > 0) {
        res.setHeader('Retry-After', String(wait));
        return new AppError('TOO_MANY_REQUESTS', `Too many refused tokens; retry in ${wait} s`);
      }
      res.setHeader('WWW-Authenticate', bearerChallenge(error));
      const description = refusalDescription(error);
      return new AppError('UNAUTHORIZED', description, [
        { target: 'Authorization', errorCode: 'UNAUTHORIZED', message: description },
      ]);
    }
  };
}
