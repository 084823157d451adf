import { restoreBackup } from './sqlite-backup/restore-backup';
import { commandArguments, runCommand } from './sqlite-backup/command';
import { sqliteDatabase } from './sqlite-backup/shared';

const USAGE = `Puts a backup back as the gateway's SQLite database. Every gateway using it must be stopped.

Usage:
  npm run restore -- <file>

Options:
  --help    this text

The database is the one DATABASE_URL names, as the gateway reads it. The backup is checked first
(integrity_check, foreign_key_check, a migration history this gateway knows); the database as it
was is kept beside it as <database>.before-restore-<time>. While any process has the database open
the restore is refused and nothing changes; a gateway starting during the restore waits for it.
PostgreSQL: use pg_restore, see docs/operations.md#backups.

Exit codes: 0 done, 64 bad arguments, 65 not a sound gateway database (or a newer one),
66 no backup file, 73 the database's directory is missing, 75 the database is in use,
78 settings (or PostgreSQL), 1 other.
`;

async function main(): Promise<void> {
  const args = commandArguments(USAGE, [], 'Give the backup file to restore');
  if (!args) return;
  const database = sqliteDatabase('restore');
  const { keptAs, summary } = await restoreBackup(database, args.file);
  process.stdout.write(
    `Restored ${database.path} from ${args.file}: ${summary.meetings} meetings.\n` +
      (keptAs ? `The database as it was is kept in ${keptAs}.\n` : '') +
      (summary.pending.length > 0
        ? `The gateway runs ${summary.pending.length} migration(s) on it at its next start.\n`
        : ''),
  );
}

runCommand(USAGE, main);
