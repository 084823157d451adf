import type { TypedDocumentString } from './gql/graphql';

// A GraphQL client in one function: fetch, a typed document and typed variables in, typed data
// out. It uses only what browsers and Node.js 20 have, so a frontend can copy it as it is.

/** The codes of `extensions.code` (docs/errors.md): the REST codes, then GraphQL's own. */
export type GatewayErrorCode =
  | 'BAD_REQUEST_PARAMETERS'
  | 'BAD_REQUEST_BODY'
  | 'INVALID_STATUS'
  | 'UNAUTHORIZED'
  | 'INVALID_ID'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'CONFLICT'
  | 'IDEMPOTENCY_KEY_IN_USE'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'GONE'
  | 'PAYLOAD_TOO_LARGE'
  | 'TOO_MANY_REQUESTS'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'TECHNICAL_ERROR'
  | 'SERVICE_UNAVAILABLE'
  | 'GRAPHQL_PARSE_FAILED'
  | 'GRAPHQL_VALIDATION_FAILED'
  | 'BAD_USER_INPUT'
  | 'BAD_REQUEST'
  | 'PERSISTED_QUERY_NOT_FOUND';

/** One offending field, argument or header of an error. */
export interface GatewayErrorItem {
  /** `input.parties[0].partyId`, `expectedVersion`, `Idempotency-Key` … */
  target: string;
  errorCode: string;
  message: string;
}

/** A GraphQL error of the gateway, with the REST error body its extensions carry. */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';

  constructor(
    message: string,
    readonly code: GatewayErrorCode,
    /** The REST status of the code (a domain error still comes in an HTTP 200 response). */
    readonly status: number,
    readonly items: readonly GatewayErrorItem[],
    readonly requestId: string | undefined,
  ) {
    super(message);
  }
}

/** True when `error` is a gateway error with this code: `isGatewayError(e, 'CONFLICT')`. */
export function isGatewayError(error: unknown, code?: GatewayErrorCode): error is GatewayError {
  return error instanceof GatewayError && (code === undefined || error.code === code);
}

export interface RequestOptions {
  /** For a mutation: a fresh key per write, the same key on each retry of it (docs/safety.md). */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export interface Answer<TResult> {
  data: TResult;
  /** `Idempotent-Replayed: true`: a repeat of a keyed write, answered as the first one was. */
  replayed: boolean;
  requestId: string | null;
}

interface GraphQLResponse<TResult> {
  data?: TResult | null;
  errors?: {
    message: string;
    extensions?: {
      code?: string;
      status?: number;
      errors?: GatewayErrorItem[];
      requestId?: string;
    };
  }[];
}

/** A client of one gateway for one caller: `request(Document, variables, options)`. */
export function createClient(options: { url: string; token: string }) {
  return async function request<TResult, TVariables>(
    document: TypedDocumentString<TResult, TVariables>,
    variables: TVariables,
    requestOptions: RequestOptions = {},
  ): Promise<Answer<TResult>> {
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      Accept: 'application/graphql-response+json, application/json',
      Authorization: `Bearer ${options.token}`,
    };
    if (requestOptions.idempotencyKey) headers['Idempotency-Key'] = requestOptions.idempotencyKey;
    const response = await fetch(options.url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: document.toString(), variables }),
      signal: requestOptions.signal,
    });
    const requestId = response.headers.get('Request-ID');
    if (!(response.headers.get('Content-Type') ?? '').includes('json')) {
      throw new Error(`${options.url} answered HTTP ${response.status} without JSON`);
    }
    const body = (await response.json()) as GraphQLResponse<TResult>;
    const first = body.errors?.[0];
    if (first) {
      const extensions = first.extensions ?? {};
      throw new GatewayError(
        first.message,
        (extensions.code ?? 'TECHNICAL_ERROR') as GatewayErrorCode,
        extensions.status ?? response.status,
        extensions.errors ?? [],
        extensions.requestId ?? requestId ?? undefined,
      );
    }
    if (!response.ok || body.data == null) {
      throw new Error(`${options.url} answered HTTP ${response.status} with no data`);
    }
    return {
      data: body.data,
      replayed: response.headers.get('Idempotent-Replayed') === 'true',
      requestId,
    };
  };
}

/** The request function of a client. */
export type Request = ReturnType<typeof createClient>;
