import type { DataSource, EntityManager } from 'typeorm';
import type { DatabaseConfig } from '../config';
import { createDataSource } from '../data-source';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import { currentDeadline } from '../request-context';
import { LockTimeout, ReadWriteLock } from './read-write-lock';
import { SqlLogger } from './sql-logger';
import { verifySqlitePragmas } from './sqlite-pragmas';

/**
 * The gateway's only door to the database. TypeORM's better-sqlite3 driver shares one connection, so
 * a second concurrent transaction would silently nest as a SAVEPOINT inside the first, and a read
 * between two statements of a transaction would see its uncommitted rows. Every write transaction
 * therefore holds a FIFO lock alone, and reads share it with other reads only. A request that is
 * still waiting for the lock at its deadline gives up with SERVICE_UNAVAILABLE.
 */
export class Database {
  private readonly lock = new ReadWriteLock();

  private constructor(
    readonly dataSource: DataSource,
    private readonly sqlLogger: SqlLogger,
    private readonly log: Logger,
  ) {}

  /** Opens the database, checks its settings, and runs pending migrations. */
  static async open(config: DatabaseConfig, log: Logger): Promise<Database> {
    const sqlLogger = new SqlLogger(log.child({ component: 'sql' }));
    const dataSource = createDataSource(config, sqlLogger);
    await dataSource.initialize();
    const db = new Database(dataSource, sqlLogger, log);
    try {
      await db.verifySettings(config);
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      if (applied.length > 0) {
        log.info({ migrations: applied.map((m) => m.name) }, 'database migrated');
      }
    } catch (error) {
      await dataSource.destroy();
      throw error;
    }
    return db;
  }

  /** Statements sent to the database since it was opened. */
  get statementCount(): number {
    return this.sqlLogger.statementCount;
  }

  /** Runs reads that see only committed data, and a consistent view of it. */
  read<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.guard(() => this.lock.read(() => fn(this.dataSource.manager), currentDeadline()));
  }

  /** Runs `fn` in a transaction of its own: all of it is committed, or none of it. */
  transaction<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.guard(() =>
      this.lock.write(() => this.dataSource.transaction(fn), currentDeadline()),
    );
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
    // Waits for running transactions: the last writer holds the lock until it commits.
    await this.lock.write(async () => {
      if (this.dataSource.isInitialized) await this.dataSource.destroy();
    });
  }

  private async verifySettings(config: DatabaseConfig): Promise<void> {
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
      if (error instanceof LockTimeout) {
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

const UNAVAILABLE_CODES = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|CORRUPT|NOTADB)/;

function isUnavailable(error: unknown, dataSource: DataSource): boolean {
  if (error instanceof AppError) return false;
  if (!dataSource.isInitialized) return true;
  const code =
    (error as { code?: unknown; driverError?: { code?: unknown } } | null)?.driverError?.code ??
    (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.test(code)) return true;
  const message = error instanceof Error ? error.message : '';
  return /database connection is not open/i.test(message);
}
