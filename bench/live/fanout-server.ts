/**
 * The fan-out baseline: the fastest server we could write for the live bench's traffic, to put the
 * gateway's events per second beside. A node:http server takes the bench's createMeeting and
 * updateMeeting bodies, keeps the meetings in a Map (nothing durable, no database), and sends each
 * change straight to the subscribed sockets of an in-process array, as graphql-transport-ws `next`
 * messages of the same JSON the gateway sends, then answers. graphql-transport-ws is spoken by
 * hand: connection_init (the token checked once, with its offices) -> connection_ack, subscribe,
 * complete. It checks each write's token signature too, but has no GraphQL, validation or rules.
 *
 * node fanout-server.js <port> <jwt secret> <issuer> <audience>
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { jwtVerify } from 'jose';
import { type WebSocket, WebSocketServer } from 'ws';

const [port, secretText, issuer, audience] = process.argv.slice(2);
const secret = new TextEncoder().encode(secretText);

/** null: every office. */
type Scope = Set<string> | null;

interface Subscription {
  socket: WebSocket;
  prefix: string;
  scope: Scope;
}

const subscriptions: Subscription[] = [];
const meetings = new Map<string, { version: number; office: string }>();
let sequence = 0;

async function scopeOf(authorization: unknown): Promise<Scope> {
  const token = typeof authorization === 'string' ? authorization.replace(/^Bearer /, '') : '';
  const { payload } = await jwtVerify(token, secret, { issuer, audience });
  if ((payload.roles as string[] | undefined)?.includes('admin')) return null;
  return new Set((payload.offices as string[] | undefined) ?? []);
}

const wss = new WebSocketServer({ noServer: true, handleProtocols: () => 'graphql-transport-ws' });
wss.on('connection', (socket) => {
  let scope: Scope | undefined;
  socket.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString('utf8')) as {
      type: string;
      id?: string;
      payload?: { Authorization?: string; variables?: { offices?: string[] } };
    };
    if (message.type === 'connection_init') {
      scopeOf(message.payload?.Authorization).then(
        (s) => {
          scope = s;
          socket.send('{"type":"connection_ack"}');
        },
        () => socket.close(4403, 'Forbidden'),
      );
    } else if (message.type === 'subscribe' && scope !== undefined) {
      const asked = message.payload?.variables?.offices;
      const own = scope;
      const wanted: Scope = asked ? new Set(asked.filter((o) => own === null || own.has(o))) : own;
      subscriptions.push({
        socket,
        prefix: `{"id":${JSON.stringify(message.id)},"type":"next","payload":`,
        scope: wanted,
      });
    } else if (message.type === 'complete') {
      remove((s) => s.socket === socket && s.prefix.includes(JSON.stringify(message.id)));
    } else if (message.type === 'ping') {
      socket.send('{"type":"pong"}');
    }
  });
  socket.on('close', () => remove((s) => s.socket === socket));
});

function remove(which: (s: Subscription) => boolean): void {
  for (let i = subscriptions.length - 1; i >= 0; i--)
    if (which(subscriptions[i])) subscriptions.splice(i, 1);
}

interface WriteBody {
  operationName: 'Create' | 'Update';
  variables: {
    meetingId?: string;
    input: { agencyOfficeId: string; statusCode: string; visitTime: string; notes: string };
  };
}

/** Applies a write and sends its change to every subscription that sees its office. */
function apply(body: WriteBody): { meetingId: string; version: number } {
  const { input } = body.variables;
  const meetingId = body.operationName === 'Create' ? randomUUID() : body.variables.meetingId!;
  const before = meetings.get(meetingId);
  if (body.operationName === 'Update' && !before) throw new Error('no such meeting');
  const version = (before?.version ?? 0) + 1;
  meetings.set(meetingId, { version, office: input.agencyOfficeId });
  const changedAt = new Date().toISOString();
  const data = JSON.stringify({
    data: {
      meetingChanged: {
        op: version === 1 ? 'CREATED' : 'UPDATED',
        meetingId,
        agencyOfficeId: input.agencyOfficeId,
        version,
        changedAt,
        cursor: Buffer.from(String(++sequence)).toString('base64url'),
        meeting: {
          meetingId,
          statusCode: input.statusCode,
          visitTime: input.visitTime,
          version,
          notes: input.notes,
        },
      },
    },
  });
  for (const s of subscriptions) {
    if (s.scope === null || s.scope.has(input.agencyOfficeId)) s.socket.send(`${s.prefix}${data}}`);
  }
  return { meetingId, version };
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const answer = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    scopeOf(req.headers.authorization).then(
      () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as
          WriteBody | { query: string };
        if (!('operationName' in body)) return answer(200, { data: { __typename: 'Query' } });
        const meeting = apply(body);
        const field = body.operationName === 'Create' ? 'createMeeting' : 'updateMeeting';
        answer(200, { data: { [field]: { meeting } } });
      },
      () => answer(401, { errors: [{ message: 'Unauthorized' }] }),
    );
  });
});
server.on('upgrade', (req, socket, head) =>
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)),
);
server.listen(Number(port), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
