import type http from 'node:http';
import type { Logger } from '../logger';
import { currentScope } from '../request-context';

/** One log line per request, when its response is sent. */
export function logAccess(
  logger: Logger,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  path: string,
): void {
  const started = process.hrtime.bigint();
  const scope = currentScope();
  res.once('finish', () => {
    logger.info(
      {
        requestId: scope?.requestId,
        method: req.method,
        path,
        status: res.statusCode,
        caller: scope?.caller,
        trace_id: scope?.traceId,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
      },
      'request',
    );
  });
}
