import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readSync,
  statSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabaseConfig } from '../../src/config/database-url';
import {
  CommandError,
  type DatabaseSummary,
  EXIT,
  checkGatewayDatabase,
  fsyncDirectory,
  fsyncPath,
  message,
  publish,
  removeIfPresent,
  sameDatabaseFile,
  temporaryNextTo,
} from './shared';

export interface RestoreResult {
  /** Where the database as it was before the restore is kept; null when there was none. */
  keptAs: string | null;
  summary: DatabaseSummary;
}

export interface RestoreHooks {
  /** Runs while the live file is locked, before anything in it changes (for tests). */
  whileLocked?: () => Promise<void>;
}

/** SQLite's file header: a file whose first 16 bytes are not its magic string is not a database. */
const HEADER_BYTES = 100;
const CHUNK_BYTES = 1024 * 1024;

/**
 * Puts `backupArgument` back as the live database, while no process has the database open.
 *
 * 1. The backup is copied by SQLite (VACUUM INTO, which also reads a WAL beside it) to a staging
 *    file beside the live one, and both are checked: integrity_check, foreign_key_check, and a
 *    migration history this gateway knows.
 * 2. The live file is locked: a connection in EXCLUSIVE locking mode switches it out of WAL mode.
 *    That needs every other connection to be closed (each one in WAL mode holds a shared lock on
 *    the file for as long as it is open) and fails at once otherwise: the restore is refused and
 *    nothing is changed. Once switched, the WAL has been checkpointed into the file and deleted,
 *    and the connection keeps an exclusive lock that every other connection needs to get past to
 *    read, so a gateway starting now waits for it (up to its busy timeout, then fails to start).
 * 3. Still under the lock: the live file's bytes are copied aside to `<db>.before-restore-<time>`
 *    (synced), and the staged backup is written over the live file in place (the same inode, so a
 *    process that opened the path meanwhile and waits for the lock reads the new content): first
 *    the header is zeroed, then the pages, then the header, each step synced. A crash half-way
 *    leaves a file SQLite refuses as "not a database", never a mix that a gateway would serve.
 * 4. The stale -shm is removed, and the lock released.
 */
export async function restoreBackup(
  database: SqliteDatabaseConfig,
  backupArgument: string,
  hooks: RestoreHooks = {},
): Promise<RestoreResult> {
  const live = database.path;
  const backup = path.resolve(backupArgument);
  if (sameDatabaseFile(live, backup)) {
    throw new CommandError(EXIT.usage, `${backup} is the live database: give a backup file`);
  }
  if (!existsSync(backup) || !statSync(backup).isFile()) {
    throw new CommandError(EXIT.noInput, `There is no backup file at ${backup}`);
  }
  const directory = path.dirname(live);
  if (!existsSync(directory) || !statSync(directory).isDirectory()) {
    throw new CommandError(
      EXIT.cantCreate,
      `The directory of the database, ${directory} (DATABASE_URL), does not exist`,
    );
  }

  const staged = temporaryNextTo(live, 'restore');
  try {
    const summary = stage(backup, staged);
    const keptAs = await replaceLocked(live, staged, hooks);
    return { keptAs, summary };
  } finally {
    removeIfPresent(staged);
  }
}

/** Copies the checked backup to `staged`, a private file beside the live one, and syncs it. */
function stage(backup: string, staged: string): DatabaseSummary {
  const what = `The backup ${backup}`;
  let source: BetterSqlite3.Database;
  try {
    source = new BetterSqlite3(backup, { fileMustExist: true });
  } catch (error) {
    throw new CommandError(EXIT.noInput, `Cannot open ${backup}: ${message(error)}`);
  }
  try {
    checkGatewayDatabase(source, what);
    source.prepare('VACUUM INTO ?').run(staged);
  } finally {
    source.close();
  }
  const copy = new BetterSqlite3(staged, { fileMustExist: true });
  let summary: DatabaseSummary;
  try {
    summary = checkGatewayDatabase(copy, what);
  } finally {
    copy.close();
  }
  fsyncPath(staged);
  return summary;
}

async function replaceLocked(
  live: string,
  staged: string,
  hooks: RestoreHooks,
): Promise<string | null> {
  const lock = lockLive(live);
  let fd: number | undefined;
  try {
    if (existsSync(`${live}-wal`)) {
      throw new CommandError(
        EXIT.inUse,
        `${live}-wal is still there after the checkpoint: nothing was changed`,
      );
    }
    // No connection can use it now: the next one to open the database makes a new one.
    removeIfPresent(`${live}-shm`);
    await hooks.whileLocked?.();

    // Opened while the lock is held and closed only after the lock's connection is: closing any
    // descriptor of the file would release the POSIX locks this process holds on it.
    fd = openSync(live, 'r+');
    const keptAs = fstatSync(fd).size > 0 ? keepAside(live, fd) : null;
    let written = false;
    try {
      overwrite(fd, staged);
      written = true;
    } finally {
      if (!written) {
        process.stderr.write(
          `The restore stopped while writing ${live}: it is not a database now.` +
            (keptAs ? ` The database as it was is in ${keptAs}.\n` : '\n'),
        );
      }
    }
    return keptAs;
  } finally {
    // Closing it ends its transaction (nothing to roll back: it wrote no page) and deletes its
    // rollback journal: a -journal left now would be another process's.
    lock.close();
    if (fd !== undefined) closeSync(fd);
    fsyncDirectory(path.dirname(live));
  }
}

/**
 * A connection that holds the live file alone: EXCLUSIVE locking mode, out of WAL mode, in a
 * BEGIN EXCLUSIVE transaction. Refuses with EXIT.inUse when another connection has the file open.
 */
function lockLive(live: string): BetterSqlite3.Database {
  const inUse = () =>
    new CommandError(
      EXIT.inUse,
      `The database ${live} is in use by another process (a running gateway?). Stop every gateway that uses it, then restore again. Nothing was changed.`,
    );
  // No busy timeout: a gateway's connection holds its shared lock as long as it is open, so
  // waiting would not help, and a waiting exclusive lock would hold back the gateway's readers.
  const lock = new BetterSqlite3(live, { timeout: 0 });
  try {
    lock.pragma('locking_mode = EXCLUSIVE');
    const mode = lock.pragma('journal_mode = DELETE', { simple: true });
    if (String(mode).toLowerCase() !== 'delete') throw inUse();
    lock.exec('BEGIN EXCLUSIVE');
    return lock;
  } catch (error) {
    lock.close();
    const code = String((error as { code?: unknown }).code ?? '');
    if (/^SQLITE_(BUSY|LOCKED)/.test(code)) throw inUse();
    if (code === 'SQLITE_NOTADB') {
      throw new CommandError(
        EXIT.data,
        `${live} is not a SQLite database (left by an interrupted restore?). Move it away (a ${path.basename(live)}.before-restore-* file beside it holds the database as it was before), then restore again.`,
      );
    }
    throw error;
  }
}

/** Copies the live file's bytes, read through `fd`, to `<live>.before-restore-<time>`. */
function keepAside(live: string, fd: number): string {
  const keptAs = `${live}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  const temporary = temporaryNextTo(keptAs, 'copy');
  const out = openSync(temporary, 'wx', fstatSync(fd).mode & 0o777);
  try {
    const buffer = Buffer.alloc(CHUNK_BYTES);
    for (let position = 0; ;) {
      const read = readSync(fd, buffer, 0, buffer.length, position);
      if (read === 0) break;
      writeAll(out, buffer.subarray(0, read), position);
      position += read;
    }
    fsyncSync(out);
  } catch (error) {
    closeSync(out);
    removeIfPresent(temporary);
    throw error;
  }
  closeSync(out);
  publish(temporary, keptAs, false);
  return keptAs;
}

/** Writes `staged` over the file at `fd`: header zeroed, pages, size, header, each synced. */
function overwrite(fd: number, staged: string): void {
  writeAll(fd, Buffer.alloc(HEADER_BYTES), 0);
  fsyncSync(fd);
  const input = openSync(staged, 'r');
  try {
    const size = fstatSync(input).size;
    const header = Buffer.alloc(HEADER_BYTES);
    readSync(input, header, 0, HEADER_BYTES, 0);
    const buffer = Buffer.alloc(CHUNK_BYTES);
    for (let position = HEADER_BYTES; position < size;) {
      const read = readSync(input, buffer, 0, buffer.length, position);
      if (read === 0) break;
      writeAll(fd, buffer.subarray(0, read), position);
      position += read;
    }
    ftruncateSync(fd, size);
    fsyncSync(fd);
    writeAll(fd, header, 0);
    fsyncSync(fd);
  } finally {
    closeSync(input);
  }
}

function writeAll(fd: number, data: Buffer, position: number): void {
  for (let done = 0; done < data.length;) {
    done += writeSync(fd, data, done, data.length - done, position + done);
  }
}
