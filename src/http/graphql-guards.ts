import type { NextFunction, Request, Response } from 'express';
import type { Caller } from '../auth/caller';
import { AppError } from '../errors';
import { errorResponseBody } from '../format-error';
import type { TokenBuckets } from '../limits/token-buckets';
import { setDeadline } from '../request-context';

/** What /graphql checks before Apollo sees a request, each answered in the contract's error shape. */

function refuse(res: Response, error: AppError): void {
  res.status(error.status).json(errorResponseBody(error, res.locals.requestId as string));
}

export function onlyGetAndPost(req: Request, res: Response, next: NextFunction): void {
  if (req.method === 'GET' || req.method === 'POST') return next();
  res.setHeader('Allow', 'GET, POST');
  refuse(res, new AppError('METHOD_NOT_ALLOWED', `${req.method} is not allowed on /graphql`));
}

/** POST bodies must be JSON. */
export function requireJsonBody(req: Request, res: Response, next: NextFunction): void {
  if (req.method !== 'POST' || req.is('application/json')) return next();
  refuse(
    res,
    new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Content-Type must be application/json (got ${req.get('content-type') ?? 'none'})`,
      [
        {
          target: 'Content-Type',
          errorCode: 'INVALID_VALUE',
          message: 'Send the request as application/json',
        },
      ],
    ),
  );
}

/** A per-caller token bucket: over it, 429 with Retry-After. */
export function rateLimit(buckets: TokenBuckets) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    const caller = res.locals.caller as Caller;
    const wait = buckets.take(caller.subject);
    if (wait === 0) return next();
    res.setHeader('Retry-After', String(wait));
    refuse(
      res,
      new AppError(
        'TOO_MANY_REQUESTS',
        `At most ${buckets.perSecond} requests a second (bursts of ${buckets.burst}); retry in ${wait} s`,
      ),
    );
  };
}

/** The query text is limited before it is parsed. */
export function limitQueryLength(max: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const query: unknown =
      req.method === 'GET' ? req.query.query : (req.body as { query?: unknown } | undefined)?.query;
    if (typeof query !== 'string' || query.length <= max) return next();
    refuse(
      res,
      new AppError('BAD_REQUEST_PARAMETERS', `The query text is longer than ${max} characters`, [
        { target: 'query', errorCode: 'INVALID_VALUE', message: `At most ${max} characters` },
      ]),
    );
  };
}

/** Work for the request that is still waiting for the database at the deadline gives up. */
export function timeLimit(ms: number) {
  return (_req: Request, _res: Response, next: NextFunction): void => {
    setDeadline(ms);
    next();
  };
}
