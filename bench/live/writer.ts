/** The writer: createMeeting and updateMeeting over HTTP, at a steady rate or as fast as it can. */
import { CREATE, OFFICES, UPDATE, eventKey, meetingInput } from './shape';

/** One committed write: the event it must cause, and when its answer came (the commit, as seen). */
export interface Write {
  key: string;
  meetingId: string;
  version: number;
  office: string;
  op: 'CREATED' | 'UPDATED';
  sentAt: number;
  /** When the head of its answer arrived: the commit, as the writer sees it. */
  committedAt: number;
}

export interface WriteRun {
  writes: Write[];
  startedAt: number;
  endedAt: number;
}

/** Versions a meeting gets before a lane creates the next one: a create, then two updates. */
const VERSIONS_PER_MEETING = 3;

/**
 * Writes for `seconds`: with `rate`, write k is sent at k / rate seconds (or as soon as its lane is
 * free); without, each of `lanes` sends its next write when the last one is answered. A lane's
 * writes are sequential, so a meeting is updated only after it is created; offices are taken in
 * turn. An answer that is not a success stops the bench.
 */
export async function write(
  url: string,
  token: string,
  options: { seconds: number; lanes: number; rate?: number; tag: string },
): Promise<WriteRun> {
  const writes: Write[] = [];
  const startedAt = performance.now();
  const until = startedAt + options.seconds * 1000;
  const total = options.rate ? Math.round(options.seconds * options.rate) : Infinity;
  let next = 0;
  const lane = async (laneNo: number) => {
    const current = new Map<string, { meetingId: string; version: number }>();
    let own = 0;
    for (;;) {
      const k = next++;
      if (k >= total) return;
      if (options.rate) {
        const due = startedAt + (k * 1000) / options.rate;
        if (due > performance.now())
          await new Promise((r) => setTimeout(r, due - performance.now()));
      } else if (performance.now() >= until) return;
      const office = OFFICES[(laneNo + own++) % OFFICES.length];
      const meeting = current.get(office);
      const input = meetingInput(office, `${options.tag} ${k}`);
      const update = meeting !== undefined && meeting.version < VERSIONS_PER_MEETING;
      const body = update
        ? {
            operationName: 'Update',
            query: UPDATE,
            variables: { meetingId: meeting.meetingId, input },
          }
        : { operationName: 'Create', query: CREATE, variables: { input } };
      const sentAt = performance.now();
      const answer = await post(url, token, JSON.stringify(body));
      const payload = (
        answer.data as
          Record<string, { meeting?: { meetingId: string; version: number } }> | undefined
      )?.[update ? 'updateMeeting' : 'createMeeting']?.meeting;
      if (!payload) throw new Error(`a write failed: ${JSON.stringify(answer)}`);
      current.set(office, payload);
      writes.push({
        key: eventKey(payload.meetingId, payload.version),
        meetingId: payload.meetingId,
        version: payload.version,
        office,
        op: update ? 'UPDATED' : 'CREATED',
        sentAt,
        committedAt: answer.answeredAt,
      });
    }
  };
  await Promise.all(Array.from({ length: options.lanes }, (_, i) => lane(i)));
  return { writes, startedAt, endedAt: performance.now() };
}

/** A GraphQL POST; a non-200 answer is an error. `answeredAt`: when its head arrived. */
export async function post(
  url: string,
  token: string,
  body: string,
): Promise<{ data?: unknown; errors?: unknown; answeredAt: number }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
  });
  const answeredAt = performance.now();
  const json = (await res.json()) as { data?: unknown; errors?: unknown };
  if (res.status !== 200 || json.errors) {
    throw new Error(`HTTP ${res.status} from ${url}: ${JSON.stringify(json)}`);
  }
  return { ...json, answeredAt };
}
