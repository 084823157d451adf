import BetterSqlite3 from 'better-sqlite3';
import type { TestGateway } from './gateway';

/** The database file of a SQLite test gateway. */
export function sqlitePath(gw: TestGateway): string {
  if (gw.config.database.type !== 'sqlite') throw new Error('a SQLite gateway was expected');
  return gw.config.database.path;
}

/** Runs `fn` on a connection of its own to the file (as a restarted gateway would read it). */
export function withFile<T>(file: string, fn: (db: BetterSqlite3.Database) => T): T {
  const db = new BetterSqlite3(file, { fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** The meeting ids committed to the file. */
export function committedMeetingIds(file: string): Set<string> {
  return withFile(file, (db) => {
    const rows = db.prepare('SELECT meeting_id FROM meeting').all() as { meeting_id: string }[];
    return new Set(rows.map((r) => r.meeting_id));
  });
}

/** `PRAGMA integrity_check`'s answer: ['ok'] for a sound file. */
export function integrityCheck(file: string): string[] {
  return withFile(file, (db) =>
    (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check),
  );
}
