/** PostgreSQL's transactions: run again after a deadlock, cut at the deadline; advisory locks. */
import type { DataSource, EntityManager } from 'typeorm';
import type { PostgresDatabaseConfig } from '../config/database-url';
import type { Logger } from '../logger';
import { currentDeadline } from '../request-context';
import { driverCode, isRetryable } from './driver-errors';
import { LockTimeout } from './read-write-lock';
import { lockWritersStatement } from './writers-horizon';

const TRANSACTION_ATTEMPTS = 3;

/**
 * PostgreSQL: a pool of connections, each transaction on its own; no lock in the process (several
 * gateway instances share the database).
 */
export class PostgresTransactions {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: PostgresDatabaseConfig,
    private readonly log: Logger,
  ) {}

  /** Runs `fn` in a transaction, limited to the request's deadline and retried if aborted. */
  run<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.retried(() =>
      this.dataSource.transaction(async (manager) => {
        await this.begin(manager);
        return fn(manager);
      }),
    );
  }

  /**
   * Runs `fn` while no other gateway instance runs an `exclusively` of the same name on this
   * database: a session advisory lock, on a connection of its own, keyed by schema and name.
   */
  async exclusively<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    const key = `meetings-gateway:${this.config.schema}:${name}`;
    try {
      // The wait lasts as long as the other instance's turn (migrations and the demo data on a
      // busy server can outlast a statement timeout); the connection's own limit comes back after.
      await runner.query('SET statement_timeout = 0');
      try {
        await runner.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
      } finally {
        await runner.query('RESET statement_timeout');
      }
      try {
        return await fn();
      } finally {
        await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
      }
    } finally {
      await runner.release();
    }
  }

  /**
   * A write transaction's first statement: the shared lock that makes it one of the gateway's
   * writers (writers-horizon.ts: readers of the change feed wait for these only), and, when the
   * request has a deadline, a statement timeout of what is left, so that a transaction that would
   * run past it (waiting for a row lock, say) is cancelled by the server and nothing of it is
   * committed after the caller was told it failed.
   */
  private async begin(manager: EntityManager): Promise<void> {
    const lock = lockWritersStatement(this.config.schema);
    const deadline = currentDeadline();
    const remaining = deadline === undefined ? undefined : Math.floor(deadline - Date.now());
    if (remaining !== undefined && remaining <= 0) {
      throw new LockTimeout('The deadline passed before the transaction began');
    }
    if (remaining === undefined || remaining >= this.config.statementTimeoutMs) {
      await manager.query(lock.sql, lock.params);
      return;
    }
    await manager.query(`${lock.sql}, set_config('statement_timeout', $3, true)`, [
      ...lock.params,
      String(remaining),
    ]);
  }

  /**
   * Runs a transaction again when the server aborted it as a deadlock or a serialization failure:
   * nothing of it was committed, and a second run usually succeeds.
   */
  private async retried<T>(run: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run();
      } catch (error) {
        if (attempt >= TRANSACTION_ATTEMPTS || !isRetryable(error)) {
          throw error;
        }
        this.log.info({ code: driverCode(error), attempt }, 'transaction retried');
      }
    }
  }
}
