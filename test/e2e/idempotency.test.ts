import { randomUUID } from 'node:crypto';
import { query } from '../../src/db/sql';
import { LOCK_SPACE } from '../../src/idempotency/idempotency.repository';
import {
  UPSERT_PARTIES,
  meetingInput,
  party,
  smallDirectory,
  type AgentFixture,
  type PartyFixture,
} from '../support/fixtures';
import { TestGateway } from '../support/gateway';
import { onPostgres } from '../support/postgres';
import { COSTED } from '../support/cost';

const CREATE = `mutation ($input: MeetingInput!) {
  createMeeting(input: $input) { meetingId meeting { version notes } }
}`;
const UPDATE = `mutation ($meetingId: UUID!, $input: MeetingInput!, $expectedVersion: Int) {
  updateMeeting(meetingId: $meetingId, input: $input, expectedVersion: $expectedVersion) {
    meeting { meetingId version notes }
  }
}`;
const DELETE = `mutation ($meetingId: UUID!) { deleteMeeting(meetingId: $meetingId) { meetingId } }`;

type Created = {
  createMeeting: { meetingId: string; meeting: { version: number; notes: string } };
};

function keyError(code: string, status: number, errorCode: string, message: string) {
  return {
    extensions: expect.objectContaining({
      code,
      status,
      errors: [{ target: 'Idempotency-Key', errorCode, message }],
    }) as unknown,
  };
}

describe('Idempotency-Key', () => {
  let gw: TestGateway;
  let dir: { parties: PartyFixture[]; agents: AgentFixture[] };
  beforeAll(async () => {
    gw = await TestGateway.start();
    dir = await smallDirectory(gw);
  });
  afterAll(() => gw.stop());

  const withKey = (key: string, headers: Record<string, string> = {}) => ({
    'Idempotency-Key': key,
    ...headers,
  });
  const countNotes = (notes: string) =>
    gw.count('SELECT count(*) AS n FROM meeting WHERE notes = ?', [notes]);

  it('answers a repeated create as the first did, with Idempotent-Replayed, and creates once', async () => {
    const key = randomUUID();
    const notes = `create ${key}`;
    const input = meetingInput(dir.parties, dir.agents, { notes });
    const first = await gw.gql<Created>(CREATE, { input }, withKey(key));
    expect(first.status).toBe(200);
    expect(first.body.errors).toBeUndefined();
    expect(first.headers.get('idempotent-replayed')).toBeNull();

    // The same request again, its variables' keys in another order.
    const reordered = Object.fromEntries(Object.entries(input).reverse());
    const again = await gw.gql<Created>(CREATE, { input: reordered }, withKey(key));
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);

    // Another selection, alias, operation name and layout: the same write, answered anew.
    const reshaped = await gw.gql<{ made: { meetingId: string; meeting: { notes: string } } }>(
      `mutation Retry($input: MeetingInput!) {
        made: createMeeting(input: $input) { meetingId meeting { notes } }
      }`,
      { input },
      withKey(key),
    );
    expect(reshaped.headers.get('idempotent-replayed')).toBe('true');
    expect(reshaped.body).toEqual({
      data: { made: { meetingId: first.body.data!.createMeeting.meetingId, meeting: { notes } } },
      extensions: COSTED,
    });
    expect(await countNotes(notes)).toBe(1);
  });

  it('refuses the same key with other variables or another operation as IDEMPOTENCY_KEY_REUSED, changing nothing', async () => {
    const key = randomUUID();
    const notes = `reused ${key}`;
    const input = meetingInput(dir.parties, dir.agents, { notes });
    const first = await gw.gql<Created>(CREATE, { input }, withKey(key));
    const id = first.body.data!.createMeeting.meetingId;

    const other = await gw.gql(CREATE, { input: { ...input, notes: 'other' } }, withKey(key));
    expect(other.body.data).toBeNull();
    expect(other.body.errors).toEqual([
      expect.objectContaining({
        message: 'This Idempotency-Key was used for a different request',
        ...keyError(
          'IDEMPOTENCY_KEY_REUSED',
          422,
          'INVALID_VALUE',
          'The key was used for another createMeeting request or other variables; send a new key for a new request',
        ),
      }),
    ]);
    const update = await gw.gql(UPDATE, { meetingId: id, input }, withKey(key));
    expect(update.body.errors![0].extensions.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await countNotes(notes)).toBe(1);
    expect(await countNotes('other')).toBe(0);
  });

  it('keeps the keys of different callers apart', async () => {
    const key = randomUUID();
    const notes = `two callers ${key}`;
    const input = meetingInput(dir.parties, dir.agents, { notes });
    const other = await gw.token({ subject: 'another-admin', name: 'Toinen', admin: true });
    const a = await gw.gql<Created>(CREATE, { input }, withKey(key));
    const b = await gw.gql<Created>(
      CREATE,
      { input },
      withKey(key, { authorization: `Bearer ${other}` }),
    );
    expect(b.headers.get('idempotent-replayed')).toBeNull();
    expect(b.body.data!.createMeeting.meetingId).not.toBe(a.body.data!.createMeeting.meetingId);
    expect(await countNotes(notes)).toBe(2);
  });

  it('records nothing for a refused request: the key then serves a request that succeeds', async () => {
    const key = randomUUID();
    const notes = `refused first ${key}`;
    const refused = await gw.gql(
      CREATE,
      { input: meetingInput(dir.parties, dir.agents, { notes, typeCode: 'NO_SUCH_TYPE' }) },
      withKey(key),
    );
    expect(refused.body.errors).toBeDefined();
    const unknownAgent = await gw.gql(
      CREATE,
      {
        input: meetingInput(dir.parties, [{ agentId: randomUUID(), firstName: '', lastName: '' }]),
      },
      withKey(key),
    );
    expect(unknownAgent.body.errors![0].extensions.code).toBe('INVALID_ID');
    const ok = await gw.gql<Created>(
      CREATE,
      { input: meetingInput(dir.parties, dir.agents, { notes }) },
      withKey(key),
    );
    expect(ok.body.errors).toBeUndefined();
    expect(ok.headers.get('idempotent-replayed')).toBeNull();
    expect(await countNotes(notes)).toBe(1);
  });

  it('applies a repeated update and delete once', async () => {
    const created = await gw.gql<Created>(CREATE, {
      input: meetingInput(dir.parties, dir.agents),
    });
    const id = created.body.data!.createMeeting.meetingId;
    const key = randomUUID();
    const vars = {
      meetingId: id,
      input: meetingInput(dir.parties, dir.agents, { notes: 'updated once' }),
      expectedVersion: 1,
    };
    const first = await gw.gql(UPDATE, vars, withKey(key));
    const again = await gw.gql(UPDATE, vars, withKey(key));
    const expected = {
      data: { updateMeeting: { meeting: { meetingId: id, version: 2, notes: 'updated once' } } },
      extensions: COSTED,
    };
    expect(first.body).toEqual(expected);
    // Not CONFLICT (version 1 is gone) and not version 3: the first answer, read anew.
    expect(again.body).toEqual(expected);
    expect(again.headers.get('idempotent-replayed')).toBe('true');

    const deleteKey = randomUUID();
    const deleted = await gw.gql(DELETE, { meetingId: id }, withKey(deleteKey));
    const deletedAgain = await gw.gql(DELETE, { meetingId: id }, withKey(deleteKey));
    expect(deleted.body).toEqual({
      data: { deleteMeeting: { meetingId: id } },
      extensions: COSTED,
    });
    // Without the key, a second delete would be GONE.
    expect(deletedAgain.body).toEqual(deleted.body);
    expect(deletedAgain.headers.get('idempotent-replayed')).toBe('true');
  });

  it('answers a repeated upsertParties with the rows the first wrote', async () => {
    const key = randomUUID();
    const rows = [party({ partyName: 'Idempotent Oy' })];
    const first = await gw.gql(UPSERT_PARTIES, { input: rows }, withKey(key));
    const again = await gw.gql(UPSERT_PARTIES, { input: rows }, withKey(key));
    expect(first.body.errors).toBeUndefined();
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('refuses a key on a query, on two mutation fields, or malformed, as BAD_REQUEST_PARAMETERS', async () => {
    const cases: [string, Record<string, unknown>, string, string][] = [
      [
        '{ meetings { totalCount } }',
        {},
        randomUUID(),
        'An Idempotency-Key is sent with a mutation only',
      ],
      [
        `mutation ($m: UUID!) { a: deleteMeeting(meetingId: $m) { meetingId } b: deleteMeeting(meetingId: $m) { meetingId } }`,
        { m: randomUUID() },
        randomUUID(),
        'An Idempotency-Key is sent with an operation of exactly one mutation field',
      ],
      [
        DELETE,
        { meetingId: randomUUID() },
        'k'.repeat(256),
        'An Idempotency-Key is 1 to 255 printable ASCII characters',
      ],
      [
        DELETE,
        { meetingId: randomUUID() },
        'tab\tkey',
        'An Idempotency-Key is 1 to 255 printable ASCII characters',
      ],
      [
        DELETE,
        { meetingId: randomUUID() },
        '',
        'An Idempotency-Key is 1 to 255 printable ASCII characters',
      ],
    ];
    for (const [text, variables, key, message] of cases) {
      const res = await gw.gql(text, variables, withKey(key));
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        expect.objectContaining({
          message: 'Invalid Idempotency-Key',
          ...keyError('BAD_REQUEST_PARAMETERS', 400, 'INVALID_VALUE', message),
        }),
      ]);
    }
  });

  it('answers IDEMPOTENCY_KEY_IN_USE while the first request with the key still runs, then replays it', async () => {
    const key = randomUUID();
    const notes = `in use ${key}`;
    const input = meetingInput(dir.parties, dir.agents, { notes });
    // Another transaction holds what the first request needs: the write lock (SQLite) or the
    // key's lock (PostgreSQL, as another instance would).
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let held!: () => void;
    const holding = new Promise<void>((resolve) => (held = resolve));
    const blocker = gw.app.db.transaction(async (m) => {
      if (onPostgres()) {
        await query(m, 'SELECT pg_advisory_xact_lock(?, hashtext(?))', [
          LOCK_SPACE,
          `test-admin\n${key}`,
        ]);
      }
      held();
      await gate;
    });
    await holding;
    const inUse = expect.objectContaining({
      message: 'A request with this Idempotency-Key is still running',
      ...keyError(
        'IDEMPOTENCY_KEY_IN_USE',
        409,
        'CONFLICT',
        'Retry when the first request has been answered',
      ),
    }) as unknown;
    if (onPostgres()) {
      // The key's lock is held by another transaction: the request is refused in its resolver.
      const refused = await gw.gql(CREATE, { input }, withKey(key));
      expect(refused.status).toBe(409);
      expect(refused.body).toEqual({ data: null, errors: [inUse], extensions: COSTED });
      release();
      await blocker;
      const retry = await gw.gql<Created>(CREATE, { input }, withKey(key));
      expect(retry.body.errors).toBeUndefined();
      expect(retry.headers.get('idempotent-replayed')).toBeNull();
    } else {
      // The first request waits for the write lock, its key claimed in this process; a second
      // is refused before it runs.
      const first = gw.gql<Created>(CREATE, { input }, withKey(key));
      const lock = (gw.app.db as unknown as { lock: { queueLength: number } }).lock;
      for (let turn = 0; lock.queueLength === 0; turn++) {
        if (turn > 10_000) throw new Error('the first request never waited for the write lock');
        await new Promise((resolve) => setImmediate(resolve));
      }
      const second = await gw.gql(CREATE, { input }, withKey(key));
      expect(second.status).toBe(409);
      expect(second.body.errors).toEqual([inUse]);
      release();
      await blocker;
      const firstDone = await first;
      expect(firstDone.body.errors).toBeUndefined();
      const retry = await gw.gql<Created>(CREATE, { input }, withKey(key));
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.body).toEqual(firstDone.body);
    }
    expect(await countNotes(notes)).toBe(1);
  });

  it('forgets a key after its time (IDEMPOTENCY_KEY_TTL_HOURS) and purges expired keys', async () => {
    let now = new Date('2026-06-01T08:00:00Z');
    const timed = await TestGateway.start({
      now: () => now,
      limits: { idempotencyKeyTtlHours: 1 },
    });
    try {
      const d = await smallDirectory(timed);
      const input = meetingInput(d.parties, d.agents, { notes: 'ttl' });
      const key = randomUUID();
      const first = await timed.gql<Created>(CREATE, { input }, withKey(key));
      now = new Date('2026-06-01T08:59:59Z');
      const within = await timed.gql<Created>(CREATE, { input }, withKey(key));
      expect(within.headers.get('idempotent-replayed')).toBe('true');
      now = new Date('2026-06-01T09:00:01Z');
      const after = await timed.gql<Created>(CREATE, { input }, withKey(key));
      expect(after.headers.get('idempotent-replayed')).toBeNull();
      expect(after.body.data!.createMeeting.meetingId).not.toBe(
        first.body.data!.createMeeting.meetingId,
      );
      // Another key's write, two hours on, removes the expired record of the first.
      now = new Date('2026-06-01T11:00:00Z');
      await timed.gql(CREATE, { input }, withKey(randomUUID()));
      expect(await timed.count('SELECT count(*) AS n FROM idempotency_key')).toBe(1);
    } finally {
      await timed.stop();
    }
  });
});
