import { makeBackup } from './sqlite-backup/make-backup';
import { commandArguments, runCommand } from './sqlite-backup/command';
import { sqliteDatabase } from './sqlite-backup/shared';

const USAGE = `Copies the gateway's SQLite database to a file, while gateways keep serving writes.

Usage:
  npm run backup -- <file> [--force]

Options:
  --force   replace <file> if it exists (it is replaced only by a complete, checked backup)
  --help    this text

The database is the one DATABASE_URL names, as the gateway reads it (default
sqlite:./data/meetings.sqlite). The backup holds every write committed before it began; it is
checked (integrity_check, foreign_key_check, migrations) and synced before it gets its name.
PostgreSQL: use pg_dump, see docs/operations.md#backups.

Exit codes: 0 done, 64 bad arguments, 65 not a sound gateway database, 66 no database,
73 <file> exists or cannot be made, 75 database busy, 78 settings (or PostgreSQL), 1 other.
`;

function main(): void {
  const args = commandArguments(USAGE, ['force'], 'Give the file to write the backup to');
  if (!args) return;
  const database = sqliteDatabase('backup');
  const started = new Date();
  const result = makeBackup(database, args.file, { force: args.flags.force });
  const { summary } = result;
  process.stdout.write(
    `Backed up ${database.path} to ${result.file}: ${summary.meetings} meetings, ` +
      `${result.bytes} bytes, every write committed before ${started.toISOString()}.\n` +
      (summary.unknown.length > 0
        ? `Note: it has migrations this version does not know (${summary.unknown.join(', ')}); restore it with the gateway that wrote it.\n`
        : ''),
  );
}

runCommand(USAGE, main);
