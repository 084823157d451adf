import { spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { restoreBackup } from '../../../scripts/sqlite-backup/restore-backup';
import {
  CREATE_MEETING,
  UPSERT_AGENTS,
  UPSERT_PARTIES,
  addAgents,
  addParties,
  agent,
  meetingInput,
  party,
} from '../../support/fixtures';
import { TestGateway } from '../../support/gateway';
import { PROCESS_JWT, postGraphQL, processAdminToken } from '../../support/process-auth';
import { killGateways, startGateway, waitForReady } from '../../support/process';
import { committedMeetingIds, integrityCheck, withFile } from '../../support/sqlite-file';

jest.setTimeout(180_000);

const ROOT = path.join(__dirname, '..', '..', '..');
const CLIENTS = 4;
/** Writes acknowledged before the backup is started. */
const WRITES_BEFORE = 60;

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run <command> -- ...args` as an operator would (without npm's own output). */
function run(
  command: 'backup' | 'restore',
  args: string[],
  env: Record<string, string>,
): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', `scripts/${command}.ts`, ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function sqliteEnv(file: string): Record<string, string> {
  return { DATABASE_URL: `sqlite:${file}` };
}

/** Everything in the folder, sorted: a refused command leaves no file behind. */
function listing(dir: string): string[] {
  return readdirSync(dir).sort();
}

/** A gateway database file made by an in-process gateway, with `count` meetings in it. */
async function gatewayDatabase(file: string, count: number): Promise<Set<string>> {
  const gw = await TestGateway.start();
  try {
    const parties = await addParties(gw, party());
    const agents = await addAgents(gw, agent());
    for (let i = 0; i < count; i++) {
      const res = await gw.gql(CREATE_MEETING, { input: meetingInput(parties, agents) });
      expect(res.body.errors).toBeUndefined();
    }
    await gw.app.stop();
    copyFileSync(path.join(gw.dir, 'meetings.sqlite'), file);
  } finally {
    rmSync(gw.dir, { recursive: true, force: true });
  }
  return committedMeetingIds(file);
}

/** Every meeting id a gateway serves, page by page. */
async function servedMeetingIds(url: string, token: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for (let startIndex = 0; ; startIndex += 100) {
    const body = await postGraphQL(
      url,
      token,
      `query ($startIndex: Int!) { meetings(startIndex: $startIndex, size: 100) { totalCount meetings { meetingId } } }`,
      { startIndex },
    );
    expect(body.errors).toBeUndefined();
    const page = body.data!.meetings as { totalCount: number; meetings: { meetingId: string }[] };
    for (const m of page.meetings) ids.add(m.meetingId);
    if (page.meetings.length < 100) {
      expect(ids.size).toBe(page.totalCount);
      return ids;
    }
  }
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'meetings-backup-'));
});
afterEach(() => {
  killGateways();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run backup and npm run restore on a SQLite database', () => {
  it('backs up under write load, refuses to restore while a gateway runs, and restores once it is stopped', async () => {
    const live = path.join(dir, 'meetings.sqlite');
    const backupFile = path.join(dir, 'backup.sqlite');
    const env = {
      PORT: '0',
      ...sqliteEnv(live),
      DEMO_DATA: 'false',
      RATE_LIMIT_PER_SECOND: '100000',
      RATE_LIMIT_BURST: '100000',
      ...PROCESS_JWT,
    };
    const gateway = startGateway(env);
    const url = await waitForReady(gateway);
    const token = await processAdminToken();
    const parties = [party()];
    const agents = [agent()];
    expect(
      (await postGraphQL(url, token, UPSERT_PARTIES, { input: parties })).errors,
    ).toBeUndefined();
    expect(
      (await postGraphQL(url, token, UPSERT_AGENTS, { input: agents })).errors,
    ).toBeUndefined();

    // Clients create meetings until told to stop; each acknowledged id is recorded at once.
    const acknowledged: string[] = [];
    const refused: Record<string, number> = {};
    let stopping = false;
    let reached: () => void = () => {};
    const enoughWritten = new Promise<void>((resolve) => (reached = resolve));
    const client = async () => {
      while (!stopping) {
        const body = await postGraphQL(url, token, CREATE_MEETING, {
          input: meetingInput(parties, agents),
        });
        const code = body.errors?.[0]?.extensions.code;
        if (code !== undefined) {
          refused[code] = (refused[code] ?? 0) + 1;
          continue;
        }
        acknowledged.push((body.data!.createMeeting as { meetingId: string }).meetingId);
        if (acknowledged.length >= WRITES_BEFORE) reached();
      }
    };
    const clients = Promise.all(Array.from({ length: CLIENTS }, client));
    await enoughWritten;

    const before = new Set(acknowledged);
    const backup = await run('backup', [backupFile], sqliteEnv(live));
    const duringBackup = acknowledged.length - before.size;
    stopping = true;
    await clients;

    expect(backup).toMatchObject({ code: 0, stderr: '' });
    expect(backup.stdout).toMatch(/^Backed up .* to .*backup\.sqlite: \d+ meetings/);
    expect(integrityCheck(backupFile)).toEqual(['ok']);
    expect(withFile(backupFile, (db) => db.pragma('foreign_key_check'))).toEqual([]);
    expect(existsSync(`${backupFile}-wal`)).toBe(false);
    const inBackup = committedMeetingIds(backupFile);
    // Every write acknowledged before the backup began is in it...
    expect([...before].filter((id) => !inBackup.has(id))).toEqual([]);
    // ...and nothing that was not written (a refused write whose COMMIT failed may be there).
    const all = new Set(acknowledged);
    const unknown = [...inBackup].filter((id) => !all.has(id));
    expect(unknown.length).toBeLessThanOrEqual(refused.SERVICE_UNAVAILABLE ?? 0);
    expect(Object.keys(refused).filter((code) => code !== 'SERVICE_UNAVAILABLE')).toEqual([]);
    // The writes went on while the backup ran.
    expect(duringBackup).toBeGreaterThan(0);
    console.log(
      JSON.stringify({
        acknowledgedBeforeBackup: before.size,
        acknowledgedWhileBackupRan: duringBackup,
        acknowledgedInAll: acknowledged.length,
        inBackup: inBackup.size,
        refused,
      }),
    );

    // While the gateway runs, a restore is refused and changes nothing.
    const filesBefore = listing(dir);
    const refusedRestore = await run('restore', [backupFile], sqliteEnv(live));
    expect(refusedRestore.code).toBe(75);
    expect(refusedRestore.stderr).toMatch(/is in use by another process.*Nothing was changed/);
    expect(listing(dir)).toEqual(filesBefore);
    const after = await postGraphQL(url, token, CREATE_MEETING, {
      input: meetingInput(parties, agents),
    });
    expect(after.errors).toBeUndefined();
    acknowledged.push((after.data!.createMeeting as { meetingId: string }).meetingId);
    expect(withFile(live, (db) => db.pragma('journal_mode', { simple: true }))).toBe('wal');

    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
    const stored = committedMeetingIds(live);
    expect([...acknowledged].filter((id) => !stored.has(id))).toEqual([]);

    const restored = await run('restore', [backupFile], sqliteEnv(live));
    expect(restored).toMatchObject({ code: 0, stderr: '' });
    expect(restored.stdout).toContain(
      `Restored ${live} from ${backupFile}: ${inBackup.size} meetings`,
    );
    const keptAs = /kept in (\S+)\.\n/.exec(restored.stdout)![1];
    expect(path.dirname(keptAs)).toBe(dir);
    expect(path.basename(keptAs)).toMatch(/^meetings\.sqlite\.before-restore-\d{4}-.*Z$/);
    // The database as it was, kept aside: every write, also those after the backup.
    expect(committedMeetingIds(keptAs)).toEqual(stored);
    expect(integrityCheck(live)).toEqual(['ok']);
    expect(committedMeetingIds(live)).toEqual(inBackup);
    for (const suffix of ['-wal', '-shm', '-journal'])
      expect(existsSync(live + suffix)).toBe(false);
    expect(listing(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);

    // A new gateway serves exactly the backup's meetings, and takes writes.
    const next = startGateway(env);
    const nextUrl = await waitForReady(next);
    expect(await servedMeetingIds(nextUrl, token)).toEqual(inBackup);
    expect(
      (await postGraphQL(nextUrl, token, CREATE_MEETING, { input: meetingInput(parties, agents) }))
        .errors,
    ).toBeUndefined();
    next.child.kill('SIGTERM');
    expect(await next.exited).toBe(0);
  });

  it('keeps a gateway that starts during a restore out of the file until the backup is in place', async () => {
    const live = path.join(dir, 'meetings.sqlite');
    const backupFile = path.join(dir, 'backup.sqlite');
    const original = await gatewayDatabase(live, 3);
    const inBackup = await gatewayDatabase(backupFile, 2);
    const env = { PORT: '0', ...sqliteEnv(live), DEMO_DATA: 'false', ...PROCESS_JWT };

    let starter: ReturnType<typeof startGateway> | undefined;
    const result = await restoreBackup(
      { type: 'sqlite', path: live, busyTimeoutMs: 5000 },
      backupFile,
      {
        whileLocked: async () => {
          // The file is locked and not replaced yet: a gateway starting now waits for the lock, up
          // to its busy timeout, and gives up without having read or written anything.
          starter = startGateway(env);
          expect(await starter.exited).not.toBe(0);
          expect(starter.output()).toMatch(/database is locked/);
          // A plain connection cannot read it either.
          const reader = new BetterSqlite3(live, { timeout: 0 });
          try {
            expect(() => reader.prepare('SELECT count(*) FROM meeting').get()).toThrow(
              /database is locked/,
            );
          } finally {
            reader.close();
          }
        },
      },
    );
    expect(starter).toBeDefined();
    expect(committedMeetingIds(result.keptAs!)).toEqual(original);
    expect(committedMeetingIds(live)).toEqual(inBackup);
    expect(integrityCheck(live)).toEqual(['ok']);

    const gateway = startGateway(env);
    const url = await waitForReady(gateway);
    expect(await servedMeetingIds(url, await processAdminToken())).toEqual(inBackup);
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
  });

  it('refuses every bad input with a message and an exit code, and changes nothing', async () => {
    const live = path.join(dir, 'meetings.sqlite');
    const backupFile = path.join(dir, 'backup.sqlite');
    await gatewayDatabase(live, 1);
    expect((await run('backup', [backupFile], sqliteEnv(live))).code).toBe(0);

    const text = path.join(dir, 'notes.txt');
    writeFileSync(text, 'not a database\n'.repeat(100));
    const foreign = path.join(dir, 'foreign.sqlite');
    withNewFile(foreign, (db) => db.exec('CREATE TABLE x (y)'));
    const newer = path.join(dir, 'newer.sqlite');
    copyFileSync(backupFile, newer);
    withFile(newer, (db) =>
      db
        .prepare('INSERT INTO migrations (timestamp, name) VALUES (?, ?)')
        .run(1999999999999, 'FromTheFuture1999999999999'),
    );
    const damaged = path.join(dir, 'damaged.sqlite');
    copyFileSync(backupFile, damaged);
    damageIndex(damaged);
    const notADatabase = path.join(dir, 'not-a-database.sqlite');
    writeFileSync(notADatabase, Buffer.alloc(8192, 7));
    const postgres = {
      DATABASE_URL: 'postgres://meetings:secret@db.internal:5432/crm?schema=meetings',
    };

    const cases: [
      string,
      'backup' | 'restore',
      string[],
      Record<string, string>,
      number,
      RegExp,
    ][] = [
      ['backup without a file', 'backup', [], sqliteEnv(live), 64, /Give the file to write/],
      ['backup with two files', 'backup', ['a', 'b'], sqliteEnv(live), 64, /Give one file/],
      [
        'backup with an unknown option',
        'backup',
        ['--fast', 'x'],
        sqliteEnv(live),
        64,
        /Unknown option '--fast'/,
      ],
      [
        'backup over an existing file',
        'backup',
        [backupFile],
        sqliteEnv(live),
        73,
        /backup\.sqlite exists: give another file, or --force/,
      ],
      [
        'backup into a missing folder',
        'backup',
        [path.join(dir, 'no', 'b.sqlite')],
        sqliteEnv(live),
        73,
        /The directory .*no does not exist/,
      ],
      [
        'backup onto the live database',
        'backup',
        [live],
        sqliteEnv(live),
        64,
        /is the live database/,
      ],
      [
        'backup of a missing database',
        'backup',
        [path.join(dir, 'b2.sqlite')],
        sqliteEnv(path.join(dir, 'missing.sqlite')),
        66,
        /There is no database at .*missing\.sqlite/,
      ],
      [
        "backup of another program's database",
        'backup',
        [path.join(dir, 'b2.sqlite')],
        sqliteEnv(foreign),
        65,
        /foreign\.sqlite is not a meetings gateway database/,
      ],
      [
        'backup of a file that is not a database',
        'backup',
        [path.join(dir, 'b2.sqlite')],
        sqliteEnv(text),
        65,
        /notes\.txt is not a SQLite database/,
      ],
      [
        'backup of PostgreSQL',
        'backup',
        ['x.dump'],
        postgres,
        78,
        /PostgreSQL.*\n.*pg_dump --format=custom --schema=meetings/,
      ],
      [
        'backup with invalid settings',
        'backup',
        ['x'],
        { DATABASE_URL: 'mysql://x' },
        78,
        /DATABASE_URL must have the form/,
      ],
      [
        'restore without a file',
        'restore',
        [],
        sqliteEnv(live),
        64,
        /Give the backup file to restore/,
      ],
      [
        'restore of a missing file',
        'restore',
        [path.join(dir, 'nothing.sqlite')],
        sqliteEnv(live),
        66,
        /There is no backup file at .*nothing\.sqlite/,
      ],
      [
        'restore of the live database',
        'restore',
        [live],
        sqliteEnv(live),
        64,
        /is the live database/,
      ],
      [
        "restore of another program's database",
        'restore',
        [foreign],
        sqliteEnv(live),
        65,
        /is not a meetings gateway database/,
      ],
      [
        'restore of a file that is not a database',
        'restore',
        [text],
        sqliteEnv(live),
        65,
        /notes\.txt cannot be read as a database: file is not a database/,
      ],
      [
        'restore of a damaged backup',
        'restore',
        [damaged],
        sqliteEnv(live),
        65,
        /damaged\.sqlite fails PRAGMA integrity_check/,
      ],
      [
        "restore of a newer gateway's backup",
        'restore',
        [newer],
        sqliteEnv(live),
        65,
        /migrations this gateway does not know \(FromTheFuture1999999999999\).*newer version/,
      ],
      [
        'restore over a file that is not a database',
        'restore',
        [backupFile],
        sqliteEnv(notADatabase),
        65,
        /not-a-database\.sqlite is not a SQLite database \(left by an interrupted restore\?\)\. Move it away/,
      ],
      [
        'restore into a missing folder',
        'restore',
        [backupFile],
        sqliteEnv(path.join(dir, 'no', 'm.sqlite')),
        73,
        /The directory of the database, .*no \(DATABASE_URL\), does not exist/,
      ],
      [
        'restore to PostgreSQL',
        'restore',
        ['x.dump'],
        postgres,
        78,
        /pg_restore .*--schema=meetings/,
      ],
    ];

    const liveBytes = readFileSync(live);
    const backupBytes = readFileSync(backupFile);
    const files = listing(dir);
    const outcomes: Record<string, unknown> = {};
    const expected: Record<string, unknown> = {};
    for (const [name, command, args, env, code, pattern] of cases) {
      const outcome = await run(command, args, env);
      outcomes[name] = {
        code: outcome.code,
        matches: pattern.test(outcome.stderr),
        stdout: outcome.stdout,
      };
      expected[name] = { code, matches: true, stdout: '' };
      if (outcome.code !== code || !pattern.test(outcome.stderr)) console.log(name, outcome);
    }
    expect(outcomes).toEqual(expected);
    expect(readFileSync(live).equals(liveBytes)).toBe(true);
    expect(readFileSync(backupFile).equals(backupBytes)).toBe(true);
    expect(listing(dir)).toEqual(files);

    // --force replaces the file, with a complete backup.
    const forced = await run('backup', [backupFile, '--force'], sqliteEnv(live));
    expect(forced).toMatchObject({ code: 0, stderr: '' });
    expect(integrityCheck(backupFile)).toEqual(['ok']);
    expect(listing(dir)).toEqual(files);

    // Any process that has the database open keeps a restore out, not only a gateway.
    const holder = new BetterSqlite3(live);
    try {
      holder.pragma('journal_mode = WAL');
      holder.prepare('SELECT count(*) FROM meeting').get();
      const refused = await run('restore', [backupFile], sqliteEnv(live));
      expect(refused.code).toBe(75);
      expect(refused.stderr).toMatch(/is in use by another process/);
    } finally {
      holder.close();
    }

    // A missing database is made from the backup.
    const fresh = path.join(dir, 'fresh.sqlite');
    const made = await run('restore', [backupFile], sqliteEnv(fresh));
    expect(made).toMatchObject({ code: 0, stderr: '' });
    expect(made.stdout).not.toContain('kept in');
    expect(committedMeetingIds(fresh)).toEqual(committedMeetingIds(backupFile));
  });
});

function withNewFile(file: string, fn: (db: BetterSqlite3.Database) => void): void {
  const db = new BetterSqlite3(file);
  try {
    fn(db);
  } finally {
    db.close();
  }
}

/** Overwrites the cells of an index's root page: the file opens, integrity_check finds it. */
function damageIndex(file: string): void {
  const { pageSize, rootpage } = withFile(file, (db) => ({
    pageSize: db.pragma('page_size', { simple: true }) as number,
    rootpage: (
      db
        .prepare("SELECT rootpage FROM sqlite_master WHERE name = 'IDX_meeting_search_key'")
        .get() as { rootpage: number }
    ).rootpage,
  }));
  const bytes = readFileSync(file);
  const start = (rootpage - 1) * pageSize;
  // The page header (8 bytes for a leaf) stays; its cell pointers and cells are garbage.
  bytes.fill(0x5a, start + 8, start + pageSize);
  writeFileSync(file, bytes);
}
