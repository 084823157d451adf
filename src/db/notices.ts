import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type * as PgModule from 'pg';
import type { Client } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import type { PostgresDatabaseConfig } from '../config/database-url';
import { type Logger, loggableError } from '../logger';
import { dialectOf, query } from './sql';

/**
 * Notices that a write committed, sent from inside its transaction and heard by every listener of
 * the channel once it commits (never when it rolls back). PostgreSQL: NOTIFY, heard by every
 * gateway instance on the database through one LISTEN connection each, which reconnects by itself.
 * SQLite: in the process (one gateway per file).
 *
 * A notice is only a hint: a listener told `null` has reconnected and may have missed some, and
 * should read what it follows anew.
 */

export type NoticeListener = (payload: string | null) => void;

const commitHooks = new WeakMap<EntityManager, (() => void)[]>();

/**
 * Runs `fn` in a transaction (`run`) and calls what `afterCommit` registered on its manager once it
 * has committed; a transaction that is tried again starts with none.
 */
export async function withCommitHooks<T>(
  run: (fn: (manager: EntityManager) => Promise<T>) => Promise<T>,
  fn: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  let hooks: (() => void)[] = [];
  const result = await run((manager) => {
    hooks = [];
    commitHooks.set(manager, hooks);
    return fn(manager);
  });
  for (const hook of hooks) hook();
  return result;
}

/** Calls `hook` once the transaction of `manager` has committed. */
export function afterCommit(manager: EntityManager, hook: () => void): void {
  const hooks = commitHooks.get(manager);
  if (!hooks) throw new Error('afterCommit outside a write transaction');
  hooks.push(hook);
}

const localChannels = new WeakMap<DataSource, EventEmitter>();

function localChannel(dataSource: DataSource): EventEmitter {
  let emitter = localChannels.get(dataSource);
  if (!emitter) {
    emitter = new EventEmitter();
    // One listener per channel and gateway; many would be a leak.
    emitter.setMaxListeners(16);
    localChannels.set(dataSource, emitter);
  }
  return emitter;
}

/**
 * PostgreSQL's channel for `channel` in the gateway's schema: instances of other schemas on the
 * same database do not hear each other. Hashed, as a channel name is at most 63 bytes.
 */
export function postgresChannel(schema: string, channel: string): string {
  const digest = createHash('sha256').update(`${schema}\0${channel}`).digest('hex').slice(0, 16);
  return `meetings_gateway_${channel}_${digest}`.slice(0, 63);
}

/** Sends a notice on `channel` from inside a write transaction: heard once it commits. */
export async function notify(
  manager: EntityManager,
  channel: string,
  payload: string,
): Promise<void> {
  if (dialectOf(manager) === 'postgres') {
    const schema = (manager.dataSource.options as { schema?: string }).schema ?? 'public';
    await query(manager, 'SELECT pg_notify(?, ?)', [postgresChannel(schema, channel), payload]);
    return;
  }
  const emitter = localChannel(manager.dataSource);
  afterCommit(manager, () => emitter.emit(channel, payload));
}

/** Where a gateway hears the notices of its database. */
export interface NoticeBoard {
  /** Calls `listener` on each notice of `channel` until the returned function is called. */
  listen(channel: string, listener: NoticeListener): () => void;
  close(): Promise<void>;
}

/** SQLite: the notices of this process's transactions. */
export function localNoticeBoard(dataSource: DataSource): NoticeBoard {
  const emitter = localChannel(dataSource);
  return {
    listen(channel, listener) {
      emitter.on(channel, listener);
      return () => emitter.off(channel, listener);
    },
    close: async () => {
      emitter.removeAllListeners();
    },
  };
}

const RECONNECT_FIRST_MS = 100;
const RECONNECT_MAX_MS = 5000;

/**
 * PostgreSQL: one connection of its own that LISTENs to the channels listened to, opened on the
 * first listener. Lost (a database restart, a terminated backend, a network cut), it is opened
 * again after a growing pause (0.1 s doubling up to 5 s); once it is back, every listener is told
 * `null`, since notices sent meanwhile were missed.
 */
export class PostgresNoticeBoard implements NoticeBoard {
  private readonly listeners = new Map<string, Set<NoticeListener>>();
  private client: Client | null = null;
  private connecting: Promise<void> | null = null;
  private retry: NodeJS.Timeout | null = null;
  private pause = RECONNECT_FIRST_MS;
  private closed = false;

  constructor(
    private readonly config: PostgresDatabaseConfig,
    private readonly log: Logger,
  ) {}

  listen(channel: string, listener: NoticeListener): () => void {
    const name = postgresChannel(this.config.schema, channel);
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
      if (this.client) void this.send(this.client, `LISTEN ${quoted(name)}`);
    }
    set.add(listener);
    if (!this.client && !this.connecting) this.connect();
    return () => {
      const current = this.listeners.get(name);
      current?.delete(listener);
      if (current && current.size === 0) {
        this.listeners.delete(name);
        if (this.client) void this.send(this.client, `UNLISTEN ${quoted(name)}`);
      }
    };
  }

  /** Whether the LISTEN connection is open now. */
  get connected(): boolean {
    return this.client !== null;
  }

  private connect(): void {
    if (this.closed) return;
    // Loaded on PostgreSQL only: a gateway on SQLite never needs pg.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Client } = require('pg') as typeof PgModule;
    const client = new Client({
      connectionString: this.config.url,
      connectionTimeoutMillis: this.config.connectTimeoutMs,
      application_name: 'meetings-gateway-listener',
      keepAlive: true,
    });
    client.on('notification', (message) => {
      for (const listener of this.listeners.get(message.channel) ?? []) {
        listener(message.payload ?? '');
      }
    });
    // An open connection that fails or ends is opened anew; a failed open is tried again.
    const lost = (error?: unknown) => {
      if (this.client !== client) return;
      this.client = null;
      this.reconnectLater(client, error);
    };
    client.on('error', lost);
    client.on('end', () => lost());
    this.connecting = (async () => {
      try {
        await client.connect();
        for (const name of this.listeners.keys()) await client.query(`LISTEN ${quoted(name)}`);
        if (this.closed) {
          await client.end();
          return;
        }
        const reconnected = this.pause > RECONNECT_FIRST_MS;
        this.client = client;
        this.pause = RECONNECT_FIRST_MS;
        if (reconnected) this.log.info('database notices connection back');
        // Notices sent while no connection listened are lost: every listener reads anew.
        for (const set of this.listeners.values()) for (const listener of set) listener(null);
      } catch (error) {
        this.reconnectLater(client, error);
      } finally {
        this.connecting = null;
      }
    })();
  }

  private reconnectLater(client: Client, error: unknown): void {
    client.removeAllListeners('end');
    client.end().catch(() => undefined);
    if (this.closed) return;
    this.log.warn(
      { err: error === undefined ? undefined : loggableError(error), retryInMs: this.pause },
      'database notices connection lost; reconnecting',
    );
    this.retry = setTimeout(() => {
      this.retry = null;
      this.connect();
    }, this.pause);
    this.retry.unref();
    this.pause = Math.min(this.pause * 2, RECONNECT_MAX_MS);
  }

  private async send(client: Client, sql: string): Promise<void> {
    try {
      await client.query(sql);
    } catch (error) {
      // The connection is lost: reconnecting LISTENs to every channel again.
      this.log.warn({ err: loggableError(error) }, 'database notices statement failed');
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    await this.connecting;
    const client = this.client;
    this.client = null;
    this.listeners.clear();
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
    }
  }
}

function quoted(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}
