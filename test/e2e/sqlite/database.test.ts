import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabaseConfig } from '../../../src/config/database-url';
import { MIGRATIONS } from '../../../src/data-source';
import { Database } from '../../../src/db/database';
import { createLogger } from '../../../src/logger';

const log = createLogger('silent');
let dir: string;
let config: SqliteDatabaseConfig;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'meetings-db-'));
  config = { type: 'sqlite', path: path.join(dir, 'meetings.sqlite'), busyTimeoutMs: 1234 };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function pragma(db: Database, name: string): Promise<unknown> {
  const rows: Record<string, unknown>[] = await db.read((m) => m.query(`PRAGMA ${name}`));
  return Object.values(rows[0])[0];
}

describe('Database.open', () => {
  it('sets WAL, synchronous=FULL, the busy timeout and foreign keys, on every open', async () => {
    for (let open = 0; open < 2; open++) {
      const db = await Database.open(config, log);
      expect(await pragma(db, 'journal_mode')).toBe('wal');
      expect(await pragma(db, 'synchronous')).toBe(2);
      expect(await pragma(db, 'busy_timeout')).toBe(1234);
      expect(await pragma(db, 'foreign_keys')).toBe(1);
      await db.close();
    }
    // What a plain reopen would give: better-sqlite3 opens WAL databases at NORMAL.
    const plain = new BetterSqlite3(config.path);
    expect(plain.pragma('synchronous', { simple: true })).toBe(1);
    plain.close();
  });

  it('runs the migrations, and the entities need no further schema change', async () => {
    const db = await Database.open(config, log);
    const tables: { name: string }[] = await db.read((m) =>
      m.query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      ),
    );
    expect(tables.map((t) => t.name)).toEqual([
      'agent',
      'health_probe',
      'idempotency_key',
      'meeting',
      'meeting_agent',
      'meeting_change',
      // The free-text index and its shadow tables.
      'meeting_fts',
      'meeting_fts_config',
      'meeting_fts_content',
      'meeting_fts_data',
      'meeting_fts_docsize',
      'meeting_fts_idx',
      'meeting_party',
      'meeting_tally',
      'migrations',
      'party',
    ]);
    const pending = await db.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    await db.close();
  });

  it('migrates a new file once when two connections (gateways) open it at the same time', async () => {
    const quick = { ...config, busyTimeoutMs: 50 };
    const [a, b] = await Promise.all([Database.open(quick, log), Database.open(quick, log)]);
    const names = (await a.read((m) => m.query('SELECT name FROM migrations'))) as unknown[];
    expect(names).toHaveLength(MIGRATIONS.sqlite.length);
    await Promise.all([a.close(), b.close()]);
  });

  it('can undo every migration and apply them again', async () => {
    const db = await Database.open(config, log);
    for (let i = 0; i < MIGRATIONS.sqlite.length; i++) await db.dataSource.undoLastMigration();
    const left: { name: string }[] = await db.read((m) =>
      m.query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'migrations'",
      ),
    );
    expect(left).toEqual([]);
    await db.close();
    const reopened = await Database.open(config, log);
    expect(await reopened.dataSource.showMigrations()).toBe(false);
    await reopened.close();
  });

  it('is migrated by the TypeORM CLI through ormconfig.ts, which then finds nothing to generate', () => {
    const run = spawnSync('npm', ['run', '-s', 'migration:run'], {
      cwd: path.join(__dirname, '..', '..', '..'),
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: `sqlite:${config.path}` },
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    const plain = new BetterSqlite3(config.path, { readonly: true });
    const applied = plain.prepare('SELECT name FROM migrations').all();
    plain.close();
    expect(applied).toEqual(MIGRATIONS.sqlite.map((migration) => ({ name: migration.name })));
    // The CLI's own drift check finds nothing to generate (it writes no file in check mode).
    const check = spawnSync(
      'npm',
      ['run', '-s', 'migration:generate', '--', 'src/migrations/sqlite/drift', '--check'],
      {
        cwd: path.join(__dirname, '..', '..', '..'),
        env: { PATH: process.env.PATH ?? '', DATABASE_URL: `sqlite:${config.path}` },
        encoding: 'utf8',
      },
    );
    expect({ status: check.status, stdout: check.stdout }).toMatchObject({
      status: 0,
      stdout: expect.stringContaining('No changes in database schema were found'),
    });
  });

  it('enforces the directory references in the database too', async () => {
    const db = await Database.open(config, log);
    await expect(
      db.transaction((m) =>
        m.query("INSERT INTO meeting_agent (meeting_id, position, agent_id) VALUES ('x', 0, 'y')"),
      ),
    ).rejects.toThrow(/FOREIGN KEY/);
    await db.close();
  });
});
