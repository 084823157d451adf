import { randomUUID } from 'node:crypto';
import { type Outcome, post } from './graphql-client';
import type { Expected, InvalidKind, Ledger, TrackedMeeting, Write } from './ledger';
import {
  createRequest,
  deleteRequest,
  type Directory,
  type MeetingInput,
  meetingInput,
  type MeetingState,
  updateRequest,
} from './operations';

/** One concurrent client: its own token (so its own Idempotency-Key scope) and its own meetings. */
export interface Writer {
  index: number;
  token: string;
  meetings: TrackedMeeting[];
}

export interface WriteContext {
  ledger: Ledger;
  directory: Directory;
  /** Makes the notes of this run unique, so a meeting is found by the write that made it. */
  runId: string;
}

// The rate limit refuses before anything runs: nothing was written, and a client would retry.
// (SERVICE_UNAVAILABLE is an unknown outcome: see graphql-client.ts.)
const TRANSIENT = new Set(['TOO_MANY_REQUESTS']);

const INVALID_KINDS: readonly InvalidKind[] = [
  'unknown-id',
  'stale-version',
  'invalid-input',
  'unknown-party',
  'gone',
  'delete-not-waiting',
  'locked-field',
];

/** Writes until `stopping()` says the gateway is being killed; the last one's answer may be lost. */
export async function runWriter(
  writer: Writer,
  ctx: WriteContext,
  url: string,
  stopping: () => boolean,
): Promise<void> {
  while (!stopping()) {
    const write = planWrite(writer, ctx);
    ctx.ledger.writes.push(write);
    const outcome = await post(url, writer.token, write.request, write.field, write.key);
    settle(write, outcome, writer, ctx.ledger);
  }
}

/** A marker of one write: same length for every write, so none is a part of another. */
function marker(ctx: WriteContext, prefix: string, seq: number): string {
  return `${prefix}${ctx.runId}n${String(seq).padStart(8, '0')}`;
}

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)];
}

function planWrite(writer: Writer, ctx: WriteContext): Write {
  const seq = ctx.ledger.nextSeq();
  const base = { seq, writer: writer.index, key: randomUUID() };
  const live = writer.meetings.filter((m) => m.state && !m.deleted && !m.pending);
  const r = Math.random();
  if (live.length < 3 || r < 0.25) return plannedCreate(writer, ctx, base);
  if (r < 0.6) return plannedUpdate(ctx, base, pick(live));
  if (r < 0.72) {
    const waiting = live.filter((m) => m.state!.statusCode === 'WAITING');
    if (waiting.length > 0) return plannedDelete(base, pick(waiting));
    return plannedUpdate(ctx, base, pick(live));
  }
  return plannedInvalid(writer, ctx, base, live, pick(INVALID_KINDS));
}

type Base = Pick<Write, 'seq' | 'writer' | 'key'>;

function plannedCreate(writer: Writer, ctx: WriteContext, base: Base): Write {
  const notes = marker(ctx, 'ck', base.seq);
  const input = meetingInput(ctx.directory, notes);
  const meeting: TrackedMeeting = {
    writer: writer.index,
    marker: notes,
    createSeq: base.seq,
    input,
    deleted: false,
  };
  return {
    ...base,
    field: 'createMeeting',
    kind: 'valid',
    request: createRequest(input),
    meeting,
    marker: notes,
    after: { version: 1, notes, statusCode: 'WAITING' },
  };
}

// Mostly WAITING, now and then an outcome; WON and LOST may switch, CANCELLED is final.
function nextStatus(current: string): string {
  const r = Math.random();
  if (current === 'WAITING')
    return r < 0.05 ? 'WON' : r < 0.1 ? 'LOST' : r < 0.13 ? 'CANCELLED' : current;
  if (current === 'WON' && r < 0.2) return 'LOST';
  if (current === 'LOST' && r < 0.2) return 'WON';
  return current;
}

function plannedUpdate(ctx: WriteContext, base: Base, meeting: TrackedMeeting): Write {
  const state = meeting.state!;
  const notes = marker(ctx, 'cu', base.seq);
  const statusCode = nextStatus(state.statusCode);
  const input = { ...meeting.input, notes, statusCode };
  const expectedVersion = Math.random() < 0.5 ? state.version : undefined;
  return {
    ...base,
    field: 'updateMeeting',
    kind: 'valid',
    request: updateRequest(meeting.meetingId!, input, expectedVersion),
    meeting,
    after: { version: state.version + 1, notes, statusCode },
  };
}

function plannedDelete(base: Base, meeting: TrackedMeeting): Write {
  const expectedVersion = Math.random() < 0.5 ? meeting.state!.version : undefined;
  return {
    ...base,
    field: 'deleteMeeting',
    kind: 'valid',
    request: deleteRequest(meeting.meetingId!, expectedVersion),
    meeting,
    after: 'deleted',
  };
}

/** A write the gateway must refuse; falls back to an unknown id when no meeting fits the kind. */
function plannedInvalid(
  writer: Writer,
  ctx: WriteContext,
  base: Base,
  live: TrackedMeeting[],
  kind: InvalidKind,
): Write {
  const notes = marker(ctx, 'cx', base.seq);
  const fresh = meetingInput(ctx.directory, notes);
  const settled = live.filter((m) => m.state!.statusCode !== 'WAITING');
  const gone = writer.meetings.filter((m) => m.deleted && !m.pending);
  const invalid = (field: Write['field'], request: Write['request'], meeting?: TrackedMeeting) => ({
    ...base,
    field,
    kind,
    request,
    meeting,
    marker: field === 'createMeeting' ? notes : undefined,
  });
  switch (kind) {
    case 'stale-version': {
      // An older version stays stale for good, so a retry at the end is refused too.
      const seen = live.filter((m) => m.state!.version > 1);
      if (seen.length === 0) break;
      const m = pick(seen);
      const stale = m.state!.version - 1;
      return Math.random() < 0.5 && m.state!.statusCode === 'WAITING'
        ? invalid('deleteMeeting', deleteRequest(m.meetingId!, stale), m)
        : invalid('updateMeeting', updateRequest(m.meetingId!, withNotes(m, notes), stale), m);
    }
    case 'invalid-input': {
      const realty = { ...(fresh.meetingRealty as object), managementCharge: -1 };
      return invalid('createMeeting', createRequest({ ...fresh, meetingRealty: realty }));
    }
    case 'unknown-party': {
      const parties = [{ partyId: randomUUID(), partyTypeCode: 'PERSON_PARTY' }];
      return invalid('createMeeting', createRequest({ ...fresh, parties }));
    }
    case 'gone':
      if (gone.length === 0) break;
      return invalid('updateMeeting', updateRequest(pick(gone).meetingId!, fresh));
    case 'delete-not-waiting':
      if (settled.length === 0) break;
      return invalid('deleteMeeting', deleteRequest(pick(settled).meetingId!));
    case 'locked-field': {
      if (settled.length === 0) break;
      const m = pick(settled);
      const input = { ...withNotes(m, notes), visitTime: '2027-04-01T08:00:00Z' };
      return invalid('updateMeeting', updateRequest(m.meetingId!, input), m);
    }
    case 'unknown-id':
      break;
  }
  return {
    ...invalid('updateMeeting', updateRequest(randomUUID(), fresh)),
    kind: 'unknown-id',
  };
}

function withNotes(meeting: TrackedMeeting, notes: string): MeetingInput {
  return { ...meeting.input, notes };
}

/** Records the outcome and what it teaches about the meeting; flags answers that break the rules. */
function settle(write: Write, outcome: Outcome, writer: Writer, ledger: Ledger): void {
  write.outcome = outcome;
  const meeting = write.meeting;
  const what = `${write.field} #${write.seq} (${write.kind})`;
  if (write.kind !== 'valid') {
    if (outcome.kind === 'acknowledged') {
      ledger.violation(
        'wrong-answer',
        `#${write.seq}`,
        `${what} was acknowledged: ${JSON.stringify(outcome.data)}`,
      );
    }
    return;
  }
  if (!meeting) return;
  if (outcome.kind === 'unknown') {
    meeting.pending = write;
    if (write.field === 'createMeeting') track(meeting, writer, ledger);
    return;
  }
  if (outcome.kind === 'refused') {
    if (!TRANSIENT.has(outcome.code)) {
      ledger.violation(
        'wrong-answer',
        `#${write.seq}`,
        `${what} was refused: ${outcome.code} ${outcome.message}`,
      );
    }
    return;
  }
  if (write.field === 'deleteMeeting') {
    meeting.deleted = true;
    return;
  }
  const answer = (outcome.data.meeting ?? {}) as MeetingState;
  if (write.field === 'createMeeting') {
    meeting.meetingId = answer.meetingId;
    track(meeting, writer, ledger);
  }
  const after = write.after as Expected;
  compareAnswer(what, answer, after, ledger);
  meeting.state = { version: answer.version, notes: answer.notes, statusCode: answer.statusCode };
  meeting.input = (write.request.variables as { input: MeetingInput }).input;
}

function track(meeting: TrackedMeeting, writer: Writer, ledger: Ledger): void {
  writer.meetings.push(meeting);
  ledger.meetings.push(meeting);
}

/** An acknowledged write's answer against what the writer's own history says it must be. */
function compareAnswer(what: string, answer: MeetingState, after: Expected, ledger: Ledger): void {
  if (answer.version > after.version) {
    ledger.violation(
      'refused-applied',
      `meeting ${answer.meetingId}`,
      `${what} answered version ${answer.version}, expected ${after.version}: a write that was not acknowledged had been applied`,
    );
  } else if (answer.version < after.version) {
    ledger.violation(
      'lost',
      `meeting ${answer.meetingId}`,
      `${what} answered version ${answer.version}, expected ${after.version}: an acknowledged write was lost`,
    );
  } else if (answer.notes !== after.notes || answer.statusCode !== after.statusCode) {
    ledger.violation(
      'wrong-answer',
      `meeting ${answer.meetingId}`,
      `${what} answered ${JSON.stringify(answer)}`,
    );
  }
}
