import { query } from '../../../src/db/sql';
import { findMeeting } from '../../../src/meetings/storage/meeting-reads';
import {
  UPDATE_MEETING,
  createMeeting,
  meetingInput,
  smallDirectory,
} from '../../support/fixtures';
import { TestGateway } from '../../support/gateway';
import { lockAwaited } from '../../support/postgres';

let gw: TestGateway;
beforeAll(async () => {
  gw = await TestGateway.start();
});
afterAll(() => gw.stop());

describe('writes on PostgreSQL', () => {
  it('are not queued behind each other in the process: only writes of the same meeting wait', async () => {
    const dir = await smallDirectory(gw);
    const busy = await createMeeting(gw, meetingInput(dir.parties, dir.agents));
    const free = await createMeeting(gw, meetingInput(dir.parties, dir.agents));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: (pid: number) => void;
    const holding = new Promise<number>((resolve) => (locked = resolve));
    // A long transaction holds one meeting (SQLite would hold its one writer lock).
    const writer = gw.app.db.transaction(async (m) => {
      await findMeeting(m, busy, null, { forUpdate: true });
      locked((await query<{ pid: number }>(m, 'SELECT pg_backend_pid() AS pid'))[0].pid);
      await held;
    });
    const holder = await holding;
    try {
      // Another meeting's update and a create go through meanwhile.
      const update = await gw.gql(UPDATE_MEETING, {
        meetingId: free,
        input: meetingInput(dir.parties, dir.agents, { notes: 'not queued' }),
      });
      expect(update.body.errors).toBeUndefined();
      await createMeeting(gw, meetingInput(dir.parties, dir.agents));
      // The held meeting's update waits for the lock, and goes through once it is released.
      let done = false;
      const waiting = gw
        .gql(UPDATE_MEETING, {
          meetingId: busy,
          input: meetingInput(dir.parties, dir.agents, { notes: 'after the lock' }),
        })
        .finally(() => (done = true));
      await lockAwaited(holder);
      expect(done).toBe(false);
      release();
      expect((await waiting).body.errors).toBeUndefined();
    } finally {
      release();
      await writer;
    }
  });
});
