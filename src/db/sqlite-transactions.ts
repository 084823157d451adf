import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import { driverCode, needsNewConnection } from './driver-errors';
import { sqliteConnection } from './sqlite-pragmas';

/**
 * SQLite's write transactions, run by the gateway itself on the one shared connection rather than
 * through TypeORM: `BEGIN IMMEDIATE`, the work, `COMMIT`, and afterwards, committed or not, the
 * connection is known to be outside any transaction, in better-sqlite3's eyes and in TypeORM's, or
 * it is closed and opened anew.
 *
 * Why: SQLite rolls a transaction back by itself when a statement or the COMMIT fails with a full
 * disk or an I/O error. TypeORM's ROLLBACK then failed ("no transaction is active"), its
 * transaction depth stayed at 1, the next write ran as a SAVEPOINT that left a transaction open for
 * good, and every later write was acknowledged inside it and never committed.
 *
 * BEGIN IMMEDIATE takes the file's write lock at the start, so that another process writing the
 * same file makes the transaction wait (up to the busy timeout) before it has done anything,
 * instead of failing half-way (SQLITE_BUSY_SNAPSHOT). The caller holds the process's write lock.
 */
export class SqliteTransactions {
  /** The connection must be opened anew before the next write. */
  private reopenBeforeWrite = false;
  private closed = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly log: Logger,
  ) {}

  /** BEGIN IMMEDIATE, `fn`, COMMIT. A COMMIT that failed is SERVICE_UNAVAILABLE. */
  async run<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.reopenBeforeWrite || !this.dataSource.isInitialized) await this.reopen();
    // A connection found in a transaction is opened anew: the runner is taken after that.
    await this.leaveTransaction(this.dataSource.createQueryRunner(), undefined);
    const runner = this.dataSource.createQueryRunner();
    await runner.query('BEGIN IMMEDIATE');
    let result: T;
    try {
      result = await fn(runner.manager);
    } catch (error) {
      await this.leaveTransaction(runner, error);
      throw error;
    }
    try {
      await runner.query('COMMIT');
    } catch (error) {
      await this.leaveTransaction(runner, error);
      throw new AppError('SERVICE_UNAVAILABLE', 'The database did not commit the write', [], {
        cause: error,
      });
    }
    await this.leaveTransaction(runner, undefined);
    return result;
  }

  /**
   * Runs `fn` inside BEGIN IMMEDIATE … COMMIT, waiting up to `waitMs` for another process's write
   * lock (each wait is one busy timeout): gateways starting together on one new file migrate one
   * after the other. `fn` must not begin a transaction of its own.
   */
  async alone<T>(waitMs: number, fn: () => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    const until = Date.now() + waitMs;
    for (;;) {
      try {
        await runner.query('BEGIN IMMEDIATE');
        break;
      } catch (error) {
        if (!/^SQLITE_BUSY/.test(driverCode(error) ?? '') || Date.now() >= until) throw error;
        this.log.info('waiting for another process that has the database file locked');
      }
    }
    try {
      const result = await fn();
      await runner.query('COMMIT');
      return result;
    } finally {
      await this.leaveTransaction(runner, undefined);
    }
  }

  /** Whether the connection is closed (and will be opened by the next write). */
  get disconnected(): boolean {
    return !this.dataSource.isInitialized;
  }

  /** No connection is opened any more. */
  close(): void {
    this.closed = true;
  }

  /**
   * Rolls back what is left open on the connection. A connection that cannot be brought outside
   * any transaction is opened anew now; one whose write failed in a way that may be the
   * connection's own (a file read-only when it was opened, moved, damaged), before the next write.
   */
  private async leaveTransaction(runner: QueryRunner, failure: unknown): Promise<void> {
    if (!this.dataSource.isInitialized) return;
    const connection = sqliteConnection(this.dataSource);
    if (connection.inTransaction) {
      try {
        await runner.query('ROLLBACK');
      } catch (error) {
        this.log.warn({ err: (error as Error).message }, 'rollback failed');
      }
    }
    if (connection.inTransaction || runner.isTransactionActive) {
      this.log.warn('the connection was left in a transaction: it is opened anew');
      await this.reopen();
    } else if (failure !== undefined && needsNewConnection(failure)) {
      this.reopenBeforeWrite = true;
    }
  }

  /**
   * Closes the connection (rolling back anything open on it) and opens it again. The file must
   * still be there: a database moved away is not replaced by an empty one.
   */
  private async reopen(): Promise<void> {
    if (this.closed) throw new AppError('SERVICE_UNAVAILABLE', 'The database is closed');
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    this.reopenBeforeWrite = true;
    // better-sqlite3's option, read by TypeORM's driver at each connect: the first open made the
    // file; a later one must find it.
    Object.assign(this.dataSource.options, { fileMustExist: true });
    await this.dataSource.initialize();
    this.reopenBeforeWrite = false;
    this.log.info('database connection opened anew');
  }
}
