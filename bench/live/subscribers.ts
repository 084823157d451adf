/** The subscribers: graphql-transport-ws connections of the load generator, and what they got. */
import WebSocket from 'ws';
import { SUBSCRIPTION, type SubscriberKind, eventKey, sees } from './shape';
import type { Write } from './writer';

/** One event as it arrived. */
export interface Arrival {
  key: string;
  op: string;
  office: string;
  meetingVersion: number | null;
  at: number;
}

interface ChangePayload {
  data?: {
    meetingChanged: {
      op: string;
      meetingId: string;
      agencyOfficeId: string;
      version: number;
      meeting: { meetingId: string; version: number } | null;
    };
  };
  errors?: unknown;
}

/** A connection with one subscription (or none), recording every event it gets. */
export class Subscriber {
  arrivals: Arrival[] = [];
  /** Anything but an event: errors, completes, an unexpected close. */
  readonly problems: string[] = [];
  private closing = false;
  private watch: Set<string> | null = null;
  /** Arrivals of the writes in `watch`. */
  watched = 0;

  private constructor(
    readonly socket: WebSocket,
    readonly kind: SubscriberKind,
  ) {
    socket.on('message', (data: Buffer) => this.received(data));
    socket.once('close', (code) => {
      if (!this.closing) this.problems.push(`closed by the server (${code})`);
    });
  }

  /** Opens a socket and waits for connection_ack. */
  static async connect(httpUrl: string, token: string, kind: SubscriberKind): Promise<Subscriber> {
    const socket = new WebSocket(httpUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) =>
        reject(new Error(`HTTP ${res.statusCode}`)),
      );
    });
    const acked = new Promise<void>((resolve, reject) => {
      socket.once('message', (data: Buffer) => {
        const type = (JSON.parse(data.toString('utf8')) as { type: string }).type;
        if (type === 'connection_ack') resolve();
        else reject(new Error(`expected connection_ack, got ${type}`));
      });
      socket.once('close', (code) => reject(new Error(`closed (${code}) before connection_ack`)));
    });
    socket.send(
      JSON.stringify({ type: 'connection_init', payload: { Authorization: `Bearer ${token}` } }),
    );
    await acked;
    return new Subscriber(socket, kind);
  }

  subscribe(): void {
    const variables = this.kind.filter ? { offices: this.kind.filter } : {};
    this.socket.send(
      JSON.stringify({ id: 's', type: 'subscribe', payload: { query: SUBSCRIPTION, variables } }),
    );
  }

  private received(data: Buffer): void {
    const at = performance.now();
    const message = JSON.parse(data.toString('utf8')) as { type: string; payload?: ChangePayload };
    if (message.type === 'connection_ack') return;
    const change = message.payload?.data?.meetingChanged;
    if (message.type !== 'next' || !change || message.payload?.errors) {
      this.problems.push(`unexpected message: ${data.toString('utf8').slice(0, 300)}`);
      return;
    }
    const key = eventKey(change.meetingId, change.version);
    if (this.watch?.has(key)) this.watched++;
    this.arrivals.push({
      key,
      op: change.op,
      office: change.agencyOfficeId,
      meetingVersion:
        change.meeting?.meetingId === change.meetingId ? change.meeting.version : null,
      at,
    });
  }

  /** Counts the arrivals of `keys` from now on (those already there included). */
  track(keys: Set<string>): void {
    this.watch = keys;
    this.watched = this.arrivals.filter((a) => keys.has(a.key)).length;
  }

  close(): void {
    this.closing = true;
    this.socket.terminate();
  }
}

/** Opens `count` connections, `parallel` at a time. */
export async function connectAll(
  count: number,
  parallel: number,
  open: (i: number) => Promise<Subscriber>,
): Promise<Subscriber[]> {
  const all: Subscriber[] = new Array<Subscriber>(count);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) all[i] = await open(i);
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
  return all;
}

/** Resolves when `done()` holds, checking every 10 ms; rejects after `timeoutMs`. */
export async function until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** How many events of `writes` subscriber `s` must get. */
export function expectedCount(s: Subscriber, writes: Write[]): number {
  let n = 0;
  for (const w of writes) if (sees(s.kind, w.office)) n++;
  return n;
}

/** Events of `writes` that came, over all subscribers. */
export function arrivedCount(subscribers: Subscriber[], writes: Set<string>): number {
  let n = 0;
  for (const s of subscribers) for (const a of s.arrivals) if (writes.has(a.key)) n++;
  return n;
}

/**
 * Every subscriber got exactly the events of the writes it may see: each once, with the write's
 * op, office and version (and the meeting at that version or later: it is read as it is now), each meeting's versions in order, and
 * in the same order as the first subscriber (an admin watching everything) got them: one commit
 * order for all. Arrivals of `ignored` writes (the warm-up's, before every subscription ran) are
 * dropped first. Returns the problems found, none when all is well.
 */
export function verify(subscribers: Subscriber[], writes: Write[], ignored: Set<string>): string[] {
  const byKey = new Map(writes.map((w) => [w.key, w]));
  const problems: string[] = [];
  const reference = new Map<string, number>();
  subscribers.forEach((s, i) => {
    const got = s.arrivals.filter((a) => !ignored.has(a.key));
    const say = (what: string) => problems.push(`subscriber ${i} (${s.kind.label}): ${what}`);
    for (const p of s.problems) say(p);
    const expected = expectedCount(s, writes);
    if (got.length !== expected) say(`${got.length} events, ${expected} expected`);
    const seen = new Set<string>();
    const lastVersion = new Map<string, number>();
    let lastRank = -1;
    for (const a of got) {
      const w = byKey.get(a.key);
      if (!w) return say(`an event nobody wrote: ${a.key}`);
      if (seen.has(a.key)) return say(`${a.key} twice`);
      seen.add(a.key);
      if (!sees(s.kind, w.office)) return say(`${a.key} of office ${w.office}, not its own`);
      // `meeting` is the meeting as it is when the event goes out: that version or a later one.
      const meetingOk = a.meetingVersion !== null && a.meetingVersion >= w.version;
      if (a.op !== w.op || a.office !== w.office || !meetingOk)
        return say(
          `${a.key} came as ${a.op} in ${a.office} with meeting version ${a.meetingVersion}`,
        );
      if ((lastVersion.get(w.meetingId) ?? 0) >= w.version)
        return say(`${a.key} after a later version`);
      lastVersion.set(w.meetingId, w.version);
      if (i === 0) reference.set(a.key, reference.size);
      const rank = reference.get(a.key);
      if (rank === undefined || rank < lastRank)
        return say(`${a.key} out of the first subscriber's order`);
      lastRank = rank;
    }
  });
  return problems;
}

/** The delivery latencies: each event's arrival after its write's answer, in ms. */
export function latencies(subscribers: Subscriber[], writes: Write[]): number[] {
  const committed = new Map(writes.map((w) => [w.key, w.committedAt]));
  const out: number[] = [];
  for (const s of subscribers) {
    for (const a of s.arrivals) {
      const at = committed.get(a.key);
      if (at !== undefined) out.push(a.at - at);
    }
  }
  return out;
}
