/** The limit server's database: one better-sqlite3 connection, cached statements, counted. */
import BetterSqlite3 from 'better-sqlite3';

/** The bench database file, opened with the gateway's SQLite settings. */
export class LimitDb {
  /** Statements run since the server started (the bench reads it at /stats). */
  statements = 0;
  private readonly db: BetterSqlite3.Database;
  private readonly cache = new Map<string, BetterSqlite3.Statement>();

  constructor(file: string) {
    this.db = new BetterSqlite3(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
  }

  all<T>(sql: string, params: unknown[]): T[] {
    this.statements++;
    return this.prepared(sql).all(...params) as T[];
  }

  get<T>(sql: string, params: unknown[]): T | undefined {
    this.statements++;
    return this.prepared(sql).get(...params) as T | undefined;
  }

  run(sql: string, params: unknown[]): void {
    this.statements++;
    this.prepared(sql).run(...params);
  }

  /** `fn` as one transaction (better-sqlite3's BEGIN … COMMIT, ROLLBACK on a throw). */
  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
    return this.db.transaction(fn);
  }

  close(): void {
    this.db.close();
  }

  private prepared(sql: string): BetterSqlite3.Statement {
    let statement = this.cache.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }
}
