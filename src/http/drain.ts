import type http from 'node:http';
import net from 'node:net';
import type { Logger } from '../logger';

/**
 * The graceful stop of an HTTP server. Once `drain()` is called:
 * - the server stops accepting connections;
 * - every response, those of requests already running included, says `Connection: close`, so a
 *   client sends nothing more on its connection and the connection closes after the answer;
 * - requests still arriving on open keep-alive connections are answered by the gateway (the
 *   handler asks `draining`), never reset;
 * - idle keep-alive connections are closed as soon as no request runs, so they never hold up the
 *   stop;
 * - after `graceMs`, connections still open are cut.
 */
export class HttpDrain {
  private readonly running = new Set<http.ServerResponse>();
  private stopped: Promise<void> | undefined;
  private started = false;
  private idleClosed = false;

  constructor(
    private readonly server: http.Server,
    private readonly graceMs: number,
    private readonly logger: Logger,
  ) {}

  /** True from the moment `drain()` is called. */
  get draining(): boolean {
    return this.started;
  }

  /** Counts `res` as running until it closes; call it first thing for every request. */
  track(res: http.ServerResponse): void {
    this.running.add(res);
    if (this.draining) res.setHeader('Connection', 'close');
    res.once('close', () => {
      this.running.delete(res);
      this.closeIdleWhenDone();
    });
  }

  /** Drains the server; resolves when its last connection has closed. */
  drain(): Promise<void> {
    this.started = true;
    this.stopped ??= new Promise<void>((resolve) => {
      for (const res of this.running) {
        if (!res.headersSent) res.setHeader('Connection', 'close');
      }
      const cut = setTimeout(() => {
        this.logger.warn(
          { requests: this.running.size, graceMs: this.graceMs },
          'stop: the grace period ended, cutting the requests still running',
        );
        this.server.closeAllConnections();
      }, this.graceMs);
      this.server.once('close', () => {
        clearTimeout(cut);
        resolve();
      });
      // Only the listener: http.Server#close would also close the idle keep-alive connections at
      // once, and a request already on its way over one of them would meet a reset. While requests
      // run, the stop waits anyway, so those connections stay open to be answered and closed.
      net.Server.prototype.close.call(this.server);
      this.closeIdleWhenDone();
    });
    return this.stopped;
  }

  private closeIdleWhenDone(): void {
    if (!this.draining || this.running.size > 0 || this.idleClosed) return;
    this.idleClosed = true;
    // Closes the idle connections and ends the server's own timers; the listener is already shut.
    this.server.close();
  }
}
