import { randomUUID } from 'node:crypto';
import { existsSync, renameSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { CREATE_MEETING, meetingInput, smallDirectory } from '../../support/fixtures';
import { TestGateway } from '../../support/gateway';
import { sqlitePath } from '../../support/sqlite-file';
import { COSTED } from '../../support/cost';

describe('an unexpected failure', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await TestGateway.start();
  });
  afterAll(() => gw.stop());

  it('is TECHNICAL_ERROR with a fixed message; the details are in the log under the request id', async () => {
    const dir = await smallDirectory(gw);
    // Another program breaks the schema under the running gateway.
    const other = new BetterSqlite3(sqlitePath(gw));
    other.exec('ALTER TABLE meeting_agent RENAME TO meeting_agent_moved');
    other.close();

    const id = randomUUID();
    const input = meetingInput(dir.parties, dir.agents);
    (input.meetingRealty as Record<string, string>).doorCode = 'DOOR-9911';
    const res = await gw.gql(CREATE_MEETING, { input }, { 'Request-ID': id });
    expect(res.body).toEqual({
      data: null,
      errors: [
        {
          message: 'An unexpected error occurred',
          path: ['createMeeting'],
          locations: [{ line: 2, column: 3 }],
          extensions: {
            code: 'TECHNICAL_ERROR',
            status: 500,
            description: 'The request could not be completed because of an unexpected failure.',
            errors: [],
            requestId: id,
          },
        },
      ],
      extensions: COSTED,
    });
    const text = JSON.stringify(res.body);
    expect(text).not.toMatch(/meeting_agent|SQLITE|INSERT|at .*\.ts|\/tmp\//);

    const logged = gw.logs().find((l) => l.requestId === id && l.level === 'error') as {
      err: { message: string; stack: string };
    };
    expect(logged.err.message).toContain('no such table: meeting_agent');
    expect(logged.err.stack).toBeDefined();
    expect(gw.logLines.join('\n')).not.toContain('DOOR-9911');

    // Nothing of the failed create is left behind.
    const rows = await gw.app.db.read((m) => m.query('SELECT count(*) AS n FROM meeting'));
    expect(rows).toEqual([{ n: 0 }]);
  });
});

describe('a database that is locked by another program', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await TestGateway.start({ busyTimeoutMs: 100 });
  });
  afterAll(() => gw.stop());

  it('makes writes SERVICE_UNAVAILABLE after the busy timeout, and they work again once it is free', async () => {
    const dir = await smallDirectory(gw);
    const other = new BetterSqlite3(sqlitePath(gw));
    other.exec('BEGIN IMMEDIATE');
    try {
      const res = await gw.gql(CREATE_MEETING, { input: meetingInput(dir.parties, dir.agents) });
      expect(res.body.errors![0]).toMatchObject({
        message: 'The database is unavailable',
        extensions: { code: 'SERVICE_UNAVAILABLE', status: 503 },
      });
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    const again = await gw.gql(CREATE_MEETING, { input: meetingInput(dir.parties, dir.agents) });
    expect(again.body.errors).toBeUndefined();
  });
});

describe('readiness', () => {
  it('fails while the connection is lost and the file is away, and recovers by itself when it is back, while liveness holds', async () => {
    const gw = await TestGateway.start();
    try {
      const dir = await smallDirectory(gw);
      expect((await gw.fetch('/health/ready')).status).toBe(200);
      const file = sqlitePath(gw);
      await gw.app.db.dataSource.destroy();
      const files = [file, `${file}-wal`, `${file}-shm`].filter((f) => existsSync(f));
      for (const f of files) renameSync(f, `${f}.away`);

      const write = await gw.gql(CREATE_MEETING, { input: meetingInput(dir.parties, dir.agents) });
      expect(write.body.errors![0].extensions).toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
        status: 503,
      });
      const ready = await gw.fetch('/health/ready');
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'unavailable', code: 'SERVICE_UNAVAILABLE' });
      expect((await gw.fetch('/health/live')).status).toBe(200);
      // No empty database was made in its place.
      expect(existsSync(file)).toBe(false);

      for (const f of files) renameSync(`${f}.away`, f);
      expect((await gw.fetch('/health/ready')).status).toBe(200);
      const again = await gw.gql(CREATE_MEETING, { input: meetingInput(dir.parties, dir.agents) });
      expect(again.body.errors).toBeUndefined();
    } finally {
      await gw.stop();
    }
  });
});
