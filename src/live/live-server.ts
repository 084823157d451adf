import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { CloseCode, handleProtocols } from 'graphql-ws';
import { type WebSocket, WebSocketServer } from 'ws';
import { AppError } from '../errors';
import { requestIdOf } from '../http/request-id';
import { loggableError } from '../logger';
import { type LiveConnection, LiveProtocol, type LiveProtocolOptions } from './live-protocol';
import { refuseUpgrade } from './refuse-upgrade';

export interface LiveServerOptions<C extends object> extends LiveProtocolOptions<C> {
  /** Whether a page of this origin may open a connection (the same rule as CORS). */
  allowsOrigin: (origin: string, req: IncomingMessage) => boolean;
}

const CLOSE_WAIT_MS = 2000;

/**
 * Subscriptions over WebSocket on /graphql: the upgrades (pages of origins that CORS would refuse
 * cannot connect; connections per instance are limited), keep-alive pings, and the stop (1001).
 * What is said on a socket is the protocol's (live-protocol.ts).
 */
export class LiveServer<C extends object> {
  private readonly wss: WebSocketServer;
  private readonly protocol: LiveProtocol<C>;
  private readonly sockets = new Set<WebSocket>();
  private stopping = false;

  constructor(private readonly options: LiveServerOptions<C>) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.limits.maxBodyBytes,
      handleProtocols: (protocols) => handleProtocols(protocols),
    });
    this.protocol = new LiveProtocol(options);
  }

  /** Open connections now. */
  get connectionCount(): number {
    return this.sockets.size;
  }

  /** Running subscriptions now. */
  get subscriptionCount(): number {
    return this.protocol.subscriptionCount;
  }

  /** Resolves once exactly `count` subscriptions run (at once if they do now). */
  running(count: number): Promise<void> {
    return this.protocol.running(count);
  }

  /** Takes an HTTP upgrade of /graphql: a WebSocket, or a refusal answered in the contract's shape. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const { id } = requestIdOf(req);
    const refusal = this.refusal(req);
    if (refusal) {
      this.options.logger.info(
        { requestId: id, status: refusal.status, reason: refusal.message },
        'WebSocket upgrade refused',
      );
      return refuseUpgrade(socket, refusal, id);
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.open(ws, req));
  }

  private refusal(req: IncomingMessage): AppError | undefined {
    if (this.stopping) return new AppError('SERVICE_UNAVAILABLE', 'The gateway is stopping');
    const origin = req.headers.origin;
    if (origin !== undefined && !this.options.allowsOrigin(origin, req)) {
      return new AppError('UNAUTHORIZED', 'Pages of this origin may not open subscriptions', [
        { target: 'Origin', errorCode: 'UNAUTHORIZED', message: 'Origin not allowed' },
      ]);
    }
    if (this.sockets.size >= this.options.live.maxConnections) {
      return new AppError(
        'SERVICE_UNAVAILABLE',
        `This instance holds its ${this.options.live.maxConnections} WebSocket connections; retry later`,
      );
    }
    return undefined;
  }

  private open(socket: WebSocket, req: IncomingMessage): void {
    this.sockets.add(socket);
    const connection: LiveConnection = {
      socket,
      address: req.socket.remoteAddress ?? 'unknown',
      operations: new Map(),
      sources: new Set(),
    };
    const { logger } = this.options;
    // A ping each keep-alive period; a connection that has not answered the last one is cut.
    let answered = true;
    socket.on('pong', () => {
      answered = true;
    });
    const keepAlive = setInterval(() => {
      if (!answered) return socket.terminate();
      answered = false;
      socket.ping();
    }, this.options.live.keepAliveMs);
    const closed = this.protocol.server.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            socket.send(data, (error) => (error ? reject(error) : resolve()));
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', (data: Buffer) => {
            handle(data.toString('utf8')).catch((error: unknown) => {
              logger.error({ err: loggableError(error) }, 'WebSocket message failed');
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            });
          }),
      },
      connection,
    );
    socket.on('error', (error) => {
      logger.info({ err: loggableError(error) }, 'WebSocket connection error');
    });
    socket.once('close', (code, reason) => {
      this.sockets.delete(socket);
      clearInterval(keepAlive);
      this.protocol.closed(connection);
      closed(code, reason.toString('utf8')).catch((error: unknown) => {
        logger.error({ err: loggableError(error) }, 'closing WebSocket subscriptions failed');
      });
    });
  }

  /**
   * Refuses new connections and closes the open ones with 1001 (going away): their subscriptions
   * end, and clients reconnect elsewhere. A socket that does not finish its close handshake
   * within two seconds is cut.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    const open = [...this.sockets];
    const closedAll = Promise.all(
      open.map(
        (socket) =>
          new Promise<void>((resolve) => {
            if (socket.readyState === socket.CLOSED) return resolve();
            socket.once('close', () => resolve());
          }),
      ),
    );
    for (const socket of open) socket.close(1001, 'Going away');
    let timer: NodeJS.Timeout | undefined;
    const cut = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        for (const socket of this.sockets) socket.terminate();
        resolve();
      }, CLOSE_WAIT_MS);
    });
    await Promise.race([closedAll, cut]);
    clearTimeout(timer);
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
