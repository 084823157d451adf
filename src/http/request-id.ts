import { randomUUID } from 'node:crypto';
import { isUUID } from 'class-validator';
import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../errors';
import { errorResponseBody } from '../format-error';
import { runInRequestScope } from '../request-context';

export const REQUEST_ID_HEADER = 'Request-ID';

/**
 * Takes the client's Request-ID (or makes one when there is none), echoes it on the response, and
 * runs the rest of the request in its scope. A malformed one is BAD_REQUEST_PARAMETERS, answered
 * under a fresh id.
 */
export function requestId(req: Request, res: Response, next: NextFunction): void {
  const given = req.get(REQUEST_ID_HEADER);
  const valid = given !== undefined && isUUID(given.trim(), 'loose');
  const id = valid ? given.trim() : randomUUID();
  res.setHeader(REQUEST_ID_HEADER, id);
  res.locals.requestId = id;
  runInRequestScope({ requestId: id }, () => {
    if (given !== undefined && !valid) {
      const error = new AppError('BAD_REQUEST_PARAMETERS', undefined, [
        {
          target: REQUEST_ID_HEADER,
          errorCode: 'INVALID_TYPE',
          message: 'Request-ID must be a UUID',
        },
      ]);
      res.status(error.status).json(errorResponseBody(error, id));
      return;
    }
    next();
  });
}
