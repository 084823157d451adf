import type BetterSqlite3 from 'better-sqlite3';
import type { DataSource } from 'typeorm';

/** The better-sqlite3 connection under an open SQLite data source. */
export function sqliteConnection(dataSource: DataSource): BetterSqlite3.Database {
  return (dataSource.driver as unknown as { databaseConnection: BetterSqlite3.Database })
    .databaseConnection;
}

/**
 * The settings every connection to the database file must have. better-sqlite3 reopens a WAL
 * database at synchronous=NORMAL, which can lose the last commits on power loss, so FULL is set
 * on every open and checked afterwards.
 */
export function applySqlitePragmas(db: BetterSqlite3.Database, busyTimeoutMs: number): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
  db.pragma('foreign_keys = ON');
}

export interface SqlitePragmas {
  journalMode: string;
  synchronous: number;
  busyTimeout: number;
  foreignKeys: number;
}

export const SYNCHRONOUS_FULL = 2;

/** Reads back the settings and throws when one of them is not what applySqlitePragmas set. */
export function verifySqlitePragmas(actual: SqlitePragmas, busyTimeoutMs: number): void {
  const wrong: string[] = [];
  if (actual.journalMode.toLowerCase() !== 'wal') wrong.push(`journal_mode=${actual.journalMode}`);
  if (actual.synchronous !== SYNCHRONOUS_FULL) wrong.push(`synchronous=${actual.synchronous}`);
  if (actual.busyTimeout !== Math.trunc(busyTimeoutMs))
    wrong.push(`busy_timeout=${actual.busyTimeout}`);
  if (actual.foreignKeys !== 1) wrong.push(`foreign_keys=${actual.foreignKeys}`);
  if (wrong.length > 0) {
    throw new Error(`The SQLite database did not accept its settings: ${wrong.join(', ')}`);
  }
}
