import type { ServerResponse } from 'node:http';
import type { AppError } from '../errors';
import { errorResponseBody } from '../format-error';
import { currentRequestId } from '../request-context';

/** Answers with `error` in the contract's shape, under the running request's id. */
export function sendError(res: ServerResponse, error: AppError): void {
  sendJson(res, error.status, errorResponseBody(error, currentRequestId() ?? ''));
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}
