import WebSocket from 'ws';

/** A message of the graphql-transport-ws protocol. */
export interface WsMessage {
  type: string;
  id?: string;
  payload?: unknown;
}

export interface WsClosed {
  code: number;
  reason: string;
}

/**
 * A graphql-transport-ws connection as a test drives it: every message it gets is queued, and each
 * wait resolves with the next message that matches, or fails when the socket closes first (or after
 * `timeoutMs`, so that a missing event fails the test rather than hanging it).
 */
export class WsConnection {
  private readonly queue: WsMessage[] = [];
  private readonly waiters = new Set<() => void>();
  private closedWith: WsClosed | undefined;
  readonly closed: Promise<WsClosed>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      this.queue.push(JSON.parse(data.toString('utf8')) as WsMessage);
      for (const wake of [...this.waiters]) wake();
    });
    this.closed = new Promise((resolve) => {
      socket.once('close', (code, reason) => {
        this.closedWith = { code, reason: reason.toString('utf8') };
        for (const wake of [...this.waiters]) wake();
        resolve(this.closedWith);
      });
    });
  }

  /** Opens a socket to the gateway's /graphql (http URL); rejects with the HTTP status if refused. */
  static open(
    httpUrl: string,
    options: { origin?: string; protocol?: string; headers?: Record<string, string> } = {},
  ): Promise<WsConnection> {
    const url = httpUrl.replace(/^http/, 'ws');
    const socket = new WebSocket(url, options.protocol ?? 'graphql-transport-ws', {
      origin: options.origin,
      headers: options.headers,
    });
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new WsConnection(socket)));
      socket.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        res.on('end', () =>
          reject(
            Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode, body }),
          ),
        );
      });
      socket.once('error', reject);
    });
  }

  /** Opens and initialises a connection with a bearer token; resolves once acknowledged. */
  static async connect(httpUrl: string, token: string, origin?: string): Promise<WsConnection> {
    const connection = await WsConnection.open(httpUrl, { origin });
    connection.send({ type: 'connection_init', payload: { Authorization: `Bearer ${token}` } });
    await connection.next((m) => m.type === 'connection_ack');
    return connection;
  }

  send(message: WsMessage): void {
    this.socket.send(JSON.stringify(message));
  }

  subscribe(id: string, query: string, variables: Record<string, unknown> = {}): void {
    this.send({ type: 'subscribe', id, payload: { query, variables } });
  }

  complete(id: string): void {
    this.send({ type: 'complete', id });
  }

  /** The next queued message that `matches` (taken off the queue). */
  async next(matches: (m: WsMessage) => boolean, timeoutMs = 10_000): Promise<WsMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.queue.findIndex(matches);
      if (index >= 0) return this.queue.splice(index, 1)[0];
      if (this.closedWith) {
        throw new Error(
          `socket closed (${this.closedWith.code} ${this.closedWith.reason}) before the message came`,
        );
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no such message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        const waiters = this.waiters;
        function done() {
          clearTimeout(timer);
          waiters.delete(done);
          resolve();
        }
        waiters.add(done);
      });
    }
  }

  /** The payload of the next `next` message of subscription `id`. */
  async event<T = Record<string, unknown>>(
    id: string,
    timeoutMs?: number,
  ): Promise<{ data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] }> {
    const message = await this.next((m) => m.id === id && m.type !== 'complete', timeoutMs);
    if (message.type === 'error') return { errors: message.payload as never };
    return message.payload as never;
  }

  /** The messages queued now (none taken off). */
  pending(): WsMessage[] {
    return [...this.queue];
  }

  close(): Promise<WsClosed> {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.close(1000);
    return this.closed;
  }
}
