import { Redis } from 'ioredis';
import type { RedisConfig } from '../config/redis-url';
import type { Logger } from '../logger';

/**
 * After a command failed (a Redis that holds the connection open but stops answering fails each
 * command only at the command timeout), commands go to memory for this long before Redis is tried
 * again: one request per second waits for a hung Redis, not every request.
 */
const PAUSE_AFTER_FAILURE_MS = 1000;

/** Reconnection attempts while Redis is away: soon at first, then every two seconds. */
const retryDelayMs = (attempt: number): number => Math.min(attempt * 100, 2000);

/**
 * This instance's one connection to the shared Redis, and whether Redis answers. Nothing waits for
 * Redis: a command is sent only while the connection is ready (no offline queue), and one not
 * answered within the command timeout fails. Its users go on without Redis while it is away and
 * report each outcome here: an outage is logged once when it begins (the connection is lost, or a
 * command fails) and once when it ends (the connection is ready again, or a command succeeds).
 */
export class RedisConnection {
  readonly client: Redis;
  private state: 'starting' | 'up' | 'down' = 'starting';
  private closing = false;
  private pausedUntil = 0;

  constructor(
    readonly config: RedisConfig,
    private readonly logger: Logger,
  ) {
    this.client = new Redis(config.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: config.commandTimeoutMs,
      connectTimeout: config.connectTimeoutMs,
      retryStrategy: retryDelayMs,
    });
    this.client.on('ready', () => this.succeeded());
    this.client.on('error', (error: Error) => this.failed(error));
    this.client.on('close', () => this.failed(new Error('the connection to Redis was closed')));
  }

  /** True while commands can be sent: the connection is ready, and no command failed just now. */
  get usable(): boolean {
    return this.client.status === 'ready' && Date.now() >= this.pausedUntil;
  }

  /**
   * Connects, waiting at most the connect timeout. Never fails: an instance that finds no Redis at
   * start serves with its own memory, and uses Redis once it answers.
   */
  async connect(): Promise<void> {
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.client.off('ready', done).off('error', done).off('close', done);
        resolve();
      };
      const timer = setTimeout(done, this.config.connectTimeoutMs);
      this.client.once('ready', done).once('error', done).once('close', done);
      // Its failure is reported by the error event.
      this.client.connect().catch(() => undefined);
    });
    if (this.state === 'starting') {
      this.failed(new Error(`Redis did not answer within ${this.config.connectTimeoutMs} ms`));
    }
  }

  /** A command answered: Redis is (back) in use. */
  succeeded(): void {
    this.pausedUntil = 0;
    if (this.state === 'up' || this.closing) return;
    const before = this.state;
    this.state = 'up';
    this.logger.info(
      { redis: this.config.displayUrl },
      before === 'starting'
        ? 'Redis connected: rate limits and the APQ cache are shared'
        : 'Redis is back: rate limits and the APQ cache are shared again',
    );
  }

  /** A command failed or the connection was lost: logged when an outage begins, not after. */
  failed(error: unknown): void {
    this.pausedUntil = Date.now() + PAUSE_AFTER_FAILURE_MS;
    if (this.state === 'down' || this.closing) return;
    const before = this.state;
    this.state = 'down';
    this.logger.warn(
      {
        redis: this.config.displayUrl,
        reason: error instanceof Error ? error.message : String(error),
      },
      before === 'starting'
        ? 'Redis unavailable at start: rate limits and the APQ cache are per instance until it answers'
        : 'Redis unavailable: rate limits and the APQ cache are per instance until it answers again',
    );
  }

  /** Closes the connection; stops reconnecting. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.client.status === 'ready') {
      try {
        await this.client.quit();
        return;
      } catch {
        // Not answered in time: cut it.
      }
    }
    this.client.disconnect();
  }
}
