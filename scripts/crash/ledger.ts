import type { GraphqlRequest, Outcome } from './graphql-client';
import type { MeetingInput } from './operations';

/** Writes that must be refused, each for a reason of its own. */
export type InvalidKind =
  | 'unknown-id' // update or delete of an id no meeting has: INVALID_ID
  | 'stale-version' // expectedVersion other than the current one: CONFLICT
  | 'invalid-input' // a negative managementCharge: validation
  | 'unknown-party' // a party the directory does not know: checked inside the transaction
  | 'gone' // update of a deleted meeting: GONE
  | 'delete-not-waiting' // only a WAITING meeting may be deleted: INVALID_STATUS
  | 'locked-field'; // a WON, LOST or CANCELLED meeting keeps its visitTime: INVALID_STATUS

export type Field = 'createMeeting' | 'updateMeeting' | 'deleteMeeting';

/** What a meeting is after a write: the fields the checker compares. */
export interface Expected {
  version: number;
  notes: string;
  statusCode: string;
}

/** A meeting one writer owns: only that writer writes it, one request at a time. */
export interface TrackedMeeting {
  writer: number;
  /** The notes of its create: unique in the run, so a duplicate create is found by it. */
  marker: string;
  /** The create's write. */
  createSeq: number;
  /** Unknown while its create's outcome is unknown. */
  meetingId?: string;
  /** The input of the last acknowledged write: an update sends it with changes. */
  input: MeetingInput;
  /** The state the last acknowledged write left; undefined until the create is acknowledged. */
  state?: Expected;
  deleted: boolean;
  /** A write with an unknown outcome: the writer leaves the meeting alone after it. */
  pending?: Write;
}

export interface Write {
  seq: number;
  writer: number;
  field: Field;
  kind: 'valid' | InvalidKind;
  key: string;
  request: GraphqlRequest;
  meeting?: TrackedMeeting;
  /** For a valid write: what the meeting is once the write is applied ('deleted' for a delete). */
  after?: Expected | 'deleted';
  /** For a create: its notes. */
  marker?: string;
  outcome?: Outcome;
}

/** Every write of a run on one database and every violation found. */
export class Ledger {
  readonly writes: Write[] = [];
  readonly meetings: TrackedMeeting[] = [];
  readonly violations: { kind: ViolationKind; subject: string; detail: string }[] = [];
  /** Deleted meetings the checker has read as GONE. */
  readonly confirmedGone = new Set<TrackedMeeting>();
  /** Live meetings no tracked meeting accounts for, reported once. */
  readonly reportedStrangers = new Set<string>();
  cycles = 0;
  /** Unknown outcomes of valid writes that the checker found committed before retrying them. */
  unknownCommitted = 0;
  private seq = 0;

  nextSeq(): number {
    return ++this.seq;
  }

  /** `subject` is the write (#seq) or meeting at fault: several symptoms of one fault count once. */
  violation(kind: ViolationKind, subject: string, detail: string): void {
    this.violations.push({ kind, subject, detail });
  }

  count(kind: ViolationKind): number {
    return new Set(this.violations.filter((v) => v.kind === kind).map((v) => v.subject)).size;
  }
}

export type ViolationKind =
  | 'lost' // an acknowledged write whose effect is missing
  | 'refused-applied' // a refused (or not yet retried unknown) write whose effect is visible
  | 'duplicate' // a write applied twice, or a meeting no write accounts for
  | 'wrong-answer' // an answer that contradicts the contract (an invalid write acknowledged, a retry refused)
  | 'integrity'; // the database file itself
