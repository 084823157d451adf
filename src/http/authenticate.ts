import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Caller } from '../auth/caller';
import { KeySetUnavailable, TokenRejected, type TokenVerifier } from '../auth/token-verifier';
import { AppError } from '../errors';
import type { TokenBuckets } from '../limits/token-buckets';
import type { Logger } from '../logger';

/**
 * Every GraphQL request needs a valid bearer token: resolves to the caller it names, or to the
 * refusal to answer with (the same 401 whatever the reason, before any resolver runs). Why it
 * failed goes to the log, the token never does. Refused tokens spend from a per-address bucket.
 */
export function authenticate(verifier: TokenVerifier, logger: Logger, failures: TokenBuckets) {
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
      const wait = failures.take(`address:${req.socket.remoteAddress ?? 'unknown'}`);
      if (wait > 0) {
        res.setHeader('Retry-After', String(wait));
        return new AppError('TOO_MANY_REQUESTS', `Too many refused tokens; retry in ${wait} s`);
      }
      res.setHeader('WWW-Authenticate', 'Bearer');
      return new AppError('UNAUTHORIZED', 'A valid bearer token is required', [
        {
          target: 'Authorization',
          errorCode: 'UNAUTHORIZED',
          message: 'Send Authorization: Bearer <token>',
        },
      ]);
    }
  };
}
