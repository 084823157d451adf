import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * File systems a test mounts for real faults: a small tmpfs (a full disk), a read-only bind mount,
 * an ext4 file system on a loop device whose backing store fills up (I/O errors). Mounting needs
 * root; where the tests run without it, they are skipped with a message saying so.
 */

function run(command: string, ...args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`${command} ${args.join(' ')} failed: ${stderr.trim() || String(error)}`);
  }
}

/**
 * `describe`, or a visible skip where the process is not root: `needs` says what the tests do
 * that only root may (mount file systems, make a file immutable).
 */
export function describeAsRoot(needs: string, name: string, fn: () => void): void {
  if (process.getuid?.() === 0) {
    describe(name, fn);
  } else {
    console.warn(`SKIPPED "${name}": it needs root to ${needs}`);
    describe.skip(name, fn);
  }
}

function mountPoint(): string {
  return mkdtempSync(path.join(tmpdir(), 'meetings-mount-'));
}

/** Unmounts and removes a mount point; lazily if a process still has files open there. */
function unmount(dir: string): void {
  try {
    run('umount', dir);
  } catch {
    run('umount', '-l', dir);
  }
  rmSync(dir, { recursive: true, force: true });
}

/** A tmpfs of a fixed size: a disk that really fills up. */
export class Tmpfs {
  private constructor(readonly dir: string) {}

  static mount(sizeBytes: number): Tmpfs {
    const dir = mountPoint();
    run('mount', '-t', 'tmpfs', '-o', `size=${sizeBytes}`, 'tmpfs', dir);
    return new Tmpfs(dir);
  }

  /** Bytes that can still be written. */
  get freeBytes(): number {
    const stats = statfsSync(this.dir);
    return stats.bavail * stats.bsize;
  }

  /** Writes a file that leaves `leaveBytes` free (or fills the disk when 0); returns its path. */
  fill(leaveBytes = 0): string {
    const file = path.join(this.dir, 'filler');
    writeFileSync(file, Buffer.alloc(Math.max(0, this.freeBytes - leaveBytes)));
    if (leaveBytes === 0) {
      // Whatever a page-rounded size left over.
      try {
        writeFileSync(file, Buffer.alloc(this.freeBytes + 65536), { flag: 'a' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      }
    }
    return file;
  }

  unmount(): void {
    unmount(this.dir);
  }
}

/** A read-only bind mount of a folder: the same files, refused for writing even to root. */
export class ReadOnlyBind {
  private constructor(readonly dir: string) {}

  static mount(source: string): ReadOnlyBind {
    const dir = mountPoint();
    run('mount', '--bind', source, dir);
    run('mount', '-o', 'remount,bind,ro', dir);
    return new ReadOnlyBind(dir);
  }

  makeWritable(): void {
    run('mount', '-o', 'remount,bind,rw', this.dir);
  }

  unmount(): void {
    unmount(this.dir);
  }
}

/**
 * An ext4 file system on a loop device whose backing file lies, sparse, on a much smaller tmpfs.
 * Once the tmpfs is full, the file system's writes fail at the block device: write() still
 * succeeds into the page cache, and fsync() fails with EIO, as a failing disk does.
 */
export class FailingDisk {
  private constructor(
    readonly dir: string,
    private readonly backing: Tmpfs,
    private readonly device: string,
  ) {}

  static mount(backingBytes: number, fileSystemBytes: number): FailingDisk {
    const backing = Tmpfs.mount(backingBytes);
    const image = path.join(backing.dir, 'disk.img');
    run('truncate', '-s', String(fileSystemBytes), image);
    // No journal: the file system reports the failed writes and carries on (errors=continue)
    // instead of aborting its journal and turning read-only.
    run('mkfs.ext4', '-q', '-O', '^has_journal', '-E', 'lazy_itable_init=1,nodiscard', image);
    const device = run('losetup', '--find', '--show', image).trim();
    const dir = mountPoint();
    try {
      run('mount', '-o', 'errors=continue', device, dir);
    } catch (error) {
      run('losetup', '-d', device);
      backing.unmount();
      throw error;
    }
    return new FailingDisk(dir, backing, device);
  }

  /** From now on the disk fails every write. */
  fail(): void {
    this.backing.fill();
  }

  /** The disk takes writes again. */
  heal(): void {
    rmSync(path.join(this.backing.dir, 'filler'));
  }

  /**
   * Unmounts and mounts the file system again: what is read afterwards comes from the disk, not
   * from the page cache (where a write that failed to reach the disk may still be seen).
   */
  remount(): void {
    run('umount', this.dir);
    run('mount', '-o', 'errors=continue', this.device, this.dir);
  }

  unmount(): void {
    unmount(this.dir);
    run('losetup', '-d', this.device);
    this.backing.unmount();
  }
}
