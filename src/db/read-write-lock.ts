type Mode = 'read' | 'write';

interface Waiter {
  mode: Mode;
  grant: () => void;
}

/** The caller's deadline passed while waiting: for the lock, or for the database. */
export class LockTimeout extends Error {
  override readonly name = 'LockTimeout';
}

/**
 * A fair (FIFO) readers-writer lock. Readers share it, a writer holds it alone, and nobody overtakes
 * an earlier waiter, so a stream of readers cannot starve a writer. A waiter may give up at a
 * deadline.
 */
export class ReadWriteLock {
  private readers = 0;
  private writing = false;
  private readonly waiting: Waiter[] = [];

  /** Runs `fn` while holding the lock shared with other readers. */
  read<T>(fn: () => Promise<T>, deadline?: number): Promise<T> {
    return this.hold('read', fn, deadline);
  }

  /** Runs `fn` while holding the lock alone. */
  write<T>(fn: () => Promise<T>, deadline?: number): Promise<T> {
    return this.hold('write', fn, deadline);
  }

  /** How many callers wait for the lock now. */
  get queueLength(): number {
    return this.waiting.length;
  }

  private async hold<T>(
    mode: Mode,
    fn: () => Promise<T>,
    deadline: number | undefined,
  ): Promise<T> {
    await this.acquire(mode, deadline);
    try {
      return await fn();
    } finally {
      this.release(mode);
    }
  }

  private acquire(mode: Mode, deadline: number | undefined): Promise<void> {
    if (this.waiting.length === 0 && this.isFree(mode)) {
      this.take(mode);
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter: Waiter = {
        mode,
        grant: () => {
          if (timer) clearTimeout(timer);
          resolve();
        },
      };
      this.waiting.push(waiter);
      if (deadline !== undefined) {
        timer = setTimeout(
          () => {
            const index = this.waiting.indexOf(waiter);
            if (index < 0) return;
            this.waiting.splice(index, 1);
            // The waiter that left may have been what held the others back.
            this.grantWaiting();
            reject(new LockTimeout('The lock was not free before the deadline'));
          },
          Math.max(0, deadline - Date.now()),
        );
      }
    });
  }

  private release(mode: Mode): void {
    if (mode === 'read') this.readers -= 1;
    else this.writing = false;
    this.grantWaiting();
  }

  private grantWaiting(): void {
    while (this.waiting.length > 0 && this.isFree(this.waiting[0].mode)) {
      const next = this.waiting.shift()!;
      this.take(next.mode);
      next.grant();
    }
  }

  private isFree(mode: Mode): boolean {
    return mode === 'read' ? !this.writing : !this.writing && this.readers === 0;
  }

  private take(mode: Mode): void {
    if (mode === 'read') this.readers += 1;
    else this.writing = true;
  }
}
