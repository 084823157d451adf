/** A GraphQL request body: what a retry sends again, byte for byte the same operation. */
export interface GraphqlRequest {
  query: string;
  variables: Record<string, unknown>;
}

/**
 * What the client learnt from one request:
 * - acknowledged: an answer with data for the field and no error, so the write is committed;
 * - refused: an answer with an error, so nothing may have been written;
 * - unknown: no answer (the connection was reset by the kill): committed or not, the client cannot
 *   tell, and retries with the same Idempotency-Key.
 */
export type Outcome =
  | { kind: 'acknowledged'; data: Record<string, unknown>; replayed: boolean }
  | { kind: 'refused'; code: string; status: number; message: string }
  | { kind: 'unknown'; reason: string };

// Far above any answer of a healthy gateway; only a hung one would reach it.
const REQUEST_TIMEOUT_MS = 60_000;

interface GraphqlBody {
  data?: Record<string, unknown> | null;
  errors?: { message?: string; extensions?: { code?: string } }[];
}

/** Posts `request`, with an Idempotency-Key when given, and classifies the answer for `field`. */
export async function post(
  url: string,
  token: string,
  request: GraphqlRequest,
  field: string,
  idempotencyKey?: string,
): Promise<Outcome> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
  };
  if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
  let status: number;
  let replayed: boolean;
  let text: string;
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    status = res.status;
    replayed = res.headers.get('idempotent-replayed') === 'true';
    text = await res.text();
  } catch (error) {
    return { kind: 'unknown', reason: transportReason(error) };
  }
  let body: GraphqlBody;
  try {
    body = JSON.parse(text) as GraphqlBody;
  } catch {
    return { kind: 'refused', code: `HTTP_${status}`, status, message: text.slice(0, 200) };
  }
  const error = body.errors?.[0];
  // A write the database could not finish may still have committed (a connection lost in its
  // COMMIT): not acknowledged, and not known to be refused either.
  if (error?.extensions?.code === 'SERVICE_UNAVAILABLE') {
    return { kind: 'unknown', reason: 'SERVICE_UNAVAILABLE' };
  }
  if (error) {
    return {
      kind: 'refused',
      code: error.extensions?.code ?? `HTTP_${status}`,
      status,
      message: error.message ?? '',
    };
  }
  const data = body.data?.[field];
  if (status >= 200 && status < 300 && data !== null && typeof data === 'object') {
    return { kind: 'acknowledged', data: data as Record<string, unknown>, replayed };
  }
  return { kind: 'refused', code: `HTTP_${status}`, status, message: 'an answer without data' };
}

/** The innermost cause of a failed fetch: ECONNRESET, "other side closed", a timeout. */
function transportReason(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause !== undefined) current = current.cause;
  if (current instanceof Error) {
    const code = (current as Error & { code?: string }).code;
    return code ?? current.message;
  }
  return String(current);
}

/** A read that must succeed: the checker's queries after the cycles. */
export async function read<T>(
  url: string,
  token: string,
  request: GraphqlRequest,
  field: string,
): Promise<T> {
  const outcome = await post(url, token, request, field);
  if (outcome.kind !== 'acknowledged') {
    throw new Error(`${field} failed: ${JSON.stringify(outcome)}`);
  }
  return outcome.data as T;
}
