import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AppError } from '../errors';
import { errorResponseBody } from '../format-error';

/** Answers an upgrade it will not make with an HTTP error in the contract's shape. */
export function refuseUpgrade(socket: Duplex, error: AppError, requestId: string): void {
  // A page's origin is refused with 403: the token is not the question.
  const status = error.code === 'UNAUTHORIZED' ? 403 : error.status;
  const body = JSON.stringify(errorResponseBody(error, requestId));
  socket.end(
    [
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
      'Connection: close',
      'Content-Type: application/json; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(body)}`,
      `Request-ID: ${requestId}`,
      ...(status === 503 ? ['Retry-After: 1'] : []),
      '',
      body,
    ].join('\r\n'),
  );
}
