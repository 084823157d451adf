import type { DataSource, EntityManager } from 'typeorm';
import type { DatabaseConfig, SqliteDatabaseConfig } from '../config/database-url';
import { createDataSource } from '../data-source';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import { currentDeadline } from '../request-context';
import { type DatabaseObserver, observeStatements, secondsSince } from './database-observer';
import { isStatementTimeout, isUnavailable, makesUnwritable } from './driver-errors';
import {
  type NoticeBoard,
  PostgresNoticeBoard,
  localNoticeBoard,
  withCommitHooks,
} from './notices';
import { PostgresTransactions } from './postgres-transactions';
import { LockTimeout, ReadWriteLock } from './read-write-lock';
import { SqlLogger } from './sql-logger';
import { verifySqlitePragmas } from './sqlite-pragmas';
import { SqliteTransactions } from './sqlite-transactions';
import { writeProbe } from './write-probe';

/**
 * The gateway's only door to the database.
 *
 * SQLite: TypeORM's better-sqlite3 driver shares one connection, so a second concurrent transaction
 * would silently nest as a SAVEPOINT inside the first, and a read between two statements of a
 * transaction would see its uncommitted rows. Every write transaction therefore holds a FIFO lock
 * alone, and reads share it with other reads only. A request that is still waiting for the lock at
 * its deadline gives up with SERVICE_UNAVAILABLE. The transactions themselves are run by
 * SqliteTransactions (BEGIN IMMEDIATE, and a connection known to be outside any transaction after
 * each). Other processes may write the same file: a read of several statements can then see a
 * write of theirs between two of them, as on PostgreSQL.
 *
 * PostgreSQL: a pool of connections, each transaction on its own; no lock in the process (several
 * gateway instances share the database). Writes lock the rows they change (SELECT ... FOR UPDATE),
 * and a transaction the server aborted as a deadlock or a serialization failure is run again
 * (PostgresTransactions).
 *
 * Both: a write that failed because the database cannot take writes (full, read-only, I/O error,
 * lost connection) makes the database "unwritable" until a write commits again; while it is, each
 * readiness check tries a small write of its own (`writable()`), so readiness tells the truth and
 * recovers by itself.
 */
export class Database {
  private readonly lock: ReadWriteLock | null;
  private readonly sqlite: SqliteTransactions | null;
  private readonly postgres: PostgresTransactions | null;
  /** Whether the last write committed; undefined until one was tried. */
  private lastWriteCommitted: boolean | undefined;
  /** The notices of committed writes (notices.ts): across instances on PostgreSQL. */
  readonly notices: NoticeBoard;

  private constructor(
    readonly dataSource: DataSource,
    private readonly sqlLogger: SqlLogger,
    private readonly log: Logger,
    private readonly config: DatabaseConfig,
    private readonly observer: DatabaseObserver | undefined,
  ) {
    this.lock = config.type === 'sqlite' ? new ReadWriteLock() : null;
    this.sqlite = config.type === 'sqlite' ? new SqliteTransactions(dataSource, log) : null;
    this.postgres =
      config.type === 'postgres' ? new PostgresTransactions(dataSource, config, log) : null;
    this.notices =
      config.type === 'postgres'
        ? new PostgresNoticeBoard(config, log)
        : localNoticeBoard(dataSource);
  }

  /**
   * Opens the database, checks its settings, and runs pending migrations. An observer is told of
   * waits and given every statement.
   */
  static async open(
    config: DatabaseConfig,
    log: Logger,
    observer?: DatabaseObserver,
  ): Promise<Database> {
    const sqlLogger = new SqlLogger(log.child({ component: 'sql' }));
    const dataSource = createDataSource(config, sqlLogger);
    if (observer) observeStatements(dataSource, config.type, observer);
    await dataSource.initialize();
    const db = new Database(dataSource, sqlLogger, log, config, observer);
    try {
      if (config.type === 'sqlite') await db.verifySqliteSettings(config);
      const applied = await db.migrate();
      if (applied.length > 0) {
        log.info({ migrations: applied.map((m) => m.name) }, 'database migrated');
      }
    } catch (error) {
      await dataSource.destroy();
      throw error;
    }
    return db;
  }

  /**
   * Runs the pending migrations, one gateway at a time. PostgreSQL: each in a transaction of its
   * own, under an advisory lock. SQLite: all in one BEGIN IMMEDIATE transaction, which another
   * process starting on the same file waits for.
   */
  private migrate() {
    if (this.sqlite) {
      return this.sqlite.alone(MIGRATION_WAIT_MS, () =>
        this.dataSource.runMigrations({ transaction: 'none' }),
      );
    }
    return this.exclusively('migrations', () =>
      this.dataSource.runMigrations({ transaction: 'each' }),
    );
  }

  /**
   * Runs `fn` while no other gateway instance runs an `exclusively` of the same name on this
   * database: instances starting together load demo data one after the other.
   * PostgreSQL: a session advisory lock, on a connection of its own, keyed by schema and name.
   * SQLite: `fn` simply runs; its own BEGIN IMMEDIATE transactions serialize processes.
   */
  exclusively<T>(name: string, fn: () => Promise<T>): Promise<T> {
    return this.postgres ? this.postgres.exclusively(name, fn) : fn();
  }

  /** Statements sent to the database since it was opened. */
  get statementCount(): number {
    return this.sqlLogger.statementCount;
  }

  /**
   * Runs reads that see only committed data. SQLite: no write of this process runs meanwhile.
   * PostgreSQL: each statement sees what was committed when it began (READ COMMITTED, no
   * transaction: a page and its count may straddle a concurrent write, as two REST calls would).
   */
  read<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    const { lock } = this;
    const run = () => fn(this.dataSource.manager);
    // PostgreSQL: a read past the deadline is answered at the deadline; it has no effect to undo,
    // and the server cancels it at the statement timeout.
    return this.guard(() =>
      lock
        ? this.timedWait<T>((granted) => lock.read(granted(run), currentDeadline()))
        : byDeadline(run(), currentDeadline()),
    );
  }

  /**
   * Runs `fn` in a transaction of its own: all of it is committed, or none of it. What it
   * registered with `afterCommit` (notices.ts) runs once it has committed.
   */
  transaction<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    const { lock, sqlite, postgres } = this;
    const run: () => Promise<T> =
      lock && sqlite
        ? () =>
            this.timedWait<T>((granted) =>
              lock.write(
                granted(() => withCommitHooks((f) => sqlite.run(f), fn)),
                currentDeadline(),
              ),
            )
        : () => withCommitHooks((f) => postgres!.run(f), fn);
    return this.guard(async () => {
      try {
        const result = await run();
        this.lastWriteCommitted = true;
        return result;
      } catch (error) {
        // A failed COMMIT comes as SERVICE_UNAVAILABLE already: the driver's error is its cause.
        const failure = error instanceof AppError ? error.cause : error;
        if (makesUnwritable(failure)) this.lastWriteCommitted = false;
        throw error;
      }
    });
  }

  /** Whether the database answers a query now. */
  async ping(): Promise<boolean> {
    try {
      await this.read((manager) => manager.query('SELECT count(*) FROM "migrations"'));
      return true;
    } catch (error) {
      this.log.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'database ping failed',
      );
      return false;
    }
  }

  /**
   * Whether the database takes writes now. While the last write committed, a read that answers is
   * enough; after a write failed because the database could not take it (or before any write), a
   * small write of its own is committed to find out (a row in health_probe, written and removed).
   */
  async writable(): Promise<boolean> {
    if (this.lastWriteCommitted === true && !this.sqlite?.disconnected) return this.ping();
    try {
      await this.transaction((manager) => writeProbe(manager, this.config.type));
      return true;
    } catch (error) {
      this.log.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'database write probe failed',
      );
      return false;
    }
  }

  async close(): Promise<void> {
    await this.notices.close();
    this.sqlite?.close();
    const destroy = async () => {
      if (this.dataSource.isInitialized) await this.dataSource.destroy();
    };
    // SQLite: waits for running transactions, as the last writer holds the lock until it commits.
    // PostgreSQL: the pool waits for checked-out connections to be released.
    await (this.lock ? this.lock.write(destroy) : destroy());
  }

  private async verifySqliteSettings(config: SqliteDatabaseConfig): Promise<void> {
    const value = async (pragma: string): Promise<unknown> => {
      const rows: Record<string, unknown>[] = await this.dataSource.query(`PRAGMA ${pragma}`);
      return Object.values(rows[0] ?? {})[0];
    };
    verifySqlitePragmas(
      {
        journalMode: String(await value('journal_mode')),
        synchronous: Number(await value('synchronous')),
        busyTimeout: Number(await value('busy_timeout')),
        foreignKeys: Number(await value('foreign_keys')),
      },
      config.busyTimeoutMs,
    );
  }

  /**
   * SQLite: tells the observer how long the lock was waited for, once it is granted (the function
   * `granted` wraps starts) or given up.
   */
  private timedWait<T>(
    wait: (granted: (run: () => Promise<T>) => () => Promise<T>) => Promise<T>,
  ): Promise<T> {
    const { observer } = this;
    if (!observer) return wait((run) => run);
    const started = process.hrtime.bigint();
    let told = false;
    const tell = () => {
      if (!told) observer.waited(secondsSince(started));
      told = true;
    };
    return wait((run) => () => {
      tell();
      return run();
    }).catch((error: unknown) => {
      if (error instanceof LockTimeout) tell();
      throw error;
    });
  }

  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof LockTimeout || isStatementTimeout(error)) {
        throw new AppError('SERVICE_UNAVAILABLE', 'The operation ran past its time limit', [], {
          cause: error,
        });
      }
      if (
        !(error instanceof AppError) &&
        (!this.dataSource.isInitialized || isUnavailable(error))
      ) {
        throw new AppError('SERVICE_UNAVAILABLE', 'The database is unavailable', [], {
          cause: error,
        });
      }
      throw error;
    }
  }
}

/** Settles as `work` does, or with LockTimeout at the deadline if that comes first. */
function byDeadline<T>(work: Promise<T>, deadline: number | undefined): Promise<T> {
  if (deadline === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new LockTimeout('The deadline passed before the database answered')),
      Math.max(0, deadline - Date.now()),
    );
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** SQLite: how long a starting gateway waits for another process that migrates the same file. */
const MIGRATION_WAIT_MS = 120_000;
