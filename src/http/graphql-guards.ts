import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Caller } from '../auth/caller';
import { AppError } from '../errors';
import type { RateLimit } from '../limits/rate-limit';
import { ENDPOINT_METHODS } from './cors';
import { splitUrl } from './respond';

/**
 * What /graphql checks before Apollo sees a request. Each returns the refusal to answer with, if
 * any, having set the headers that go with it.
 */

export function methodRefusal(req: IncomingMessage, res: ServerResponse): AppError | undefined {
  if (req.method === 'GET' || req.method === 'POST') return undefined;
  res.setHeader('Allow', ENDPOINT_METHODS);
  return new AppError(
    'METHOD_NOT_ALLOWED',
    `${req.method} is not allowed on ${splitUrl(req).path}`,
  );
}

/** A per-caller token bucket: over it, 429 with Retry-After. */
export async function rateLimitRefusal(
  buckets: RateLimit,
  caller: Caller,
  res: ServerResponse,
): Promise<AppError | undefined> {
  const wait = await buckets.take(caller.subject);
  if (wait === 0) return undefined;
  res.setHeader('Retry-After', String(wait));
  return new AppError(
    'TOO_MANY_REQUESTS',
    `At most ${buckets.perSecond} requests a second (bursts of ${buckets.burst}); retry in ${wait} s`,
  );
}

/** The query text is limited before it is parsed. */
export function queryLengthRefusal(query: unknown, max: number): AppError | undefined {
  if (typeof query !== 'string' || query.length <= max) return undefined;
  return new AppError('BAD_REQUEST_PARAMETERS', `The query text is longer than ${max} characters`, [
    { target: 'query', errorCode: 'INVALID_VALUE', message: `At most ${max} characters` },
  ]);
}
