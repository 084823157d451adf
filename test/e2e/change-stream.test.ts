import { MeetingChangeHub } from '../../src/meetings/domain/meeting-change-hub';
import { ChangeStream } from '../../src/meetings/domain/meeting-change-stream';
import type { StoredMeetingChange } from '../../src/meetings/domain/meeting-changes';
import { createMeeting, meetingInput, smallDirectory } from '../support/fixtures';
import { TestGateway } from '../support/gateway';

// The live side of the change feed under the API: one hub, streams that fall behind or start
// after everyone left.

let gw: TestGateway;
let dir: Awaited<ReturnType<typeof smallDirectory>>;
let hub: MeetingChangeHub;
beforeAll(async () => {
  gw = await TestGateway.start();
  dir = await smallDirectory(gw);
  // PostgreSQL: a change another test's open transaction held back is read at the next poll.
  hub = new MeetingChangeHub(gw.app.db, 100, undefined);
});
afterAll(async () => {
  await hub.stop();
  await gw.stop();
});

const idOf = (change: StoredMeetingChange) => change.meetingId;

async function take(stream: AsyncIterator<string>, count: number): Promise<string[]> {
  const got: string[] = [];
  while (got.length < count) {
    const next = await stream.next();
    if (next.done) throw new Error('the stream ended');
    got.push(next.value);
  }
  return got;
}

describe('change streams', () => {
  it('a stream whose consumer falls behind its buffer reads the feed again and misses nothing', async () => {
    const slow = await ChangeStream.fromNow(hub, gw.app.db, null, idOf, 3);
    const fast = await ChangeStream.fromNow(hub, gw.app.db, null, idOf);
    const ids: string[] = [];
    for (let i = 0; i < 10; i++)
      ids.push(await createMeeting(gw, meetingInput(dir.parties, dir.agents)));
    // The fast one has all ten: the hub has read them, and the slow one's buffer overflowed.
    expect(await take(fast, 10)).toEqual(ids);
    // The slow one left the hub instead of holding more than 3.
    expect(hub.watcherCount).toBe(1);
    expect(await take(slow, 10)).toEqual(ids);
    // Back to live after catching up.
    const more = await createMeeting(gw, meetingInput(dir.parties, dir.agents));
    expect(await take(slow, 1)).toEqual([more]);
    await Promise.all([slow.return(), fast.return()]);
    expect(hub.watcherCount).toBe(0);
  });

  it('a stream that starts after every watcher left starts now, not where the last one stopped', async () => {
    const first = await ChangeStream.fromNow(hub, gw.app.db, null, idOf);
    const a = await createMeeting(gw, meetingInput(dir.parties, dir.agents));
    expect(await take(first, 1)).toEqual([a]);
    await first.return();
    // Written while nobody watches: not for a stream that starts afterwards.
    await createMeeting(gw, meetingInput(dir.parties, dir.agents));
    const second = await ChangeStream.fromNow(hub, gw.app.db, null, idOf);
    const c = await createMeeting(gw, meetingInput(dir.parties, dir.agents));
    expect(await take(second, 1)).toEqual([c]);
    await second.return();
  });

  it('a returned stream ends its pending read', async () => {
    const stream = await ChangeStream.fromNow(hub, gw.app.db, null, idOf);
    const pending = stream.next();
    await stream.return();
    expect(await pending).toEqual({ done: true, value: undefined });
  });
});
