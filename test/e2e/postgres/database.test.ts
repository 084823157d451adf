import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { PostgresDatabaseConfig } from '../../../src/config/database-url';
import { MIGRATIONS } from '../../../src/data-source';
import { Database } from '../../../src/db/database';
import { query } from '../../../src/db/sql';
import { createLogger } from '../../../src/logger';
import {
  createSchema,
  dropSchema,
  schemaUrl,
  testDatabaseUrl,
  withClient,
} from '../../support/postgres';

const log = createLogger('silent');
let schema: string;
let config: PostgresDatabaseConfig;

beforeEach(async () => {
  schema = await createSchema();
  config = {
    type: 'postgres',
    url: testDatabaseUrl(),
    schema,
    poolSize: 4,
    statementTimeoutMs: 5000,
    connectTimeoutMs: 2000,
  };
});
afterEach(() => dropSchema(schema));

async function tables(db: Database): Promise<string[]> {
  const rows = await db.read((m) =>
    query<{ table_name: string }>(
      m,
      `SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name`,
      [schema],
    ),
  );
  return rows.map((r) => r.table_name);
}

describe('Database.open on PostgreSQL', () => {
  it('runs the same migrations as SQLite, in the configured schema only', async () => {
    const db = await Database.open(config, log);
    expect(await tables(db)).toEqual([
      'agent',
      'health_probe',
      'idempotency_key',
      'meeting',
      'meeting_agent',
      'meeting_change',
      'meeting_fts',
      'meeting_party',
      'meeting_tally',
      'migrations',
      'party',
    ]);
    const applied = await db.read((m) =>
      query<{ name: string }>(m, 'SELECT name FROM migrations ORDER BY id'),
    );
    expect(applied.map((r) => r.name)).toEqual(MIGRATIONS.sqlite.map((m) => m.name));
    expect(MIGRATIONS.postgres.map((m) => m.name)).toEqual(MIGRATIONS.sqlite.map((m) => m.name));
    await db.close();
  });

  it('keeps times as timestamptz with milliseconds, and ids and codes in code point order', async () => {
    const db = await Database.open(config, log);
    const columns = await db.read((m) =>
      query<{ column_name: string; data_type: string; datetime_precision: number | null }>(
        m,
        `SELECT column_name, data_type, datetime_precision FROM information_schema.columns
         WHERE table_schema = ? AND table_name = 'meeting' AND column_name LIKE '%time'
         ORDER BY column_name`,
        [schema],
      ),
    );
    expect(columns).toEqual(
      ['creation_time', 'deleted_time', 'modification_time', 'visit_time'].map((column_name) => ({
        column_name,
        data_type: 'timestamp with time zone',
        datetime_precision: 3,
      })),
    );
    const collated = await db.read((m) =>
      query<{ column_name: string }>(
        m,
        `SELECT column_name FROM information_schema.columns
         WHERE table_schema = ? AND table_name = 'meeting' AND collation_name = 'C' ORDER BY column_name`,
        [schema],
      ),
    );
    expect(collated.map((c) => c.column_name)).toEqual([
      'agency_office_id',
      'meeting_id',
      'realty_id',
      'source_type_code',
      'status_code',
      'type_code',
    ]);
    await db.close();
  });

  it('needs no further schema change for the entities the table declarations make', async () => {
    const db = await Database.open(config, log);
    const pending = () => db.dataSource.driver.createSchemaBuilder().log();
    expect((await pending()).upQueries.map((q) => q.query)).toEqual([]);
    // The comparison sees what the declarations say of PostgreSQL: a changed precision is drift.
    await db.transaction((m) =>
      m.query('ALTER TABLE "meeting" ALTER COLUMN "visit_time" TYPE timestamptz(6)'),
    );
    expect((await pending()).upQueries.map((q) => q.query)).toContainEqual(
      expect.stringContaining('"visit_time"'),
    );
    await db.close();
  });

  it('can undo every migration and apply them again', async () => {
    const db = await Database.open(config, log);
    for (let i = 0; i < MIGRATIONS.postgres.length; i++) await db.dataSource.undoLastMigration();
    expect(await tables(db)).toEqual(['migrations']);
    await db.close();
    const reopened = await Database.open(config, log);
    expect(await reopened.dataSource.showMigrations()).toBe(false);
    expect(await tables(reopened)).toContain('meeting_fts');
    await reopened.close();
  });

  it('is migrated by the TypeORM CLI through ormconfig.ts, which then finds nothing to generate', async () => {
    const run = spawnSync('npm', ['run', '-s', 'migration:run'], {
      cwd: path.join(__dirname, '..', '..', '..'),
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: schemaUrl(schema) },
      encoding: 'utf8',
    });
    expect({ status: run.status, stderr: run.stderr }).toMatchObject({ status: 0 });
    const applied = await withClient((c) =>
      c.query<{ name: string }>(`SELECT name FROM "${schema}".migrations ORDER BY id`),
    );
    expect(applied.rows).toEqual(MIGRATIONS.postgres.map((m) => ({ name: m.name })));
    // The CLI's own drift check finds nothing to generate (it writes no file in check mode).
    const check = spawnSync(
      'npm',
      ['run', '-s', 'migration:generate', '--', 'src/migrations/postgres/drift', '--check'],
      {
        cwd: path.join(__dirname, '..', '..', '..'),
        env: { PATH: process.env.PATH ?? '', DATABASE_URL: schemaUrl(schema) },
        encoding: 'utf8',
      },
    );
    expect({ status: check.status, stdout: check.stdout }).toMatchObject({
      status: 0,
      stdout: expect.stringContaining('No changes in database schema were found'),
    });
  });

  it('lets instances started together migrate one after the other', async () => {
    const opened = await Promise.all([1, 2, 3].map(() => Database.open(config, log)));
    const applied = await opened[0].read((m) =>
      query<{ name: string }>(m, 'SELECT name FROM migrations ORDER BY id'),
    );
    expect(applied).toHaveLength(MIGRATIONS.postgres.length);
    await Promise.all(opened.map((db) => db.close()));
  });

  it('cancels a statement past DATABASE_STATEMENT_TIMEOUT_MS: SERVICE_UNAVAILABLE, and goes on', async () => {
    // Migrated first with the usual limit: on a busy machine a migration can take longer than this one.
    await (await Database.open(config, log)).close();
    const db = await Database.open({ ...config, statementTimeoutMs: 100 }, log);
    // The server cancelled the statement (query_canceled), rather than it running to its end.
    await expect(db.read((m) => m.query('SELECT pg_sleep(2)'))).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      message: 'The operation ran past its time limit',
      cause: { code: '57014', message: 'canceling statement due to statement timeout' },
    });
    await expect(db.transaction((m) => m.query('SELECT pg_sleep(2)'))).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
    });
    expect(await db.read((m) => m.query('SELECT 1 AS one'))).toEqual([{ one: 1 }]);
    await db.close();
  });

  it('enforces the directory references in the database too', async () => {
    const db = await Database.open(config, log);
    await expect(
      db.transaction((m) =>
        m.query("INSERT INTO meeting_agent (meeting_id, position, agent_id) VALUES ('x', 0, 'y')"),
      ),
    ).rejects.toThrow(/foreign key/);
    await db.close();
  });
});
