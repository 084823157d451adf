type Mode = 'read' | 'write';

/**
 * A fair (FIFO) readers-writer lock. Readers share it, a writer holds it alone, and nobody overtakes
 * an earlier waiter, so a stream of readers cannot starve a writer.
 */
export class ReadWriteLock {
  private readers = 0;
  private writing = false;
  private readonly waiting: { mode: Mode; grant: () => void }[] = [];

  /** Runs `fn` while holding the lock shared with other readers. */
  read<T>(fn: () => Promise<T>): Promise<T> {
    return this.hold('read', fn);
  }

  /** Runs `fn` while holding the lock alone. */
  write<T>(fn: () => Promise<T>): Promise<T> {
    return this.hold('write', fn);
  }

  /** How many callers wait for the lock now. */
  get queueLength(): number {
    return this.waiting.length;
  }

  private async hold<T>(mode: Mode, fn: () => Promise<T>): Promise<T> {
    await this.acquire(mode);
    try {
      return await fn();
    } finally {
      this.release(mode);
    }
  }

  private acquire(mode: Mode): Promise<void> {
    if (this.waiting.length === 0 && this.isFree(mode)) {
      this.take(mode);
      return Promise.resolve();
    }
    return new Promise((grant) => this.waiting.push({ mode, grant }));
  }

  private release(mode: Mode): void {
    if (mode === 'read') this.readers -= 1;
    else this.writing = false;
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
