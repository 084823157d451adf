import type { NextFunction, Request, Response } from 'express';
import { KeySetUnavailable, TokenRejected, type TokenVerifier } from '../auth/token-verifier';
import { AppError } from '../errors';
import { errorResponseBody } from '../format-error';
import type { TokenBuckets } from '../limits/token-buckets';
import type { Logger } from '../logger';

/**
 * Every GraphQL request needs a valid bearer token; the caller it names goes to res.locals.caller.
 * Any failure gets the same 401 answer before any resolver runs; why it failed goes to the log,
 * the token never does. Refused tokens spend from a per-address bucket.
 */
export function authenticate(verifier: TokenVerifier, logger: Logger, failures: TokenBuckets) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      res.locals.caller = await verifier.verify(req.get('authorization'));
      next();
    } catch (error) {
      let refusal: AppError;
      if (error instanceof TokenRejected) {
        logger.info({ reason: error.message }, 'bearer token refused');
        // Guessing tokens is rate limited per address, as calls are per caller.
        const wait = failures.take(`address:${req.socket.remoteAddress ?? 'unknown'}`);
        if (wait > 0) {
          res.setHeader('Retry-After', String(wait));
          refusal = new AppError(
            'TOO_MANY_REQUESTS',
            `Too many refused tokens; retry in ${wait} s`,
          );
          res
            .status(refusal.status)
            .json(errorResponseBody(refusal, res.locals.requestId as string));
          return;
        }
        refusal = new AppError('UNAUTHORIZED', 'A valid bearer token is required', [
          {
            target: 'Authorization',
            errorCode: 'UNAUTHORIZED',
            message: 'Send Authorization: Bearer <token>',
          },
        ]);
        res.setHeader('WWW-Authenticate', 'Bearer');
      } else if (error instanceof KeySetUnavailable) {
        logger.warn({ reason: error.message }, 'token keys unavailable');
        refusal = new AppError('SERVICE_UNAVAILABLE', 'Tokens cannot be checked right now');
      } else {
        next(error);
        return;
      }
      res.status(refusal.status).json(errorResponseBody(refusal, res.locals.requestId as string));
    }
  };
}
