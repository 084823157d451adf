import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MetricsConfig } from '../config/observability-settings';
import { type Logger, loggableError } from '../logger';
import type { GatewayMetrics } from './metrics';

/**
 * GET /metrics, on a listener of its own: Prometheus scrapes it on an address that the API's
 * clients (and its load balancer) never see.
 */
export class MetricsListener {
  private readonly server: http.Server;

  constructor(
    private readonly metrics: GatewayMetrics,
    private readonly config: MetricsConfig,
    private readonly logger: Logger,
  ) {
    this.server = http.createServer((req, res) => this.answer(req, res));
  }

  /** Resolves to the /metrics URL; a port in use is refused with a sentence naming the setting. */
  listen(): Promise<string> {
    const { port, host } = this.config;
    return new Promise((resolve, reject) => {
      const refuse = (error: NodeJS.ErrnoException) => {
        reject(
          new Error(
            error.code === 'EADDRINUSE'
              ? `METRICS_PORT ${port} is already in use on ${host}: set METRICS_PORT to a free port, or to 0 to turn metrics off`
              : `The metrics listener could not start on ${host}:${port} (METRICS_HOST, METRICS_PORT): ${error.message}`,
            { cause: error },
          ),
        );
      };
      this.server.once('error', refuse);
      this.server.listen(port, host, () => {
        this.server.off('error', refuse);
        const { address, port: bound } = this.server.address() as AddressInfo;
        resolve(`http://${address.includes(':') ? `[${address}]` : address}:${bound}/metrics`);
      });
    });
  }

  /** Stops listening and closes the scrapers' connections. */
  close(): Promise<void> {
    if (!this.server.listening) return Promise.resolve();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.statusCode = path === '/metrics' ? 405 : 404;
      if (res.statusCode === 405) res.setHeader('Allow', 'GET, HEAD');
      res.end();
      return;
    }
    this.metrics.text().then(
      (text) => {
        res.setHeader('Content-Type', this.metrics.contentType);
        res.setHeader('Content-Length', Buffer.byteLength(text));
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      (error: unknown) => {
        this.logger.error({ err: loggableError(error) }, 'metrics could not be collected');
        res.statusCode = 500;
        res.end();
      },
    );
  }
}
