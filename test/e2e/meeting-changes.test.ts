import { randomUUID } from 'node:crypto';
import {
  CREATE_MEETING,
  DELETE_MEETING,
  OFFICE_A,
  OFFICE_B,
  UPDATE_MEETING,
  createMeeting,
  meetingInput,
  smallDirectory,
} from '../support/fixtures';
import { TestGateway } from '../support/gateway';

interface Change {
  op: string;
  meetingId: string;
  agencyOfficeId: string;
  version: number;
  changedAt: string;
  meeting: { meetingId: string; version: number; notes: string | null } | null;
}
interface Changes {
  meetingChanges: {
    edges: { cursor: string; node: Change }[];
    pageInfo: {
      hasNextPage: boolean;
      hasPreviousPage: boolean;
      startCursor: string | null;
      endCursor: string | null;
    };
  };
}

const CHANGES = `query ($after: String, $first: Int) { meetingChanges(after: $after, first: $first) {
  edges { cursor node { op meetingId agencyOfficeId version changedAt meeting { meetingId version notes } } }
  pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;
const LATEST = '{ latestChangeCursor }';

type Dir = Awaited<ReturnType<typeof smallDirectory>>;

async function latest(gw: TestGateway, token?: string): Promise<string> {
  const res = await gw.gql<{ latestChangeCursor: string }>(LATEST, {}, auth(token));
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.latestChangeCursor;
}

function auth(token?: string): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

/**
 * A page of changes, limited to the meetings of `ids` when given. On PostgreSQL a change shows
 * once every transaction older than its own has ended, in the whole cluster (other tests'
 * included), and latestChangeCursor stays before changes that have not: `count` waits (a while)
 * for that many edges, and `ids` leaves out changes of earlier tests that showed late.
 */
async function changes(
  gw: TestGateway,
  after: string | null,
  first?: number,
  token?: string,
  count = 0,
  ids?: string[],
): Promise<Changes['meetingChanges']> {
  for (let attempt = 0; ; attempt++) {
    const res = await gw.gql<Changes>(CHANGES, { after, first }, auth(token));
    expect(res.body.errors).toBeUndefined();
    const page = res.body.data!.meetingChanges;
    const edges = ids ? page.edges.filter((e) => ids.includes(e.node.meetingId)) : page.edges;
    if (edges.length >= count || attempt >= 100) return { ...page, edges };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const summary = (page: Changes['meetingChanges']) =>
  page.edges.map(({ node }) => [node.op, node.meetingId, node.agencyOfficeId, node.version]);

describe('meetingChanges', () => {
  const NOW = new Date('2026-11-27T12:00:00.000Z');
  let gw: TestGateway;
  let dir: Dir;
  beforeAll(async () => {
    gw = await TestGateway.start({ now: () => NOW });
    dir = await smallDirectory(gw);
  });
  afterAll(() => gw.stop());

  it('lists every create, update and delete in commit order, with versions; meeting is null when DELETED', async () => {
    const from = await latest(gw);
    const id = await createMeeting(gw, meetingInput(dir.parties, dir.agents));
    const updated = await gw.gql(UPDATE_MEETING, {
      meetingId: id,
      input: meetingInput(dir.parties, dir.agents, { notes: 'second' }),
    });
    expect(updated.body.errors).toBeUndefined();
    expect((await gw.gql(DELETE_MEETING, { meetingId: id })).body.errors).toBeUndefined();
    const other = await createMeeting(gw, meetingInput(dir.parties, dir.agents, { notes: 'live' }));

    const page = await changes(gw, from, undefined, undefined, 4, [id, other]);
    expect(summary(page)).toEqual([
      ['CREATED', id, OFFICE_A, 1],
      ['UPDATED', id, OFFICE_A, 2],
      ['DELETED', id, OFFICE_A, 3],
      ['CREATED', other, OFFICE_A, 1],
    ]);
    expect(page.edges.map((e) => e.node.changedAt)).toEqual(Array(4).fill(NOW.toISOString()));
    // The meeting as it is now: the deleted one is gone, the live one is there.
    expect(page.edges.map((e) => e.node.meeting)).toEqual([
      null,
      null,
      null,
      { meetingId: other, version: 1, notes: 'live' },
    ]);
    expect(page.pageInfo.hasPreviousPage).toBe(true);
    // Nothing after the last one; the empty page's endCursor is where to continue from.
    const after = await changes(gw, page.pageInfo.endCursor, undefined, undefined, 0, [id, other]);
    expect(after.edges).toEqual([]);
    expect(after.pageInfo.endCursor).toEqual(expect.any(String));
    const next = await createMeeting(gw, meetingInput(dir.parties, dir.agents));
    expect(
      summary(await changes(gw, after.pageInfo.endCursor, undefined, undefined, 1, [next])),
    ).toEqual([['CREATED', next, OFFICE_A, 1]]);
  });

  it('pages with first and after, and hasNextPage', async () => {
    const from = await latest(gw);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(await createMeeting(gw, meetingInput(dir.parties, dir.agents)));
    const seen: string[] = [];
    let cursor: string | null = from;
    const more: boolean[] = [];
    for (;;) {
      const page = await changes(gw, cursor, 2);
      seen.push(...page.edges.map((e) => e.node.meetingId).filter((id) => ids.includes(id)));
      expect(page.edges.length).toBeLessThanOrEqual(2);
      more.push(page.pageInfo.hasNextPage);
      if (!page.pageInfo.hasNextPage && seen.length === ids.length) break;
      if (page.edges.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
      cursor = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(ids);
    expect(more.at(-1)).toBe(false);
    expect(more[0]).toBe(true);
  });

  it('starts from now with latestChangeCursor', async () => {
    const before = await createMeeting(gw, meetingInput(dir.parties, dir.agents));
    await changes(gw, null, undefined, undefined, 1, [before]); // once it shows
    const from = await latest(gw);
    expect((await changes(gw, from)).edges.map((e) => e.node.meetingId)).not.toContain(before);
    const id = await createMeeting(gw, meetingInput(dir.parties, dir.agents));
    expect(summary(await changes(gw, from, undefined, undefined, 1, [id]))).toEqual([
      ['CREATED', id, OFFICE_A, 1],
    ]);
  });

  it("shows a caller only its offices' changes; a move out is DELETED to the old office, CREATED to the new", async () => {
    const tokenA = await gw.token({ subject: 'agent-a', name: 'Agent A', offices: [OFFICE_A] });
    const tokenB = await gw.token({ subject: 'agent-b', name: 'Agent B', offices: [OFFICE_B] });
    const fromA = await latest(gw, tokenA);
    const fromB = await latest(gw, tokenB);
    const fromAll = await latest(gw);
    const inA = await createMeeting(gw, meetingInput(dir.parties, dir.agents));
    const inB = await createMeeting(
      gw,
      meetingInput(dir.parties, dir.agents, { agencyOfficeId: OFFICE_B }),
    );
    const moved = await gw.gql(UPDATE_MEETING, {
      meetingId: inA,
      input: meetingInput(dir.parties, dir.agents, { agencyOfficeId: OFFICE_B }),
    });
    expect(moved.body.errors).toBeUndefined();

    const a = await changes(gw, fromA, undefined, tokenA, 2, [inA, inB]);
    expect(summary(a)).toEqual([
      ['CREATED', inA, OFFICE_A, 1],
      ['DELETED', inA, OFFICE_A, 2],
    ]);
    expect(a.edges[1].node.meeting).toBeNull();
    const b = await changes(gw, fromB, undefined, tokenB, 2, [inA, inB]);
    expect(summary(b)).toEqual([
      ['CREATED', inB, OFFICE_B, 1],
      ['CREATED', inA, OFFICE_B, 2],
    ]);
    expect(b.edges[1].node.meeting).toMatchObject({ meetingId: inA, version: 2 });
    expect(summary(await changes(gw, fromAll, undefined, undefined, 3, [inA, inB]))).toEqual([
      ['CREATED', inA, OFFICE_A, 1],
      ['CREATED', inB, OFFICE_B, 1],
      ['UPDATED', inA, OFFICE_B, 2],
    ]);
    const none = await gw.token({ subject: 'nobody', offices: [] });
    expect((await changes(gw, null, undefined, none)).edges).toEqual([]);
  });

  it('writes nothing for a refused write, and once for a repeated Idempotency-Key', async () => {
    const from = await latest(gw);
    const won = await createMeeting(
      gw,
      meetingInput(dir.parties, dir.agents, { statusCode: 'WON' }),
    );
    const refused = await gw.gql(DELETE_MEETING, { meetingId: won });
    expect(refused.body.errors![0].extensions.code).toBe('INVALID_STATUS');
    const key = randomUUID();
    const input = meetingInput(dir.parties, dir.agents);
    const first = await gw.gql(CREATE_MEETING, { input }, { 'Idempotency-Key': key });
    const again = await gw.gql(CREATE_MEETING, { input }, { 'Idempotency-Key': key });
    expect(again.body).toEqual(first.body);
    const id = (first.body.data as { createMeeting: { meetingId: string } }).createMeeting
      .meetingId;
    expect(summary(await changes(gw, from, undefined, undefined, 2, [won, id]))).toEqual([
      ['CREATED', won, OFFICE_A, 1],
      ['CREATED', id, OFFICE_A, 1],
    ]);
  });

  it.each([
    ['after', { after: 'not-a-cursor' }],
    ['after', { after: Buffer.from('c1.0.5.0.xxxx').toString('base64url') }],
    ['first', { first: 0 }],
    ['first', { first: 101 }],
  ])('refuses a bad %s (BAD_REQUEST_PARAMETERS)', async (target, variables) => {
    const res = await gw.gql(CHANGES, variables);
    expect(res.body.data).toBeNull();
    expect(res.body.errors![0].extensions).toMatchObject({
      code: 'BAD_REQUEST_PARAMETERS',
      status: 400,
      errors: [{ target, errorCode: 'INVALID_VALUE' }],
    });
  });
});

describe('meetingChanges retention', () => {
  const DAY = 86_400_000;
  let now = new Date('2026-11-01T12:00:00.000Z');
  let gw: TestGateway;
  let dir: Dir;
  beforeAll(async () => {
    gw = await TestGateway.start({ now: () => now, limits: { changeRetentionDays: 2 } });
    dir = await smallDirectory(gw);
  });
  afterAll(() => gw.stop());

  it('answers SYNC_CURSOR_EXPIRED (410) for a cursor older than the feed keeps, and purges old changes', async () => {
    const old = await createMeeting(gw, meetingInput(dir.parties, dir.agents));
    await createMeeting(gw, meetingInput(dir.parties, dir.agents));
    const from = await latest(gw);
    now = new Date(now.getTime() + DAY);
    // Still kept: a day later the cursor works and a polling client gets a fresh one.
    const fresh = (await changes(gw, from)).pageInfo.endCursor;
    now = new Date(now.getTime() + 1.5 * DAY);
    const res = await gw.gql(CHANGES, { after: from });
    expect(res.body.data).toBeNull();
    expect(res.body.errors![0]).toMatchObject({
      extensions: {
        code: 'SYNC_CURSOR_EXPIRED',
        status: 410,
        errors: [{ target: 'after', errorCode: 'INVALID_VALUE' }],
      },
    });
    expect((await changes(gw, fresh)).edges).toEqual([]);
    // A write purges changes older than the feed keeps (the newest one stays).
    now = new Date(now.getTime() + DAY);
    const id = await createMeeting(gw, meetingInput(dir.parties, dir.agents));
    let all = await changes(gw, null);
    for (let i = 0; i < 100 && all.edges.at(-1)?.node.meetingId !== id; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      all = await changes(gw, null);
    }
    expect(all.edges.map((e) => e.node.meetingId)).not.toContain(old);
    expect(all.edges.map((e) => e.node.meetingId).at(-1)).toBe(id);
  });
});
