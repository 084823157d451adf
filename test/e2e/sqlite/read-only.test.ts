import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CREATE_MEETING, meetingInput, smallDirectory } from '../../support/fixtures';
import { TestGateway } from '../../support/gateway';
import { ReadOnlyBind, describeAsRoot } from '../../support/mounts';
import { PROCESS_JWT, postGraphQL, processAdminToken } from '../../support/process-auth';
import { killGateways, startGateway, waitForReady } from '../../support/process';
import { committedMeetingIds, sqlitePath } from '../../support/sqlite-file';
import { COSTED } from '../../support/cost';

jest.setTimeout(90_000);

type Directory = Awaited<ReturnType<typeof smallDirectory>>;

/** A database with a directory in it, closed cleanly (no write-ahead log left): its file. */
async function preparedDatabase(parentDir: string): Promise<{ file: string; dir: Directory }> {
  const gw = await TestGateway.start({ parentDir });
  const dir = await smallDirectory(gw);
  await gw.app.stop();
  return { file: sqlitePath(gw), dir };
}

function startOn(file: string) {
  return startGateway({
    PORT: '0',
    DATABASE_URL: `sqlite:${file}`,
    DEMO_DATA: 'false',
    ...PROCESS_JWT,
  });
}

function setImmutable(file: string, on: boolean): void {
  execFileSync('chattr', [on ? '+i' : '-i', file]);
}

/**
 * What a read-only database does to a running gateway: writes and readiness refuse while it is,
 * and both work again without a restart once it is writable.
 */
async function expectRefusalThenRecovery(
  url: string,
  dir: Directory,
  makeWritable: () => void,
): Promise<string> {
  const token = await processAdminToken();
  const origin = url.replace(/\/graphql$/, '');
  const read = await postGraphQL(url, token, '{ meetings { totalCount } }');
  expect(read).toEqual({ data: { meetings: { totalCount: 0 } }, extensions: COSTED });
  const refused = await postGraphQL(url, token, CREATE_MEETING, {
    input: meetingInput(dir.parties, dir.agents),
  });
  expect(refused.errors![0].extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  expect((await fetch(`${origin}/health/ready`)).status).toBe(503);
  expect((await fetch(`${origin}/health/live`)).status).toBe(200);

  makeWritable();
  expect((await fetch(`${origin}/health/ready`)).status).toBe(200);
  const created = await postGraphQL(url, token, CREATE_MEETING, {
    input: meetingInput(dir.parties, dir.agents),
  });
  expect(created.errors).toBeUndefined();
  return (created.data!.createMeeting as { meetingId: string }).meetingId;
}

let parent: string;
beforeEach(() => {
  parent = mkdtempSync(path.join(tmpdir(), 'meetings-read-only-'));
});
afterEach(() => {
  killGateways();
  rmSync(parent, { recursive: true, force: true });
});

describeAsRoot(
  'make a file immutable',
  'a database file that is read-only when the gateway starts',
  () => {
    it('starts, refuses writes and readiness, and takes writes once the file is writable, without a restart', async () => {
      const { file, dir } = await preparedDatabase(parent);
      // Root ignores file modes; an immutable file it cannot open for writing either.
      setImmutable(file, true);
      try {
        const run = startOn(file);
        const id = await expectRefusalThenRecovery(await waitForReady(run), dir, () =>
          setImmutable(file, false),
        );
        run.child.kill('SIGTERM');
        expect(await run.exited).toBe(0);
        expect(committedMeetingIds(file).has(id)).toBe(true);
      } finally {
        setImmutable(file, false);
      }
    });
  },
);

describeAsRoot('mount file systems', 'a database on a read-only mount', () => {
  let mount: ReadOnlyBind | undefined;
  afterEach(() => {
    killGateways();
    mount?.unmount();
    mount = undefined;
  });

  it('is not started on when no write-ahead log is there: SQLite cannot make one, nor read without it', async () => {
    const { file } = await preparedDatabase(parent);
    mount = ReadOnlyBind.mount(path.dirname(file));
    const run = startOn(path.join(mount.dir, path.basename(file)));
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain(
      'meetings gateway failed to start: unable to open database file',
    );
  });

  it('with the write-ahead log open by another process: starts, refuses writes and readiness, and takes writes once it is mounted writable, without a restart', async () => {
    const { file, dir } = await preparedDatabase(parent);
    // Another program has the database open: its write-ahead log and index exist.
    const other = new BetterSqlite3(file);
    try {
      other.prepare('SELECT count(*) FROM meeting').get();
      const bind = ReadOnlyBind.mount(path.dirname(file));
      mount = bind;
      const run = startOn(path.join(bind.dir, path.basename(file)));
      const id = await expectRefusalThenRecovery(await waitForReady(run), dir, () =>
        bind.makeWritable(),
      );
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      expect(committedMeetingIds(file).has(id)).toBe(true);
    } finally {
      other.close();
    }
  });
});
