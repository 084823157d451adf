import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { LimitDb } from './limit-db';
import { connection, getMeeting, search } from './limit-reads';
import { type MeetingInput, writes } from './limit-writes';

/**
 * The limit: the fastest program we can write that answers the benchmark's request bodies with the
 * gateway's JSON, on the same database. node:http, better-sqlite3 prepared statements, no GraphQL:
 * it knows each operation by name and builds its answer directly. It checks the bearer token's
 * HS256 signature and expiry (as cheaply as that can be done) but does no validation, no rules and
 * no office scoping: a floor, not a server to run. It imports nothing of the gateway: its SQL,
 * stored values and cursors are its own, and the bench checks that its answers are the gateway's.
 *
 * Usage: node limit-server.js <database file> <port> <jwt secret>
 */

const [file, portText, secret] = process.argv.slice(2);
const db = new LimitDb(file);
const { create, update, remove } = writes(db);
let requests = 0;

// ---- token ---------------------------------------------------------------------------------

const key = Buffer.from(secret, 'utf8');
const verified = new Map<string, number>();
function authorized(header: string | undefined): boolean {
  if (!header?.startsWith('Bearer ')) return false;
  const token = header.slice(7);
  const known = verified.get(token);
  if (known !== undefined) return known > Date.now() / 1000;
  const [h, p, s] = token.split('.');
  if (!h || !p || !s) return false;
  const expected = createHmac('sha256', key).update(`${h}.${p}`).digest();
  const given = Buffer.from(s, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
  const exp = (JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as { exp?: number }).exp;
  if (typeof exp !== 'number') return false;
  verified.set(token, exp);
  return exp > Date.now() / 1000;
}

// ---- HTTP ----------------------------------------------------------------------------------

type Variables = Record<string, unknown>;
const OPERATIONS: Record<string, (v: Variables) => unknown> = {
  Search: (v) => search(db, v),
  Connection: (v) => connection(db, v),
  Get: (v) => getMeeting(db, v as { meetingId: string }),
  Create: (v) => create(v.input as MeetingInput),
  Update: (v) => update(v.meetingId as string, v.input as MeetingInput),
  Delete: (v) => remove(v.meetingId as string),
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
    if (!authorized(req.headers.authorization))
      return send(res, 401, { errors: [{ message: 'Unauthorized' }] });
    try {
      const { operationName, variables } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        operationName: string;
        variables?: Variables;
      };
      const operation = OPERATIONS[operationName];
      if (!operation)
        return send(res, 400, { errors: [{ message: `Unknown operation ${operationName}` }] });
      send(res, 200, { data: operation(variables ?? {}) });
    } catch (error) {
      send(res, 500, { errors: [{ message: String(error) }] });
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(portText), '127.0.0.1', () => process.stdout.write('listening\n'));
process.on('SIGTERM', () => server.close(() => db.close()));
