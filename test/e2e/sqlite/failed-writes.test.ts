import { query } from '../../../src/db/sql';
import { CREATE_MEETING, smallDirectory } from '../../support/fixtures';
import { TestGateway } from '../../support/gateway';
import { committedMeetingIds, integrityCheck, sqlitePath } from '../../support/sqlite-file';
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
