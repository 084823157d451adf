import type { IncomingMessage, ServerResponse } from 'node:http';

const ALLOWED_METHODS = 'GET, POST';
/** The methods the GraphQL endpoints answer: OPTIONS for preflights. */
export const ENDPOINT_METHODS = 'GET, POST, OPTIONS';
// The contract's headers, and those Apollo's CSRF prevention asks of a client that sends no other.
const ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'request-id',
  'idempotency-key',
  'apollo-require-preflight',
  'x-apollo-operation-name',
].join(', ');
const EXPOSED_HEADERS = 'request-id, idempotent-replayed, retry-after';
// Chromium keeps a preflight at most two hours. A long time costs nothing: an origin taken off the
// list is refused at its next request anyway, whose answer lacks Access-Control-Allow-Origin.
const PREFLIGHT_MAX_AGE_SECONDS = 7200;
// A frontend's development server on this machine, on whatever port it picked.
const LOOPBACK_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/;

/**
 * Cross-origin requests from browsers to the GraphQL endpoints (the contract's "Frontends in
 * browsers"): the origins named by CORS_ORIGINS, and outside production any port of the loopback
 * names. No credentials mode: tokens travel in Authorization, never in cookies.
 */
export class Cors {
  private readonly named: ReadonlySet<string>;

  constructor(
    origins: readonly string[],
    private readonly production: boolean,
  ) {
    this.named = new Set(origins);
  }

  /** Whether a page of `origin` may read the endpoints' answers. */
  allows(origin: string): boolean {
    return this.named.has(origin) || (!this.production && LOOPBACK_ORIGIN.test(origin));
  }

  /**
   * Sets the CORS headers of an endpoint's answer, whatever it will be: a browser shows a refusal
   * (401, 429, 503...) to the page only with them. Call it before anything is answered.
   */
  decorate(req: IncomingMessage, res: ServerResponse): void {
    // Every answer depends on Origin, so a cache keeps one per origin, those with none included.
    res.setHeader('Vary', 'Origin');
    const origin = req.headers.origin;
    if (origin === undefined || !this.allows(origin)) return;
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
  }

  /**
   * Answers OPTIONS with 204 and the methods served. A preflight from an allowed origin (decorated
   * already) also learns what it may send, and for how long; any other gets no CORS headers, so
   * its browser keeps the request from being sent. Needs no token and spends no rate limit.
   */
  answerOptions(req: IncomingMessage, res: ServerResponse): void {
    res.statusCode = 204;
    res.setHeader('Allow', ENDPOINT_METHODS);
    const preflight = req.headers['access-control-request-method'] !== undefined;
    if (preflight && res.hasHeader('Access-Control-Allow-Origin')) {
      res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
      res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.setHeader('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_SECONDS));
    }
    res.end();
  }
}

/**
 * Whether `origin` is the gateway's own, as the request reached it (its Host): GraphiQL served by
 * the gateway opens its subscriptions from there. Browsers always send Origin on a WebSocket, so
 * a WebSocket connection needs this where a same-origin fetch needs no CORS at all.
 */
export function sameOrigin(origin: string, req: IncomingMessage): boolean {
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  return req.headers.host !== undefined && host === req.headers.host.toLowerCase();
}
