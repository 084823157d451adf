import pino, { type DestinationStream, type Logger } from 'pino';
import { currentScope } from './request-context';

export type { Logger } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Structured JSON logs. Every line written while a request runs carries its requestId (and its
 * trace_id when it is traced). doorCode is
 * redacted wherever it appears, as a second line of defence: no code path logs meeting input.
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'meetings-gateway' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const scope = currentScope();
        if (!scope?.requestId) return {};
        return scope.traceId
          ? { requestId: scope.requestId, trace_id: scope.traceId }
          : { requestId: scope.requestId };
      },
      redact: {
        paths: [
          'doorCode',
          '*.doorCode',
          '*.*.doorCode',
          '*.*.*.doorCode',
          'req.headers.authorization',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/** The parts of an error that are safe to log: never bound SQL parameters, which can hold secrets. */
export function loggableError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const { name, message, stack } = error;
  const extra = error as Error & { code?: unknown; query?: unknown; cause?: unknown };
  return {
    type: name,
    message,
    stack,
    ...(typeof extra.code === 'string' ? { code: extra.code } : {}),
    ...(typeof extra.query === 'string' ? { query: extra.query } : {}),
    ...(extra.cause !== undefined ? { cause: loggableError(extra.cause) } : {}),
  };
}
