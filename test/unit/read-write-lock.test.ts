import { ReadWriteLock } from '../../src/db/read-write-lock';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('ReadWriteLock', () => {
  it('lets readers share the lock', async () => {
    const lock = new ReadWriteLock();
    const gate = deferred();
    let running = 0;
    let most = 0;
    const reader = () =>
      lock.read(async () => {
        running += 1;
        most = Math.max(most, running);
        await gate.promise;
        running -= 1;
      });
    const all = Promise.all([reader(), reader(), reader()]);
    await new Promise(setImmediate);
    gate.resolve();
    await all;
    expect(most).toBe(3);
  });

  it('gives a writer the lock alone, in arrival order', async () => {
    const lock = new ReadWriteLock();
    const events: string[] = [];
    const step = (name: string) => async () => {
      events.push(`${name} start`);
      await new Promise(setImmediate);
      events.push(`${name} end`);
    };
    await Promise.all([
      lock.read(step('r1')),
      lock.write(step('w1')),
      lock.read(step('r2')),
      lock.write(step('w2')),
    ]);
    expect(events).toEqual([
      'r1 start',
      'r1 end',
      'w1 start',
      'w1 end',
      'r2 start',
      'r2 end',
      'w2 start',
      'w2 end',
    ]);
  });

  it('does not let later readers overtake a waiting writer', async () => {
    const lock = new ReadWriteLock();
    const gate = deferred();
    const events: string[] = [];
    const first = lock.read(async () => {
      await gate.promise;
      events.push('r1');
    });
    const writer = lock.write(async () => {
      events.push('w');
    });
    const late = lock.read(async () => {
      events.push('r2');
    });
    expect(lock.queueLength).toBe(2);
    gate.resolve();
    await Promise.all([first, writer, late]);
    expect(events).toEqual(['r1', 'w', 'r2']);
  });

  it('releases the lock when the holder fails', async () => {
    const lock = new ReadWriteLock();
    await expect(lock.write(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lock.write(async () => 'next')).resolves.toBe('next');
  });
});
