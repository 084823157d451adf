import { randomUUID } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import { query } from '../../../src/db/sql';
import {
  CREATE_MEETING,
  UPDATE_MEETING,
  meetingInput,
  smallDirectory,
} from '../../support/fixtures';
import { TestGateway } from '../../support/gateway';

function sqlitePath(gw: TestGateway): string {
  if (gw.config.database.type !== 'sqlite') throw new Error('a SQLite gateway was expected');
  return gw.config.database.path;
}

/** Limits the gateway's own connection to the pages the file has now: SQLite answers SQLITE_FULL. */
async function fillDisk(gw: TestGateway): Promise<void> {
  const [{ page_count: pages }] = await gw.app.db.read((m) =>
    query<{ page_count: number }>(m, 'PRAGMA page_count'),
  );
  await gw.app.db.read((m) => query(m, `PRAGMA max_page_count = ${pages}`));
}

async function freeDisk(gw: TestGateway): Promise<void> {
  await gw.app.db.read((m) => query(m, 'PRAGMA max_page_count = 1073741823'));
}

/** Meetings another connection to the file sees: what is committed. */
function committedMeetingIds(file: string): Set<string> {
  const other = new BetterSqlite3(file, { readonly: true });
  try {
    const rows = other.prepare('SELECT meeting_id FROM meeting').all() as { meeting_id: string }[];
    return new Set(rows.map((r) => r.meeting_id));
  } finally {
    other.close();
  }
}

describe('a write that SQLite refused with a full database', () => {
  let gw: TestGateway;
  beforeEach(async () => {
    gw = await TestGateway.start();
  });
  afterEach(() => gw.stop());

  it('is SERVICE_UNAVAILABLE, and every write acknowledged after it is committed to the file', async () => {
    const dir = await smallDirectory(gw);
    // A meeting with a long text needs new pages.
    const big = { ...meetingInput(dir.parties, dir.agents), notes: 'x'.repeat(3000) };
    await fillDisk(gw);
    const failed = await gw.gql(CREATE_MEETING, { input: big });
    expect(failed.body.errors![0].extensions).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      status: 503,
    });
    const unready = await gw.fetch('/health/ready');
    expect(unready.status).toBe(503);
    await freeDisk(gw);
    expect((await gw.fetch('/health/ready')).status).toBe(200);

    // A refused write (an update of an unknown id) between the failure and the next writes.
    const refused = await gw.gql(UPDATE_MEETING, {
      meetingId: randomUUID(),
      input: meetingInput(dir.parties, dir.agents),
    });
    expect(refused.body.errors![0].extensions.code).toBe('INVALID_ID');

    const acknowledged: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await gw.gql<{ createMeeting: { meetingId: string } }>(CREATE_MEETING, {
        input: meetingInput(dir.parties, dir.agents),
      });
      expect(res.body.errors).toBeUndefined();
      acknowledged.push(res.body.data!.createMeeting.meetingId);
    }
    const file = sqlitePath(gw);
    const seenByAnother = committedMeetingIds(file);
    expect(acknowledged.filter((id) => !seenByAnother.has(id))).toEqual([]);

    // And after a stop (what a restart reads).
    await gw.app.stop();
    const afterStop = committedMeetingIds(file);
    expect(acknowledged.filter((id) => !afterStop.has(id))).toEqual([]);
  });
});
