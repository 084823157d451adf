import type { DataSource, EntityManager } from 'typeorm';
import type { DatabaseConfig, SqliteDatabaseConfig } from '../config';
import { createDataSource } from '../data-source';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import { currentDeadline } from '../request-context';
import { LockTimeout, ReadWriteLock } from './read-write-lock';
import { SqlLogger } from './sql-logger';
import { verifySqlitePragmas } from './sqlite-pragmas';

/**
 * The gateway's only door to the database.
 *
 * SQLite: TypeORM's better-sqlite3 driver shares one connection, so a second concurrent transaction
 * would silently nest as a SAVEPOINT inside the first, and a read between two statements of a
 * transaction would see its uncommitted rows. Every write transaction therefore holds a FIFO lock
 * alone, and reads share it with other reads only. A request that is still waiting for the lock at
 * its deadline gives up with SERVICE_UNAVAILABLE.
 *
 * PostgreSQL: a pool of connections, each transaction on its own; no lock in the process (several
 * gateway instances share the database). Writes lock the rows they change (SELECT ... FOR UPDATE),
 * and a transaction the server aborted as a deadlock or a serialization failure is run again.
 */
export class Database {
  private readonly lock: ReadWriteLock | null;

  private constructor(
    readonly dataSource: DataSource,
    private readonly sqlLogger: SqlLogger,
    private readonly log: Logger,
    private readonly config: DatabaseConfig,
  ) {
    this.lock = config.type === 'sqlite' ? new ReadWriteLock() : null;
  }

  /** Opens the database, checks its settings, and runs pending migrations. */
  static async open(config: DatabaseConfig, log: Logger): Promise<Database> {
    const sqlLogger = new SqlLogger(log.child({ component: 'sql' }));
    const dataSource = createDataSource(config, sqlLogger);
    await dataSource.initialize();
    const db = new Database(dataSource, sqlLogger, log, config);
    try {
      if (config.type === 'sqlite') await db.verifySqliteSettings(config);
      const applied = await db.exclusively('migrations', () =>
        dataSource.runMigrations({ transaction: 'each' }),
      );
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
   * Runs `fn` while no other gateway instance runs an `exclusively` of the same name on this
   * database: instances starting together migrate and load demo data one after the other.
   * PostgreSQL: a session advisory lock, on a connection of its own, keyed by schema and name.
   * SQLite: one process has the file, so `fn` simply runs.
   */
  async exclusively<T>(name: string, fn: () => Promise<T>): Promise<T> {
    if (this.config.type !== 'postgres') return fn();
    const runner = this.dataSource.createQueryRunner();
    const key = `meetings-gateway:${this.config.schema}:${name}`;
    try {
      await runner.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
      try {
        return await fn();
      } finally {
        await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
      }
    } finally {
      await runner.release();
    }
  }

  /** Statements sent to the database since it was opened. */
  get statementCount(): number {
    return this.sqlLogger.statementCount;
  }

  /**
   * Runs reads that see only committed data. SQLite: all of `fn` sees one state of the database.
   * PostgreSQL: each statement sees what was committed when it began (READ COMMITTED, no
   * transaction: a page and its count may straddle a concurrent write, as two REST calls would).
   */
  read<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    const { lock } = this;
    const run = () => fn(this.dataSource.manager);
    // PostgreSQL: a read past the deadline is answered at the deadline; it has no effect to undo,
    // and the server cancels it at the statement timeout.
    return this.guard(() =>
      lock ? lock.read(run, currentDeadline()) : byDeadline(run(), currentDeadline()),
    );
  }

  /** Runs `fn` in a transaction of its own: all of it is committed, or none of it. */
  transaction<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    const { lock } = this;
    if (lock) {
      return this.guard(() => lock.write(() => this.dataSource.transaction(fn), currentDeadline()));
    }
    return this.guard(() =>
      this.retried(() =>
        this.dataSource.transaction(async (manager) => {
          await this.limitToDeadline(manager);
          return fn(manager);
        }),
      ),
    );
  }

  /**
   * PostgreSQL: a transaction that would run past the request's deadline (waiting for a row lock,
   * say) is cancelled by the server at the deadline, so nothing of it is committed after the
   * caller was told it failed.
   */
  private async limitToDeadline(manager: EntityManager): Promise<void> {
    const deadline = currentDeadline();
    if (deadline === undefined || this.config.type !== 'postgres') return;
    const remaining = Math.floor(deadline - Date.now());
    if (remaining <= 0) throw new LockTimeout('The deadline passed before the transaction began');
    if (remaining < this.config.statementTimeoutMs) {
      await manager.query(`SET LOCAL statement_timeout = ${remaining}`);
    }
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

  async close(): Promise<void> {
    const destroy = async () => {
      if (this.dataSource.isInitialized) await this.dataSource.destroy();
    };
    // SQLite: waits for running transactions, as the last writer holds the lock until it commits.
    // PostgreSQL: the pool waits for checked-out connections to be released.
    await (this.lock ? this.lock.write(destroy) : destroy());
  }

  /**
   * Runs a PostgreSQL transaction again when the server aborted it as a deadlock or a
   * serialization failure: nothing of it was committed, and a second run usually succeeds.
   */
  private async retried<T>(run: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run();
      } catch (error) {
        if (attempt >= TRANSACTION_ATTEMPTS || !RETRYABLE_CODES.has(driverCode(error) ?? '')) {
          throw error;
        }
        this.log.info({ code: driverCode(error), attempt }, 'transaction retried');
      }
    }
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

  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof LockTimeout || driverCode(error) === STATEMENT_TIMEOUT) {
        throw new AppError('SERVICE_UNAVAILABLE', 'The operation ran past its time limit', [], {
          cause: error,
        });
      }
      if (isUnavailable(error, this.dataSource)) {
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

const TRANSACTION_ATTEMPTS = 3;
/** PostgreSQL: serialization_failure, deadlock_detected. */
const RETRYABLE_CODES = new Set(['40001', '40P01']);
/** PostgreSQL: query_canceled, which statement_timeout raises. */
const STATEMENT_TIMEOUT = '57014';

/**
 * SQLite's codes of a database that cannot serve now; PostgreSQL's connection exceptions (08),
 * insufficient resources (53), operator intervention (57P), and the socket errors of an
 * unreachable server.
 */
const UNAVAILABLE_CODES =
  /^(SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|CORRUPT|NOTADB)|08...|53...|57P..|E(CONNREFUSED|CONNRESET|TIMEDOUT|PIPE|HOSTUNREACH|NETUNREACH|AI_AGAIN)|ENOTFOUND)$/;
const UNAVAILABLE_MESSAGES =
  /database connection is not open|Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is not established|Cannot use a pool after calling end|connect ECONNREFUSED/i;

function driverCode(error: unknown): string | undefined {
  const code =
    (error as { driverError?: { code?: unknown } } | null)?.driverError?.code ??
    (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function isUnavailable(error: unknown, dataSource: DataSource): boolean {
  if (error instanceof AppError) return false;
  if (!dataSource.isInitialized) return true;
  const code = driverCode(error);
  if (code !== undefined && UNAVAILABLE_CODES.test(code)) return true;
  const message = error instanceof Error ? error.message : '';
  return UNAVAILABLE_MESSAGES.test(message);
}
