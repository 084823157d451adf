import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppError } from '../errors';
import { errorResponseBody } from '../format-error';
import { currentRequestId, currentScope } from '../request-context';

/** Answers with `error` in the contract's shape, under the running request's id. */
export function sendError(res: ServerResponse, error: AppError): void {
  const scope = currentScope();
  if (scope) scope.errorCode ??= error.code;
  const text = JSON.stringify(errorResponseBody(error, currentRequestId() ?? ''));
  res.statusCode = error.status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/** A request's path and its query string (with the `?`, or empty). */
export function splitUrl(req: IncomingMessage): { path: string; search: string } {
  const url = req.url ?? '';
  const mark = url.indexOf('?');
  return mark < 0
    ? { path: url, search: '' }
    : { path: url.slice(0, mark), search: url.slice(mark) };
}
