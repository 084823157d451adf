import { query } from '../../../src/db/sql';
import { sqliteConnection } from '../../../src/db/sqlite-pragmas';
import { CREATE_MEETING, smallDirectory } from '../../support/fixtures';
import { TestGateway } from '../../support/gateway';
import {
  committedMeetingIds,
  integrityCheck,
  sqlitePath,
  withFile,
} from '../../support/sqlite-file';
import { bigMeeting, createAll, refusedWrite } from '../../support/write-faults';

/** Limits the gateway's own connection to the pages the file has now: SQLite answers SQLITE_FULL. */
async function fillDatabase(gw: TestGateway): Promise<void> {
  const [{ page_count: pages }] = await gw.app.db.read((m) =>
    query<{ page_count: number }>(m, 'PRAGMA page_count'),
  );
  await gw.app.db.read((m) => query(m, `PRAGMA max_page_count = ${pages}`));
}

async function makeRoom(gw: TestGateway): Promise<void> {
  await gw.app.db.read((m) => query(m, 'PRAGMA max_page_count = 1073741823'));
}

describe('a write that SQLite refused with a full database (PRAGMA max_page_count)', () => {
  let gw: TestGateway;
  beforeEach(async () => {
    gw = await TestGateway.start();
  });
  afterEach(() => gw.stop());

  it('is SERVICE_UNAVAILABLE, the gateway is unready until there is room, and every write acknowledged after it is committed to the file', async () => {
    const dir = await smallDirectory(gw);
    await fillDatabase(gw);
    const failed = await gw.gql(CREATE_MEETING, { input: bigMeeting(dir) });
    expect(failed.body.errors![0].extensions).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      status: 503,
    });
    expect((await gw.fetch('/health/ready')).status).toBe(503);
    await makeRoom(gw);
    expect((await gw.fetch('/health/ready')).status).toBe(200);

    // A refused write between the failure and the next writes: it used to leave a transaction
    // open on the connection, and every later write inside it, acknowledged and never committed.
    expect(await refusedWrite(gw, dir)).toBe('INVALID_ID');
    const acknowledged = await createAll(gw, dir, 20);

    // Another connection to the file sees them, and so does a restart.
    const file = sqlitePath(gw);
    const seenByAnother = committedMeetingIds(file);
    expect(acknowledged.filter((id) => !seenByAnother.has(id))).toEqual([]);
    await gw.app.stop();
    const afterStop = committedMeetingIds(file);
    expect(acknowledged.filter((id) => !afterStop.has(id))).toEqual([]);
    expect(integrityCheck(file)).toEqual(['ok']);
  });
});

describe('a write whose COMMIT fails and leaves the transaction open', () => {
  let gw: TestGateway;
  beforeEach(async () => {
    gw = await TestGateway.start();
  });
  afterEach(() => gw.stop());

  it('is SERVICE_UNAVAILABLE, is rolled back, and the writes after it are committed', async () => {
    const dir = await smallDirectory(gw);
    const file = sqlitePath(gw);
    // Another program adds a trigger whose foreign key is checked at COMMIT and always fails
    // there: SQLite refuses the COMMIT and keeps the transaction open.
    withFile(file, (db) =>
      db.exec(`
        CREATE TABLE missing_parent (id TEXT PRIMARY KEY);
        CREATE TABLE commit_guard (meeting_id TEXT REFERENCES missing_parent (id) DEFERRABLE INITIALLY DEFERRED);
        CREATE TRIGGER fail_commit AFTER INSERT ON meeting BEGIN INSERT INTO commit_guard VALUES (NEW.meeting_id); END;
      `),
    );
    const failed = await gw.gql(CREATE_MEETING, { input: bigMeeting(dir) });
    expect(failed.body.errors![0]).toMatchObject({
      message: 'The database did not commit the write',
      extensions: { code: 'SERVICE_UNAVAILABLE', status: 503 },
    });
    expect(sqliteConnection(gw.app.db.dataSource).inTransaction).toBe(false);
    expect(committedMeetingIds(file).size).toBe(0);

    withFile(file, (db) => db.exec('DROP TRIGGER fail_commit'));
    const acknowledged = await createAll(gw, dir, 20);
    const committed = committedMeetingIds(file);
    expect(acknowledged.filter((id) => !committed.has(id))).toEqual([]);
    expect(committed.size).toBe(20);
  });
});

describe('a connection TypeORM believes to be in a transaction that SQLite has ended', () => {
  let gw: TestGateway;
  beforeEach(async () => {
    gw = await TestGateway.start();
  });
  afterEach(() => gw.stop());

  it('is opened anew before the next write, which is committed', async () => {
    const dir = await smallDirectory(gw);
    // The state a failed ROLLBACK left behind: TypeORM's transaction depth 1 on the shared
    // connection, while SQLite had already rolled back by itself.
    const runner = gw.app.db.dataSource.createQueryRunner();
    await runner.startTransaction();
    sqliteConnection(gw.app.db.dataSource).exec('ROLLBACK');
    expect(runner.isTransactionActive).toBe(true);

    const acknowledged = await createAll(gw, dir, 20);
    const committed = committedMeetingIds(sqlitePath(gw));
    expect(acknowledged.filter((id) => !committed.has(id))).toEqual([]);
    expect(gw.logs().some((l) => l.msg === 'database connection opened anew')).toBe(true);
  });
});
