import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CREATE_MEETING,
  UPDATE_MEETING,
  UPSERT_AGENTS,
  UPSERT_PARTIES,
  agent,
  meetingInput,
  party,
} from '../../support/fixtures';
import { PROCESS_JWT, postGraphQL, processAdminToken } from '../../support/process-auth';
import { killGateways, startGateway, waitForReady } from '../../support/process';
import { withFile } from '../../support/sqlite-file';
import { COSTED } from '../../support/cost';
import { MIGRATIONS } from '../../../src/data-source';

jest.setTimeout(180_000);

const ROOT = path.join(__dirname, '..', '..', '..');
const CLIENTS = 8;
const OPERATIONS_PER_CLIENT = 40;

/**
 * A third program writing the same file: its own connection, BEGIN IMMEDIATE, 20 rows, COMMIT,
 * again and again until its stdin closes. It prints the number of each transaction it committed.
 */
const OTHER_WRITER = `
const Database = require(process.argv[1]);
const db = new Database(process.argv[2], { timeout: 5000 });
const insert = db.prepare('INSERT INTO other_writes (tx, row) VALUES (?, ?)');
let tx = 0;
let stopped = false;
process.stdin.on('end', () => { stopped = true; });
process.stdin.resume();
function step() {
  tx++;
  try {
    db.exec('BEGIN IMMEDIATE');
    for (let row = 0; row < 20; row++) insert.run(tx, row);
    db.exec('COMMIT');
    process.stdout.write('committed ' + tx + '\\n');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    process.stdout.write('failed ' + tx + ' ' + error.code + '\\n');
  }
  if (stopped) { db.close(); process.exit(0); }
  setTimeout(step, 2);
}
step();
`;

function startOtherWriter(file: string): { child: ChildProcess; output: () => string } {
  const child = spawn(
    process.execPath,
    ['-e', OTHER_WRITER, require.resolve('better-sqlite3'), file],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  return { child, output: () => output };
}

interface Tally {
  acknowledged: number;
  codes: Record<string, number>;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'meetings-two-'));
});
afterEach(() => {
  killGateways();
  rmSync(dir, { recursive: true, force: true });
});

describe('two gateway processes and other writers on one SQLite file', () => {
  it('start together on a new file: one migrates and loads the demo, the other waits and finds them', async () => {
    for (let round = 0; round < 3; round++) {
      const file = path.join(dir, `together-${round}.sqlite`);
      const env = { PORT: '0', DATABASE_URL: `sqlite:${file}`, DEMO_DATA: 'true', ...PROCESS_JWT };
      const urls = await Promise.all([startGateway(env), startGateway(env)].map(waitForReady));
      const token = await processAdminToken();
      for (const url of urls) {
        expect(await postGraphQL(url, token, '{ meetings(size: 1) { totalCount } }')).toEqual({
          data: { meetings: { totalCount: 200 } },
          extensions: COSTED,
        });
      }
      const migrations = withFile(file, (db) =>
        db.prepare('SELECT name FROM migrations ORDER BY id').all(),
      );
      expect(migrations).toHaveLength(MIGRATIONS.sqlite.length);
      killGateways();
    }
  });

  it('under concurrent load: no TECHNICAL_ERROR, and every acknowledged write is in the file', async () => {
    const file = path.join(dir, 'meetings.sqlite');
    const env = {
      PORT: '0',
      DATABASE_URL: `sqlite:${file}`,
      DEMO_DATA: 'false',
      RATE_LIMIT_PER_SECOND: '100000',
      RATE_LIMIT_BURST: '100000',
      ...PROCESS_JWT,
    };
    const first = startGateway(env);
    const urls = [await waitForReady(first)];
    // The second starts on a migrated database.
    const second = startGateway(env);
    urls.push(await waitForReady(second));
    withFile(file, (db) => db.exec('CREATE TABLE other_writes (tx INTEGER, row INTEGER)'));
    const token = await processAdminToken();

    const parties = [party(), party({ partyName: 'Liisa Laine' })];
    const agents = [agent()];
    expect(
      (await postGraphQL(urls[0], token, UPSERT_PARTIES, { input: parties })).errors,
    ).toBeUndefined();
    expect(
      (await postGraphQL(urls[1], token, UPSERT_AGENTS, { input: agents })).errors,
    ).toBeUndefined();

    const other = startOtherWriter(file);
    const otherExited = new Promise((resolve) => other.child.on('exit', resolve));
    // The TypeORM CLI on the same file, while the load runs: nothing to migrate, a clean run.
    const cli = new Promise<{ status: number | null; output: string }>((resolve) => {
      const child = spawn('npm', ['run', '-s', 'migration:run'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', DATABASE_URL: `sqlite:${file}` },
      });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.on('exit', (status) => resolve({ status, output }));
    });

    const tally: Tally = { acknowledged: 0, codes: {} };
    /** Each meeting's notes as last acknowledged, and those sent after it and refused. */
    const notes = new Map<string, { acknowledged: string; refusedSince: string[] }>();
    const client = async (c: number) => {
      let meetingId: string | undefined;
      for (let i = 0; i < OPERATIONS_PER_CLIENT; i++) {
        const url = urls[(c + i) % 2];
        const text = `client ${c} operation ${i}`;
        const input = meetingInput(parties, agents, { notes: text });
        const body =
          meetingId === undefined || i % 2 === 0
            ? await postGraphQL(url, token, CREATE_MEETING, { input })
            : await postGraphQL(url, token, UPDATE_MEETING, { meetingId, input });
        const error = body.errors?.[0];
        if (error) {
          tally.codes[error.extensions.code] = (tally.codes[error.extensions.code] ?? 0) + 1;
          if (meetingId !== undefined && i % 2 === 1) notes.get(meetingId)!.refusedSince.push(text);
          continue;
        }
        tally.acknowledged++;
        const created = body.data!.createMeeting as { meetingId: string } | undefined;
        if (created) meetingId = created.meetingId;
        notes.set(meetingId!, { acknowledged: text, refusedSince: [] });
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
    const migrated = await cli;
    other.child.stdin!.end();
    await otherExited;

    first.child.kill('SIGTERM');
    second.child.kill('SIGTERM');
    expect([await first.exited, await second.exited]).toEqual([0, 0]);

    const otherCommitted = [...other.output().matchAll(/^committed (\d+)$/gm)].map((m) =>
      Number(m[1]),
    );
    const otherFailed = other.output().match(/^failed .*$/gm) ?? [];
    console.log(
      JSON.stringify({
        operations: CLIENTS * OPERATIONS_PER_CLIENT,
        acknowledged: tally.acknowledged,
        refused: tally.codes,
        otherWriter: { committed: otherCommitted.length, failed: otherFailed },
        cli: migrated.status,
      }),
    );
    expect(migrated).toMatchObject({ status: 0 });
    expect(tally.codes.TECHNICAL_ERROR).toBeUndefined();
    expect(Object.keys(tally.codes).filter((code) => code !== 'SERVICE_UNAVAILABLE')).toEqual([]);
    // Busy waits at BEGIN IMMEDIATE, up to the busy timeout: few or none give up.
    expect(tally.codes.SERVICE_UNAVAILABLE ?? 0).toBeLessThanOrEqual(
      0.02 * CLIENTS * OPERATIONS_PER_CLIENT,
    );

    // A restart's view: every acknowledged write, as it was acknowledged.
    const stored = withFile(file, (db) => {
      const rows = db.prepare('SELECT meeting_id, notes FROM meeting').all() as {
        meeting_id: string;
        notes: string;
      }[];
      return new Map(rows.map((r) => [r.meeting_id, r.notes]));
    });
    const wrong = [...notes].filter(([id, { acknowledged, refusedSince }]) => {
      const value = stored.get(id);
      // A refused write whose COMMIT failed may still have reached the file; nothing else may.
      return value !== acknowledged && !refusedSince.includes(value ?? '');
    });
    expect(wrong).toEqual([]);
    const otherRows = withFile(file, (db) =>
      (db.prepare('SELECT DISTINCT tx FROM other_writes').all() as { tx: number }[]).map(
        (r) => r.tx,
      ),
    );
    expect(otherCommitted.filter((tx) => !otherRows.includes(tx))).toEqual([]);
    expect(otherCommitted.length).toBeGreaterThan(0);
  });
});
