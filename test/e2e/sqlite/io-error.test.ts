import { smallDirectory } from '../../support/fixtures';
import { TestGateway } from '../../support/gateway';
import { FailingDisk, describeAsRoot } from '../../support/mounts';
import { committedMeetingIds, integrityCheck, sqlitePath } from '../../support/sqlite-file';
import { createAll, createUntilRefused, refusedWrite } from '../../support/write-faults';

describeAsRoot(
  'mount file systems',
  'a disk whose writes fail (ext4 on a loop device whose store is full)',
  () => {
    let disk: FailingDisk;
    let gw: TestGateway;
    beforeAll(async () => {
      disk = FailingDisk.mount(16 * 1024 * 1024, 256 * 1024 * 1024);
      gw = await TestGateway.start({ parentDir: disk.dir });
    });
    afterAll(async () => {
      try {
        await gw.stop();
      } finally {
        disk.unmount();
      }
    });

    it('refuses the write whose COMMIT got an I/O error with SERVICE_UNAVAILABLE, is unready until the disk works, and loses no acknowledged write', async () => {
      const dir = await smallDirectory(gw);
      const before = await createAll(gw, dir, 3);
      disk.fail();
      const { acknowledged, refusal } = await createUntilRefused(gw, dir, 50);
      expect(refusal).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503 });
      // The page cache took the write; the disk did not, and the COMMIT's fsync said so.
      expect(gw.logLines.join('\n')).toContain('disk I/O error');

      expect((await gw.fetch('/health/ready')).status).toBe(503);
      expect((await gw.fetch('/health/live')).status).toBe(200);

      disk.heal();
      expect((await gw.fetch('/health/ready')).status).toBe(200);
      expect(await refusedWrite(gw, dir)).toBe('INVALID_ID');
      const twenty = await createAll(gw, dir, 20);

      // A restart, reading what reached the disk: the gateway stops, the file system is mounted
      // anew (its page cache is gone), and the file is opened anew.
      const file = sqlitePath(gw);
      await gw.app.stop();
      disk.remount();
      const committed = committedMeetingIds(file);
      expect([...before, ...acknowledged, ...twenty].filter((id) => !committed.has(id))).toEqual(
        [],
      );
      expect(integrityCheck(file)).toEqual(['ok']);
    });
  },
);
