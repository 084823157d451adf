import type { DataSource, QueryRunner } from 'typeorm';
import type { Dialect } from './sql';

/**
 * Who watches the database (metrics, traces): told how long calls waited, and given each statement
 * to run. Without one, nothing is measured and TypeORM is used as it is.
 */
export interface DatabaseObserver {
  /** A call waited this long before it could run: the SQLite lock, or a PostgreSQL connection. */
  waited(seconds: number): void;
  /** Runs one statement (`sql` is its text, with placeholders: never its values) by calling `run`. */
  statement<T>(sql: string, dialect: Dialect, run: () => Promise<T>): Promise<T>;
}

/** Seconds since `started` (process.hrtime.bigint()). */
export function secondsSince(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/**
 * Every statement the data source sends goes to the observer: each query runner it hands out
 * (TypeORM's queries, the gateway's own, transactions) has its `query` wrapped. PostgreSQL: a
 * runner's first connection from the pool is the wait, and is taken before the statement's time
 * starts.
 */
export function observeStatements(
  dataSource: DataSource,
  dialect: Dialect,
  observer: DatabaseObserver,
): void {
  const observed = new WeakSet<QueryRunner>();
  const create = dataSource.createQueryRunner.bind(dataSource);
  dataSource.createQueryRunner = (mode) => {
    const runner = create(mode);
    if (!observed.has(runner)) {
      observed.add(runner);
      observeRunner(runner, dialect, observer);
    }
    return runner;
  };
}

function observeRunner(runner: QueryRunner, dialect: Dialect, observer: DatabaseObserver): void {
  const query = runner.query.bind(runner);
  if (dialect === 'postgres') {
    const connect = runner.connect.bind(runner);
    let asked = false;
    runner.connect = () => {
      if (asked) return connect();
      asked = true;
      const started = process.hrtime.bigint();
      return connect().finally(() => observer.waited(secondsSince(started)));
    };
  }
  runner.query = (async (sql: string, parameters?: unknown[], structured?: boolean) => {
    if (dialect === 'postgres' && !runner.isReleased) await runner.connect();
    return observer.statement(sql, dialect, () => query(sql, parameters, structured as true));
  }) as QueryRunner['query'];
}
