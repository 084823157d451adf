import { readFileSync } from 'node:fs';
import path from 'node:path';
import { followMeetings } from '../../examples/live-client';
import { createMeeting, meetingInput, smallDirectory } from '../support/fixtures';
import { TestGateway } from '../support/gateway';

// The README's subscription client (examples/live-client.ts), run as a reader would run it.

type Change = Parameters<Parameters<typeof followMeetings>[2]>[0];

/** Calls back with each change, and resolves `next()` with them in order. */
function changeQueue() {
  const got: Change[] = [];
  const waiting: ((change: Change) => void)[] = [];
  return {
    onChange: (change: Change) => {
      const wake = waiting.shift();
      if (wake) wake(change);
      else got.push(change);
    },
    next: () =>
      new Promise<Change>((resolve) => {
        const ready = got.shift();
        if (ready) resolve(ready);
        else waiting.push(resolve);
      }),
  };
}

describe('the README subscription client', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await TestGateway.start();
  });
  afterAll(() => gw.stop());

  it('is the code the README shows', () => {
    const root = path.join(__dirname, '..', '..');
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const example = readFileSync(path.join(root, 'examples', 'live-client.ts'), 'utf8');
    expect(readme).toContain('```ts\n' + example + '```');
  });

  it('follows changes live, and resumes after the last cursor without missing one', async () => {
    const dir = await smallDirectory(gw);
    const url = gw.url.replace(/^http/, 'ws');
    const first = changeQueue();
    const stop = followMeetings(url, gw.adminToken, first.onChange);
    await gw.app.live.running(1);
    const id = await createMeeting(gw, meetingInput(dir.parties, dir.agents));
    const seen = await first.next();
    expect(seen).toMatchObject({ op: 'CREATED', meetingId: id, version: 1 });
    stop();
    await gw.app.live.running(0);

    const missed = await createMeeting(gw, meetingInput(dir.parties, dir.agents));
    const resumed = changeQueue();
    const stopAgain = followMeetings(url, gw.adminToken, resumed.onChange, seen.cursor);
    expect(await resumed.next()).toMatchObject({ op: 'CREATED', meetingId: missed });
    stopAgain();
    await gw.app.live.running(0);
  });
});
