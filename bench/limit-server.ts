import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { LimitDb } from './limit-db';
import { connection, getMeeting, search } from './limit-reads';
import { type MeetingInput, writes } from './limit-writes';

/**
 * The limit: the fastest program we can write that answers the benchmark's request bodies with the
 * gateway's JSON, on the same data. node:http, better-sqlite3 prepared statements, no GraphQL:
 * it knows each operation by name and builds its answer directly, with the best plan we found for
 * each search (bench/limit-plan.ts) over indexes and counts of its own (bench/limit-schema.ts). It
 * checks the bearer token's HS256 signature and expiry (as cheaply as that can be done) and limits
 * every read and write to the caller's offices, but does no validation and no rules: a floor, not
 * a server to run. It imports nothing of the gateway: its SQL, stored values and cursors are its
 * own, and the bench checks that its answers are the gateway's.
 *
 * Usage: node limit-server.js <database file> <port> <jwt secret>
 */

const [file, portText, secret] = process.argv.slice(2);
const db = new LimitDb(file);
const { create, update, remove } = writes(db);
let requests = 0;

// ---- token ---------------------------------------------------------------------------------

const key = Buffer.from(secret, 'utf8');

/** A verified token: its expiry and the offices it may see (null: every office, an admin). */
interface Claims {
  exp: number;
  scope: readonly string[] | null;
}
const verified = new Map<string, Claims>();

/** The caller of a request, or null when its token is missing, forged or expired. */
function caller(header: string | undefined): Claims | null {
  if (!header?.startsWith('Bearer ')) return null;
  const token = header.slice(7);
  let claims = verified.get(token);
  if (claims === undefined) {
    const [h, p, s] = token.split('.');
    if (!h || !p || !s) return null;
    const expected = createHmac('sha256', key).update(`${h}.${p}`).digest();
    const given = Buffer.from(s, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as {
      exp?: number;
      offices?: string[];
      roles?: string[];
    };
    if (typeof payload.exp !== 'number') return null;
    const admin = payload.roles?.includes('admin') ?? false;
    claims = {
      exp: payload.exp,
      scope: admin ? null : (payload.offices ?? []).map((o) => o.toLowerCase()),
    };
    verified.set(token, claims);
  }
  return claims.exp > Date.now() / 1000 ? claims : null;
}

// ---- HTTP ----------------------------------------------------------------------------------

type Variables = Record<string, unknown>;
type Scope = readonly string[] | null;
const OPERATIONS: Record<string, (scope: Scope, v: Variables) => unknown> = {
  Search: (scope, v) => search(db, scope, v),
  Connection: (scope, v) => connection(db, scope, v),
  Get: (scope, v) => getMeeting(db, scope, v as { meetingId: string }),
  Create: (scope, v) => create(scope, v.input as MeetingInput),
  Update: (scope, v) => update(scope, v.meetingId as string, v.input as MeetingInput),
  Delete: (scope, v) => remove(scope, v.meetingId as string),
};

function send(res: http.ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/stats')
    return send(res, 200, { requests, statements: db.statements });
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    requests++;
    const claims = caller(req.headers.authorization);
    if (!claims) return send(res, 401, { errors: [{ message: 'Unauthorized' }] });
    try {
      const { operationName, variables } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        operationName: string;
        variables?: Variables;
      };
      const operation = OPERATIONS[operationName];
      if (!operation)
        return send(res, 400, { errors: [{ message: `Unknown operation ${operationName}` }] });
      send(res, 200, { data: operation(claims.scope, variables ?? {}) });
    } catch (error) {
      send(res, 500, { errors: [{ message: String(error) }] });
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(portText), '127.0.0.1', () => process.stdout.write('listening\n'));
process.on('SIGTERM', () => server.close(() => db.close()));
