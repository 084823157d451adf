import { chmodSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabaseConfig } from '../../src/config/database-url';
import {
  CommandError,
  type DatabaseSummary,
  EXIT,
  checkGatewayDatabase,
  fsyncPath,
  message,
  publish,
  removeIfPresent,
  sameDatabaseFile,
  temporaryNextTo,
} from './shared';

export interface BackupResult {
  file: string;
  bytes: number;
  summary: DatabaseSummary;
}

/**
 * Copies the live database to `target` while gateways keep writing to it.
 *
 * Consistency: one `VACUUM INTO` statement reads the whole database in a single read transaction.
 * In WAL mode that transaction sees every transaction committed before it began and none that
 * commits during it, and it neither waits for writers nor makes them wait. The copy is written to
 * a temporary file beside `target`, checked (integrity_check, foreign_key_check, the migration
 * history), synced, and only then given its name, so `target` is either absent (or what it was) or
 * a complete backup.
 */
export function makeBackup(
  database: SqliteDatabaseConfig,
  targetArgument: string,
  options: { force: boolean },
): BackupResult {
  const target = path.resolve(targetArgument);
  if (sameDatabaseFile(database.path, target)) {
    throw new CommandError(EXIT.usage, `${target} is the live database: give another file`);
  }
  if (!options.force && existsSync(target)) {
    throw new CommandError(
      EXIT.cantCreate,
      `${target} exists: give another file, or --force to replace it`,
    );
  }
  const directory = path.dirname(target);
  if (!existsSync(directory) || !statSync(directory).isDirectory()) {
    throw new CommandError(EXIT.cantCreate, `The directory ${directory} does not exist`);
  }
  if (!existsSync(database.path)) {
    throw new CommandError(
      EXIT.noInput,
      `There is no database at ${database.path} (DATABASE_URL): nothing to back up`,
    );
  }

  const temporary = temporaryNextTo(target, 'backup');
  try {
    const source = openSource(database);
    try {
      // The copy also needs the migrations table: a file that is not a gateway's is refused here,
      // before anything is written.
      notAGatewayDatabase(source, database.path);
      source.prepare('VACUUM INTO ?').run(temporary);
    } catch (error) {
      if (error instanceof CommandError) throw error;
      throw new CommandError(
        /BUSY|LOCKED/.test(code(error)) ? EXIT.inUse : EXIT.data,
        `Could not copy ${database.path}: ${message(error)}`,
      );
    } finally {
      source.close();
    }
    chmodSync(temporary, statSync(database.path).mode & 0o777);
    const copy = new BetterSqlite3(temporary, { fileMustExist: true });
    let summary: DatabaseSummary;
    try {
      summary = checkGatewayDatabase(copy, `The copy of ${database.path}`, { acceptNewer: true });
    } finally {
      copy.close();
    }
    // SQLite does not sync what VACUUM INTO writes.
    fsyncPath(temporary);
    publish(temporary, target, options.force);
    return { file: target, bytes: statSync(target).size, summary };
  } finally {
    removeIfPresent(temporary);
  }
}

/** A connection to the live file that changes nothing in it (its journal mode stays WAL). */
function openSource(database: SqliteDatabaseConfig): BetterSqlite3.Database {
  try {
    return new BetterSqlite3(database.path, {
      fileMustExist: true,
      timeout: database.busyTimeoutMs,
    });
  } catch (error) {
    throw new CommandError(EXIT.noInput, `Cannot open ${database.path}: ${message(error)}`);
  }
}

function notAGatewayDatabase(db: BetterSqlite3.Database, file: string): void {
  let tables: string[];
  try {
    tables = (
      db
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('migrations', 'meeting')",
        )
        .all() as { name: string }[]
    ).map((row) => row.name);
  } catch (error) {
    if (code(error) === 'SQLITE_NOTADB') {
      throw new CommandError(EXIT.data, `${file} is not a SQLite database`);
    }
    throw error;
  }
  if (tables.length < 2) {
    throw new CommandError(EXIT.data, `${file} is not a meetings gateway database`);
  }
}

function code(error: unknown): string {
  return String((error as { code?: unknown }).code ?? '');
}
