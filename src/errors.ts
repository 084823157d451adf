/**
 * The one error type of the gateway. Services throw AppError with a REST error code and the items
 * that name each offending field; format-error.ts turns it into the GraphQL error of the contract.
 */

/** The REST error codes, with the HTTP status, message and description the REST API uses. */
export const ERROR_CODES = {
  BAD_REQUEST_PARAMETERS: {
    status: 400,
    message: 'Invalid request parameters',
    description: 'Request parameters are missing or have invalid type.',
  },
  BAD_REQUEST_BODY: {
    status: 400,
    message: 'Invalid request body',
    description: 'Request body is missing or has invalid content.',
  },
  INVALID_STATUS: {
    status: 400,
    message: 'Invalid status',
    description: 'Unable to perform the request operation due to invalid state.',
  },
  UNAUTHORIZED: {
    status: 401,
    message: 'Unauthorized',
    description: 'Credentials are missing, invalid or insufficient.',
  },
  INVALID_ID: {
    status: 404,
    message: 'Invalid identifier',
    description: 'The identifier is missing or unknown.',
  },
  INVALID_API_KEY: {
    status: 404,
    message: 'Invalid API key',
    description: 'The API key is missing or invalid.',
  },
  NOT_FOUND: {
    status: 404,
    message: 'Not found',
    description: 'There is nothing at this address.',
  },
  METHOD_NOT_ALLOWED: {
    status: 405,
    message: 'Method not allowed',
    description: 'GraphQL is served over GET (queries) and POST.',
  },
  CONFLICT: {
    status: 409,
    message: 'Conflict',
    description: 'The meeting was changed by someone else since the version you expected.',
  },
  IDEMPOTENCY_KEY_IN_USE: {
    status: 409,
    message: 'Idempotency key in use',
    description: 'A request with this Idempotency-Key is still running. Retry later.',
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    message: 'Idempotency key reused',
    description: 'This Idempotency-Key was used for a different request.',
  },
  GONE: {
    status: 410,
    message: 'Gone',
    description: 'The requested resource is no longer available.',
  },
  SYNC_CURSOR_EXPIRED: {
    status: 410,
    message: 'Sync cursor expired',
    description: 'The change-feed cursor is older than the feed keeps. Resync from scratch.',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    message: 'Request body is too large',
    description: 'The request body exceeds the size the gateway accepts.',
  },
  TOO_MANY_REQUESTS: {
    status: 429,
    message: 'Too many requests',
    description: 'The caller sent more requests than the rate limit allows. Retry later.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    message: 'Unsupported media type',
    description: 'The request body has a media type the gateway does not accept.',
  },
  TECHNICAL_ERROR: {
    status: 500,
    message: 'An unexpected error occurred',
    description: 'The request could not be completed because of an unexpected failure.',
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    message: 'Service unavailable',
    description: 'The database or a dependency is unavailable. Try again later.',
  },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Codes of the items of an error, one item for each offending field or parameter. */
export type ItemCode =
  | 'VALUE_REQUIRED'
  | 'INVALID_TYPE'
  | 'INVALID_VALUE'
  | 'INVALID_STATUS'
  | 'INVALID_ID'
  | 'UNAUTHORIZED'
  | 'CONFLICT';

export interface ErrorItem {
  /** The input path (`input.parties[0].partyId`), argument or header that is at fault. */
  target: string;
  errorCode: ItemCode;
  message: string;
}

export class AppError extends Error {
  override readonly name = 'AppError';

  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_CODES[code].message,
    readonly items: readonly ErrorItem[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  get description(): string {
    return ERROR_CODES[this.code].description;
  }
}

/** Throws `code` with `items` when there are any. */
export function throwIfItems(code: ErrorCode, message: string, items: readonly ErrorItem[]): void {
  if (items.length > 0) throw new AppError(code, message, items);
}
