import 'reflect-metadata';
import { closeSync, fsyncSync, linkSync, openSync, renameSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { ConfigError, type Config, loadConfig } from '../../src/config';
import type { SqliteDatabaseConfig } from '../../src/config/database-url';
import { MIGRATIONS } from '../../src/data-source';

/** Exit codes, as sysexits.h names them: a script can tell the failures apart. */
export const EXIT = {
  /** Bad arguments. */
  usage: 64,
  /** The file is not a sound gateway database: damaged, not one, or from a newer gateway. */
  data: 65,
  /** The file to read is missing. */
  noInput: 66,
  /** The file to write exists (and --force was not given), or cannot be made. */
  cantCreate: 73,
  /** The database is in use: try again once the gateway is stopped. */
  inUse: 75,
  /** The settings are invalid, or name a database these commands do not copy (PostgreSQL). */
  config: 78,
} as const;

/** A failure the operator can act on: its message is printed as it is, with its exit code. */
export class CommandError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The SQLite database the gateway's settings name (DATABASE_URL, read as the gateway reads it). A
 * PostgreSQL setting is refused with the server's own tools to use instead.
 */
export function sqliteDatabase(
  command: 'backup' | 'restore',
  load: () => Config = loadConfig,
): SqliteDatabaseConfig {
  let config: Config;
  try {
    config = load();
  } catch (error) {
    if (error instanceof ConfigError) throw new CommandError(EXIT.config, error.message);
    throw error;
  }
  const { database } = config;
  if (database.type === 'postgres') {
    const tool =
      command === 'backup'
        ? `pg_dump --format=custom --schema=${database.schema} --file=<file> "<DATABASE_URL without ?schema>"`
        : `pg_restore --clean --if-exists --single-transaction --schema=${database.schema} --dbname="<DATABASE_URL without ?schema>" <file>`;
    throw new CommandError(
      EXIT.config,
      `DATABASE_URL names a PostgreSQL database (${config.databaseUrl}): npm run ${command} copies the SQLite file only.\n` +
        `Use PostgreSQL's own tools, as in docs/operations.md#backups:\n  ${tool}`,
    );
  }
  return database;
}

/** What a gateway database holds, once checked. */
export interface DatabaseSummary {
  /** The migrations applied to it, oldest first. */
  migrations: string[];
  /** The migrations this gateway has that the file does not: they run when a gateway opens it. */
  pending: string[];
  /** The migrations of the file this gateway does not know: a newer gateway wrote it. */
  unknown: string[];
  meetings: number;
}

/** The migration names this gateway knows, oldest first. */
export function knownMigrations(): string[] {
  return MIGRATIONS.sqlite.map((Migration) => new Migration().name ?? Migration.name);
}

/**
 * Checks that `db` is a sound gateway database this gateway can open: `integrity_check` ok, no
 * foreign key violation, and a migration history of names this gateway knows. `what` names the
 * file in messages.
 */
export function checkGatewayDatabase(
  db: BetterSqlite3.Database,
  what: string,
  options: { acceptNewer?: boolean } = {},
): DatabaseSummary {
  let integrity: string[];
  try {
    integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map(
      (row) => row.integrity_check,
    );
  } catch (error) {
    throw new CommandError(EXIT.data, `${what} cannot be read as a database: ${message(error)}`);
  }
  if (integrity.length !== 1 || integrity[0] !== 'ok') {
    throw new CommandError(
      EXIT.data,
      `${what} fails PRAGMA integrity_check:\n  ${integrity.slice(0, 10).join('\n  ')}`,
    );
  }
  const hasMigrations = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'")
    .get();
  const hasMeetings = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meeting'")
    .get();
  if (!hasMigrations || !hasMeetings) {
    throw new CommandError(
      EXIT.data,
      `${what} is not a meetings gateway database (it has no ${hasMigrations ? 'meeting' : 'migrations'} table)`,
    );
  }
  const migrations = (
    db.prepare('SELECT name FROM migrations ORDER BY timestamp, id').all() as { name: string }[]
  ).map((row) => row.name);
  if (migrations.length === 0) {
    throw new CommandError(
      EXIT.data,
      `${what} is not a meetings gateway database (no migration was ever applied to it)`,
    );
  }
  const known = knownMigrations();
  const unknown = migrations.filter((name) => !known.includes(name));
  if (unknown.length > 0 && !options.acceptNewer) {
    throw new CommandError(
      EXIT.data,
      `${what} has migrations this gateway does not know (${unknown.join(', ')}): it was written by a newer version of the gateway. Use that version.`,
    );
  }
  const violations = db.pragma('foreign_key_check') as unknown[];
  if (violations.length > 0) {
    throw new CommandError(
      EXIT.data,
      `${what} fails PRAGMA foreign_key_check: ${violations.length} row(s) point to rows that are not there`,
    );
  }
  const { meetings } = db.prepare('SELECT count(*) AS meetings FROM meeting').get() as {
    meetings: number;
  };
  return {
    migrations,
    pending: known.filter((name) => !migrations.includes(name)),
    unknown,
    meetings,
  };
}

/** Writes a file's data and metadata to the disk. */
export function fsyncPath(file: string): void {
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes the names in a directory (a new, renamed or removed file) durable. */
export function fsyncDirectory(dir: string): void {
  fsyncPath(dir);
}

/**
 * Gives the complete, synced file `temporary` its final name `target` in one step: a crash leaves
 * either no `target` (or the one it replaced) or the whole new one. Without `overwrite`, an
 * existing `target` is left as it is and refused (link(2) fails when the name exists, with no
 * window between a check and the rename).
 */
export function publish(temporary: string, target: string, overwrite: boolean): void {
  if (overwrite) {
    renameSync(temporary, target);
  } else {
    try {
      linkSync(temporary, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new CommandError(
          EXIT.cantCreate,
          `${target} exists: give another file, or --force to replace it`,
        );
      }
      throw error;
    }
    unlinkSync(temporary);
  }
  fsyncDirectory(path.dirname(target));
}

/** A name for a temporary file next to `target`, on the same file system (for an atomic rename). */
export function temporaryNextTo(target: string, purpose: string): string {
  return path.join(
    path.dirname(target),
    `.${path.basename(target)}.${purpose}-${process.pid}-${Date.now()}.tmp`,
  );
}

/** Removes a file if it is there. */
export function removeIfPresent(file: string): void {
  try {
    unlinkSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The files SQLite keeps beside a database in WAL mode (and a rollback journal). */
export const SIDE_FILES = ['-wal', '-shm', '-journal'] as const;

/** Whether `a` and `b` name the same file, or `b` is one of `a`'s side files. */
export function sameDatabaseFile(a: string, b: string): boolean {
  const resolved = path.resolve(b);
  return [a, ...SIDE_FILES.map((suffix) => a + suffix)].includes(resolved);
}
