import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../errors';
import { type Logger, loggableError } from '../logger';
import { sendError } from './respond';

/** Errors of the other routes (Express's own refusals, such as a path that does not decode). */
export function httpErrorHandler(logger: Logger) {
  return (err: unknown, _req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(err);
    if (isClientError(err)) {
      return sendError(
        res,
        new AppError('BAD_REQUEST_PARAMETERS', 'The request could not be read'),
      );
    }
    logger.error({ err: loggableError(err) }, 'unexpected HTTP error');
    sendError(res, new AppError('TECHNICAL_ERROR'));
  };
}

function isClientError(err: unknown): boolean {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}
