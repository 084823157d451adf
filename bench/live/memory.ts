/**
 * Memory per idle connection: a server's memory before and after opening connections (each
 * acknowledged), first without a subscription, then with one each. No GC can be forced in the
 * gateway, so each point is the median of several readings a while apart.
 */
import { type Running, memoryOf } from './servers';
import { OFFICES, subscriberKind } from './shape';
import { Subscriber, connectAll } from './subscribers';
import type { Tokens } from './fanout';
import { write } from './writer';

const READINGS = 7;
const READING_GAP_MS = 300;

export interface Memory {
  vmRss: number;
  rss: number;
  heapUsed: number;
}

export interface MemoryResult {
  target: Running['target'];
  connections: number;
  readings: number;
  before: Memory;
  connected: Memory;
  subscribed: Memory;
  /** Bytes per connection: connected minus before, subscribed minus before, over the count. */
  perConnection: { idle: Memory; subscribed: Memory };
}

async function reading(server: Running): Promise<Memory> {
  const all: Memory[] = [];
  for (let i = 0; i < READINGS; i++) {
    await new Promise((r) => setTimeout(r, READING_GAP_MS));
    all.push(await memoryOf(server));
  }
  const median = (key: keyof Memory) => {
    const sorted = all.map((m) => m[key]).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
  };
  return { vmRss: median('vmRss'), rss: median('rss'), heapUsed: median('heapUsed') };
}

const per = (after: Memory, before: Memory, n: number): Memory => ({
  vmRss: (after.vmRss - before.vmRss) / n,
  rss: (after.rss - before.rss) / n,
  heapUsed: (after.heapUsed - before.heapUsed) / n,
});

export async function idleMemory(
  server: Running,
  count: number,
  tokens: Tokens,
  adminToken: string,
): Promise<MemoryResult> {
  // The server has answered a write and an event before the first reading: its lazy parts are up.
  const before = await reading(server);
  const subscribers = await connectAll(count, 50, async (i) => {
    const kind = subscriberKind(i);
    return Subscriber.connect(server.url, await tokens(kind.tokenOffices), kind);
  });
  try {
    const connected = await reading(server);
    for (const s of subscribers) s.subscribe();
    // Each subscription runs once it has had an event: a write in each office until all have.
    for (let round = 0; !subscribers.every((s) => s.arrivals.length > 0); round++) {
      if (round > 100) throw new Error(`${server.target}: subscriptions not running`);
      const each = { seconds: OFFICES.length / 1000, rate: 1000, lanes: 1, tag: 'memory' };
      await write(server.url, adminToken, each);
      await new Promise((r) => setTimeout(r, 200));
    }
    for (const s of subscribers) s.arrivals = [];
    const subscribed = await reading(server);
    const problems = subscribers.flatMap((s) => s.problems);
    if (problems.length > 0)
      throw new Error(`${server.target}: ${problems.slice(0, 5).join('; ')}`);
    return {
      target: server.target,
      connections: count,
      readings: READINGS,
      before,
      connected,
      subscribed,
      perConnection: {
        idle: per(connected, before, count),
        subscribed: per(subscribed, before, count),
      },
    };
  } finally {
    for (const s of subscribers) s.close();
  }
}
