import net from 'node:net';

/** One HTTP/1.1 response as it came over the wire (1xx answers included). */
export interface RawResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
}

/**
 * A client's HTTP/1.1 connection driven by hand: the test decides when each byte is sent, so it can
 * hold a request half-sent or reuse the connection at a chosen moment, which fetch does not allow.
 * Answers are read by Content-Length; `closed` settles when the server closes the connection.
 */
export class RawConnection {
  private buffer = Buffer.alloc(0);
  private waiting: (() => void) | undefined;
  private ended = false;
  private failure: Error | undefined;
  /** Resolves when the connection closes; to the error when it was reset. */
  readonly closed: Promise<Error | undefined>;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.waiting?.();
    });
    socket.on('error', (error) => {
      this.failure = error;
    });
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.ended = true;
        this.waiting?.();
        resolve(this.failure);
      }),
    );
  }

  /** Connects to the gateway at `origin` (http://host:port). */
  static async open(origin: string): Promise<RawConnection> {
    const url = new URL(origin);
    const socket = net.connect(Number(url.port), url.hostname);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawConnection(socket);
  }

  /** Writes `text` as it stands. */
  send(text: string): void {
    this.socket.write(text);
  }

  /** Writes a whole request: `Host` and, with a body, `Content-Length` are added. */
  request(
    method: string,
    path: string,
    headers: Record<string, string> = {},
    body: string = '',
  ): void {
    this.send(requestText(method, path, headers, body));
  }

  /** The next response on the connection; fails when the connection closes before it is whole. */
  async response(): Promise<RawResponse> {
    for (;;) {
      const parsed = this.parse();
      if (parsed) return parsed;
      if (this.ended) {
        throw new Error(
          `the connection closed without an answer${this.failure ? ` (${this.failure.message})` : ''}`,
        );
      }
      await new Promise<void>((resolve) => (this.waiting = resolve));
      this.waiting = undefined;
    }
  }

  destroy(): void {
    this.socket.destroy();
  }

  private parse(): RawResponse | undefined {
    const end = this.buffer.indexOf('\r\n\r\n');
    if (end < 0) return undefined;
    const [statusLine, ...lines] = this.buffer.subarray(0, end).toString('latin1').split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const status = Number(statusLine.split(' ')[1]);
    const bodyless = status < 200 || status === 204 || status === 304;
    const length = bodyless ? 0 : Number(headers['content-length']);
    if (!Number.isInteger(length)) throw new Error(`no Content-Length: ${statusLine}`);
    if (this.buffer.length < end + 4 + length) return undefined;
    const body = this.buffer.subarray(end + 4, end + 4 + length).toString('utf8');
    this.buffer = this.buffer.subarray(end + 4 + length);
    return { status, headers, body };
  }
}

/** The text of a whole HTTP/1.1 request to 127.0.0.1. */
export function requestText(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body: string = '',
): string {
  const all = { Host: '127.0.0.1', ...headers };
  if (body !== '') Object.assign(all, { 'Content-Length': String(Buffer.byteLength(body)) });
  const head = Object.entries(all).map(([name, value]) => `${name}: ${value}\r\n`);
  return `${method} ${path} HTTP/1.1\r\n${head.join('')}\r\n${body}`;
}
