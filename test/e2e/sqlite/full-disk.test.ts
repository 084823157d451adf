import { rmSync } from 'node:fs';
import { smallDirectory } from '../../support/fixtures';
import { TestGateway } from '../../support/gateway';
import { Tmpfs, describeAsRoot } from '../../support/mounts';
import { committedMeetingIds, integrityCheck, sqlitePath } from '../../support/sqlite-file';
import { createAll, createUntilRefused, refusedWrite } from '../../support/write-faults';

describeAsRoot('mount file systems', 'a disk that is really full (a small tmpfs)', () => {
  let disk: Tmpfs;
  let gw: TestGateway;
  beforeAll(async () => {
    disk = Tmpfs.mount(8 * 1024 * 1024);
    gw = await TestGateway.start({ parentDir: disk.dir });
  });
  afterAll(async () => {
    try {
      await gw.stop();
    } finally {
      disk.unmount();
    }
  });

  it('refuses the write that does not fit with SERVICE_UNAVAILABLE, is unready until there is room, and loses no acknowledged write', async () => {
    const dir = await smallDirectory(gw);
    const filler = disk.fill(256 * 1024);
    const { acknowledged, refusal } = await createUntilRefused(gw, dir, 500);
    expect(refusal).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503 });
    expect(acknowledged.length).toBeGreaterThan(0);
    // SQLite ran out of room on the disk: not a limit of its own.
    expect(gw.logLines.join('\n')).toContain('database or disk is full');

    expect((await gw.fetch('/health/ready')).status).toBe(503);
    expect((await gw.fetch('/health/live')).status).toBe(200);

    rmSync(filler);
    expect((await gw.fetch('/health/ready')).status).toBe(200);
    expect(await refusedWrite(gw, dir)).toBe('INVALID_ID');
    const twenty = await createAll(gw, dir, 20);

    // A restart: the gateway stops, and the file is opened anew.
    const file = sqlitePath(gw);
    await gw.app.stop();
    const committed = committedMeetingIds(file);
    expect([...acknowledged, ...twenty].filter((id) => !committed.has(id))).toEqual([]);
    expect(integrityCheck(file)).toEqual(['ok']);
  });
});
