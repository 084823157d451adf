import { post, read } from './graphql-client';
import type { Expected, Ledger, TrackedMeeting, Write } from './ledger';
import { FIND, type MeetingState, PAGE, READ } from './operations';
import type { Writer } from './writer';

/** The checker's view of the database, through the API, with an admin token. */
interface Api {
  url: string;
  adminToken: string;
}

/** Every live meeting, by id, and by notes (a create's marker finds the meetings it made). */
interface Snapshot {
  byId: Map<string, MeetingState>;
  byNotes: Map<string, MeetingState[]>;
  totalCount: number;
}

const CONCURRENCY = 8;

/**
 * Checks everything the cycles acknowledged and refused, retries every unknown outcome with its
 * Idempotency-Key, and checks again that each was applied exactly once.
 */
export async function verify(api: Api, writers: Writer[], ledger: Ledger): Promise<void> {
  const before = await snapshot(api);
  const pending = ledger.meetings.filter((m) => m.pending);
  const settled = ledger.meetings.filter((m) => !m.pending);
  await forEach(settled, (m) => checkSettled(api, m, before, ledger));
  const committed = new Map<Write, boolean>();
  await forEach(pending, async (m) => {
    const found = await judgePending(api, m, before, ledger);
    if (found !== undefined) committed.set(m.pending!, found);
  });
  ledger.unknownCommitted = [...committed.values()].filter(Boolean).length;
  reportStrangers(before, ledger, 'before the retries');

  const resolved = new Set<TrackedMeeting>();
  await forEach(writers, (w) => retryUnknown(api, w, ledger, committed, resolved));

  const after = await snapshot(api);
  // Every meeting again: a retry must have changed nothing but its own meeting.
  const tracked = ledger.meetings.filter((m) => resolved.has(m) || !m.pending);
  await forEach(tracked, (m) =>
    checkSettled(api, m, after, ledger, resolved.has(m) ? m.pending : undefined),
  );
  await forEach([...resolved], (m) => checkFoundByMarker(api, m, ledger));
  reportStrangers(after, ledger, 'after the retries');
  if (after.totalCount !== after.byId.size) {
    ledger.violation(
      'wrong-answer',
      'totalCount',
      `totalCount is ${after.totalCount}, the pages listed ${after.byId.size} meetings`,
    );
  }
}

async function snapshot(api: Api): Promise<Snapshot> {
  const byId = new Map<string, MeetingState>();
  const byNotes = new Map<string, MeetingState[]>();
  let after: string | undefined;
  let totalCount = 0;
  for (;;) {
    type Page = {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: MeetingState[];
    };
    const page = await read<Page>(
      api.url,
      api.adminToken,
      { query: PAGE, variables: { after } },
      'meetingsConnection',
    );
    totalCount = page.totalCount;
    for (const node of page.nodes) {
      byId.set(node.meetingId, node);
      byNotes.set(node.notes, [...(byNotes.get(node.notes) ?? []), node]);
    }
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) break;
    after = page.pageInfo.endCursor;
  }
  return { byId, byNotes, totalCount };
}

/** What `meeting(meetingId)` answers: the meeting, or the error code (GONE, INVALID_ID). */
async function readMeeting(api: Api, meetingId: string): Promise<MeetingState | string> {
  const outcome = await post(
    api.url,
    api.adminToken,
    { query: READ, variables: { meetingId } },
    'meeting',
  );
  if (outcome.kind === 'acknowledged') return outcome.data as unknown as MeetingState;
  if (outcome.kind === 'refused') return outcome.code;
  throw new Error(`meeting(${meetingId}) got no answer: ${outcome.reason}`);
}

/**
 * A meeting whose last write was acknowledged (or `retried` after an unknown outcome): exactly
 * that write's state, or GONE. More than that after a retry is the retried write applied twice.
 * A deleted meeting is read (GONE) the first time it is checked; later, absent from the list is enough.
 */
async function checkSettled(
  api: Api,
  m: TrackedMeeting,
  snap: Snapshot,
  ledger: Ledger,
  retried?: Write,
): Promise<void> {
  const id = m.meetingId!;
  const subject = retried ? `#${retried.seq}` : `meeting ${id}`;
  const excess = retried ? 'duplicate' : 'refused-applied';
  const what = `${subject} (writer ${m.writer})`;
  const found = snap.byId.get(id);
  if (m.deleted) {
    if (!found && ledger.confirmedGone.has(m)) return;
    const answer = found ?? (await readMeeting(api, id));
    if (answer !== 'GONE') {
      ledger.violation(
        'lost',
        subject,
        `${what}: an acknowledged delete, but it reads ${show(answer)}`,
      );
    } else ledger.confirmedGone.add(m);
    return;
  }
  const expected = m.state!;
  if (!found) {
    const answer = await readMeeting(api, id);
    ledger.violation(
      answer === 'GONE' ? 'refused-applied' : 'lost',
      subject,
      `${what}: expected ${show(expected)}, it reads ${show(answer)}`,
    );
  } else if (found.version > expected.version) {
    ledger.violation(excess, subject, `${what}: expected ${show(expected)}, found ${show(found)}`);
  } else if (!same(found, expected)) {
    ledger.violation('lost', subject, `${what}: expected ${show(expected)}, found ${show(found)}`);
  }
}

/**
 * Whether the write with an unknown outcome on this meeting was committed: the meeting is either
 * as the last acknowledged write left it, or as this write makes it; anything else is a violation.
 */
async function judgePending(
  api: Api,
  m: TrackedMeeting,
  snap: Snapshot,
  ledger: Ledger,
): Promise<boolean | undefined> {
  const write = m.pending!;
  const subject = `#${write.seq}`;
  const what = `${write.field} ${subject} (unknown outcome)`;
  if (write.field === 'createMeeting') {
    const made = snap.byNotes.get(m.marker) ?? [];
    if (made.length > 1) {
      ledger.violation('duplicate', subject, `${what} made ${made.length} meetings`);
      for (const extra of made.slice(1)) ledger.reportedStrangers.add(extra.meetingId);
    }
    if (made.length === 0) return false;
    m.meetingId = made[0].meetingId;
    return true;
  }
  const found = snap.byId.get(m.meetingId!) ?? (await readMeeting(api, m.meetingId!));
  const before = m.state!;
  if (write.field === 'deleteMeeting') {
    if (found === 'GONE') return true;
    if (typeof found !== 'string' && same(found, before)) return false;
  } else if (typeof found !== 'string') {
    if (same(found, before)) return false;
    if (same(found, write.after as Expected)) return true;
  }
  ledger.violation(
    typeof found === 'string' || found.version < before.version ? 'lost' : 'refused-applied',
    subject,
    `${what} on meeting ${m.meetingId}: expected ${show(before)} or its own effect, found ${show(found)}`,
  );
  return undefined;
}

/** Sends every unknown outcome of one writer again, with the same key, body and token. */
async function retryUnknown(
  api: Api,
  writer: Writer,
  ledger: Ledger,
  committed: Map<Write, boolean>,
  resolved: Set<TrackedMeeting>,
): Promise<void> {
  const unknown = ledger.writes.filter(
    (w) => w.writer === writer.index && w.outcome?.kind === 'unknown',
  );
  for (const write of unknown) {
    const subject = `#${write.seq}`;
    const what = `retry of ${write.field} ${subject} (${write.kind})`;
    const outcome = await post(api.url, writer.token, write.request, write.field, write.key);
    if (write.kind !== 'valid') {
      if (outcome.kind !== 'refused') {
        ledger.violation('wrong-answer', subject, `${what}: ${JSON.stringify(outcome)}`);
      }
      continue;
    }
    const m = write.meeting!;
    if (outcome.kind !== 'acknowledged') {
      ledger.violation('wrong-answer', subject, `${what}: ${JSON.stringify(outcome)}`);
      continue;
    }
    const wasCommitted = committed.get(write);
    if (wasCommitted === true && !outcome.replayed) {
      ledger.violation(
        'duplicate',
        subject,
        `${what}: committed before, applied again (not a replay)`,
      );
    } else if (wasCommitted === false && outcome.replayed) {
      ledger.violation(
        'wrong-answer',
        subject,
        `${what}: a replay of a write that was not committed`,
      );
    }
    if (write.field === 'createMeeting') {
      const id = (outcome.data as { meetingId: string }).meetingId;
      if (m.meetingId !== undefined && m.meetingId !== id) {
        ledger.violation(
          'duplicate',
          subject,
          `${what}: answered ${id}, the first made ${m.meetingId}`,
        );
        ledger.reportedStrangers.add(m.meetingId);
      }
      m.meetingId = id;
    }
    if (write.after === 'deleted') m.deleted = true;
    else m.state = write.after;
    m.input = (write.request.variables as { input?: typeof m.input }).input ?? m.input;
    resolved.add(m);
  }
}

/** The free-text index finds a meeting whose create had an unknown outcome by its marker, once. */
async function checkFoundByMarker(api: Api, m: TrackedMeeting, ledger: Ledger): Promise<void> {
  if (m.deleted || m.state!.notes !== m.marker) return;
  const result = await read<{ totalCount: number; meetings: MeetingState[] }>(
    api.url,
    api.adminToken,
    { query: FIND, variables: { text: m.state!.notes } },
    'meetings',
  );
  const ids = result.meetings.map((x) => x.meetingId);
  if (result.totalCount !== 1 || ids[0] !== m.meetingId) {
    ledger.violation(
      'duplicate',
      `#${m.createSeq}`,
      `freeTextSearch "${m.state!.notes}" found ${JSON.stringify(ids)}, expected [${m.meetingId}]`,
    );
  }
}

/** Live meetings no tracked meeting accounts for: a refused create applied, or a duplicate. */
function reportStrangers(snap: Snapshot, ledger: Ledger, when: string): void {
  const known = new Set(ledger.meetings.map((m) => m.meetingId));
  const refusedMarkers = new Set(
    ledger.writes
      .filter((w) => w.field === 'createMeeting' && w.outcome?.kind === 'refused')
      .map((w) => w.marker),
  );
  for (const [id, found] of snap.byId) {
    if (known.has(id) || ledger.reportedStrangers.has(id)) continue;
    ledger.reportedStrangers.add(id);
    ledger.violation(
      refusedMarkers.has(found.notes) ? 'refused-applied' : 'duplicate',
      `meeting ${id}`,
      `meeting ${id} ${show(found)} is no tracked meeting (${when})`,
    );
  }
}

function same(found: MeetingState | Expected, expected: Expected): boolean {
  return (
    found.version === expected.version &&
    found.notes === expected.notes &&
    found.statusCode === expected.statusCode
  );
}

function show(value: MeetingState | Expected | string): string {
  return typeof value === 'string'
    ? value
    : `v${value.version} ${value.statusCode} "${value.notes}"`;
}

async function forEach<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}
