import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isUUID } from 'class-validator';
import { AppError } from '../errors';

export const REQUEST_ID_HEADER = 'Request-ID';

/**
 * The client's Request-ID, or a fresh one when there is none. A malformed one is refused with
 * BAD_REQUEST_PARAMETERS, answered under a fresh id.
 */
export function requestIdOf(req: IncomingMessage): { id: string; refusal?: AppError } {
  const given = req.headers['request-id'];
  if (given === undefined) return { id: randomUUID() };
  const trimmed = (Array.isArray(given) ? given.join(', ') : given).trim();
  if (isUUID(trimmed, 'loose')) return { id: trimmed };
  return {
    id: randomUUID(),
    refusal: new AppError('BAD_REQUEST_PARAMETERS', undefined, [
      {
        target: REQUEST_ID_HEADER,
        errorCode: 'INVALID_TYPE',
        message: 'Request-ID must be a UUID',
      },
    ]),
  };
}
