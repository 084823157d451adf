import { randomUUID } from 'node:crypto';
import {
  DELETE_MEETING,
  GET_MEETING,
  OFFICE_A,
  OFFICE_B,
  UPDATE_MEETING,
  UPSERT_AGENTS,
  UPSERT_PARTIES,
  agent,
  createMeeting,
  meetingInput,
  party,
  smallDirectory,
} from '../support/fixtures';
import { TestGateway } from '../support/gateway';

// Two offices of one agency. An agent of office A must learn nothing of office B's meetings.
let gw: TestGateway;
let dir: Awaited<ReturnType<typeof smallDirectory>>;
const tokens: Record<string, string | null> = {};

beforeAll(async () => {
  gw = await TestGateway.start();
  dir = await smallDirectory(gw);
  tokens['same office'] = await gw.token({
    subject: 'agent-a',
    name: 'Agent A',
    offices: [OFFICE_A],
  });
  tokens['other office'] = await gw.token({
    subject: 'agent-b',
    name: 'Agent B',
    offices: [OFFICE_B],
  });
  tokens.admin = gw.adminToken;
  tokens['no token'] = null;
});
afterAll(() => gw.stop());

type Target = 'own' | 'foreign' | 'random' | 'deleted own' | 'deleted foreign';
type CallerName = 'same office' | 'other office' | 'admin' | 'no token';

/** Makes a fresh meeting of each kind, as the admin, so every case starts from the same state. */
async function targetId(target: Target): Promise<string> {
  if (target === 'random') return randomUUID();
  const office = target.endsWith('own') ? OFFICE_A : OFFICE_B;
  const id = await createMeeting(
    gw,
    meetingInput(dir.parties, dir.agents, { agencyOfficeId: office }),
  );
  if (target.startsWith('deleted')) await gw.gql(DELETE_MEETING, { meetingId: id });
  return id;
}

function as(caller: CallerName): Record<string, string> {
  const token = tokens[caller];
  return { authorization: token ? `Bearer ${token}` : '' };
}

// What each caller gets, by target. "office A" is own for the same-office caller and the admin.
const expected: Record<CallerName, Record<Target, string>> = {
  'same office': {
    own: 'ok',
    foreign: 'INVALID_ID',
    random: 'INVALID_ID',
    'deleted own': 'GONE',
    'deleted foreign': 'INVALID_ID',
  },
  'other office': {
    own: 'INVALID_ID',
    foreign: 'ok',
    random: 'INVALID_ID',
    'deleted own': 'INVALID_ID',
    'deleted foreign': 'GONE',
  },
  admin: {
    own: 'ok',
    foreign: 'ok',
    random: 'INVALID_ID',
    'deleted own': 'GONE',
    'deleted foreign': 'GONE',
  },
  'no token': {
    own: 'HTTP 401',
    foreign: 'HTTP 401',
    random: 'HTTP 401',
    'deleted own': 'HTTP 401',
    'deleted foreign': 'HTTP 401',
  },
};

const operations = {
  meeting: (id: string, office: string) => ({
    query: GET_MEETING,
    variables: { meetingId: id },
    office,
  }),
  updateMeeting: (id: string, office: string) => ({
    query: UPDATE_MEETING,
    variables: {
      meetingId: id,
      input: meetingInput(dir.parties, dir.agents, { agencyOfficeId: office, notes: 'muutettu' }),
    },
    office,
  }),
  deleteMeeting: (id: string, office: string) => ({
    query: DELETE_MEETING,
    variables: { meetingId: id },
    office,
  }),
};

const callers = Object.keys(expected) as CallerName[];
const targets: Target[] = ['own', 'foreign', 'random', 'deleted own', 'deleted foreign'];
const matrix = Object.keys(operations).flatMap((operation) =>
  callers.flatMap((caller) =>
    targets.map((target) => ({ operation: operation as keyof typeof operations, caller, target })),
  ),
);

describe('office scoping', () => {
  it.each(matrix)('$operation by $caller on $target', async ({ operation, caller, target }) => {
    const id = await targetId(target);
    const office = target.endsWith('own') ? OFFICE_A : OFFICE_B;
    const { query, variables } = operations[operation](id, office);
    const res = await gw.gql(query, variables, as(caller));
    const outcome =
      res.status === 401 ? 'HTTP 401' : res.body.errors ? res.body.errors[0].extensions.code : 'ok';
    expect(outcome).toBe(expected[caller][target]);
    if (outcome !== 'ok' && outcome !== 'HTTP 401') {
      // The mutations' payloads are non-null, so their null reaches the root.
      expect(res.body.data).toEqual(operation === 'meeting' ? { meeting: null } : null);
      // An outsider's answer is the answer for an id that never existed, word for word.
      if (outcome === 'INVALID_ID') {
        expect(res.body.errors![0].message).toBe(`Meeting ${id} does not exist`);
      }
    }
  });
});

describe('search scoping', () => {
  let own: string;
  let foreign: string;
  beforeAll(async () => {
    own = await createMeeting(
      gw,
      meetingInput(dir.parties, dir.agents, { agencyOfficeId: OFFICE_A, notes: 'hakutesti' }),
    );
    foreign = await createMeeting(
      gw,
      meetingInput(dir.parties, dir.agents, { agencyOfficeId: OFFICE_B, notes: 'hakutesti' }),
    );
  });
  const search = async (caller: CallerName, filter: Record<string, unknown>) => {
    const res = await gw.gql<{
      meetings: { totalCount: number; meetings: { meetingId: string }[] };
    }>(
      'query ($filter: MeetingFilter) { meetings(filter: $filter, size: 100) { totalCount meetings { meetingId } } }',
      { filter },
      as(caller),
    );
    return res.body.data!.meetings;
  };

  it("returns only the caller's offices", async () => {
    expect(await search('same office', { freeTextSearch: 'hakutesti' })).toEqual({
      totalCount: 1,
      meetings: [{ meetingId: own }],
    });
    expect(await search('other office', { freeTextSearch: 'hakutesti' })).toEqual({
      totalCount: 1,
      meetings: [{ meetingId: foreign }],
    });
    expect((await search('admin', { freeTextSearch: 'hakutesti' })).totalCount).toBe(2);
  });

  it('narrows to nothing when the filter names only other offices', async () => {
    expect(
      await search('same office', { agencyOfficeId: [OFFICE_B], freeTextSearch: 'hakutesti' }),
    ).toEqual({ totalCount: 0, meetings: [] });
    expect(
      await search('same office', {
        agencyOfficeId: [OFFICE_A, OFFICE_B],
        freeTextSearch: 'hakutesti',
      }),
    ).toEqual({
      totalCount: 1,
      meetings: [{ meetingId: own }],
    });
  });

  it('scopes the tombstones too', async () => {
    const doomed = await createMeeting(
      gw,
      meetingInput(dir.parties, dir.agents, { agencyOfficeId: OFFICE_B }),
    );
    await gw.gql(DELETE_MEETING, { meetingId: doomed });
    const tombstones = async (caller: CallerName) =>
      (
        await gw.gql<{ meetingTombstones: { tombstones: { meetingId: string }[] } }>(
          '{ meetingTombstones(size: 100) { tombstones { meetingId } } }',
          undefined,
          as(caller),
        )
      ).body.data!.meetingTombstones.tombstones.map((t) => t.meetingId);
    expect(await tombstones('other office')).toContain(doomed);
    expect(await tombstones('same office')).not.toContain(doomed);
  });

  it('gives a caller with an empty offices claim nothing', async () => {
    const token = await gw.token({ subject: 'nobody', offices: [] });
    const res = await gw.gql<{ meetings: { totalCount: number } }>(
      '{ meetings { totalCount } }',
      undefined,
      { authorization: `Bearer ${token}` },
    );
    expect(res.body.data!.meetings.totalCount).toBe(0);
  });
});

describe('writes across offices', () => {
  it('refuses to create a meeting in an office of someone else (UNAUTHORIZED, input.agencyOfficeId)', async () => {
    const res = await gw.gql(
      'mutation ($input: MeetingInput!) { createMeeting(input: $input) { meetingId } }',
      { input: meetingInput(dir.parties, dir.agents, { agencyOfficeId: OFFICE_B }) },
      as('same office'),
    );
    expect(res.body.errors![0].extensions).toMatchObject({
      code: 'UNAUTHORIZED',
      status: 401,
      errors: [{ target: 'input.agencyOfficeId', errorCode: 'UNAUTHORIZED' }],
    });
    expect(
      await gw.count(
        'SELECT count(*) AS n FROM meeting WHERE agency_office_id = ? AND created_by_name = ?',
        [OFFICE_B, 'Agent A'],
      ),
    ).toBe(0);
  });

  it('refuses to move an own meeting to an office of someone else, and changes nothing', async () => {
    const id = await createMeeting(
      gw,
      meetingInput(dir.parties, dir.agents, { agencyOfficeId: OFFICE_A }),
    );
    const res = await gw.gql(
      UPDATE_MEETING,
      { meetingId: id, input: meetingInput(dir.parties, dir.agents, { agencyOfficeId: OFFICE_B }) },
      as('same office'),
    );
    expect(res.body.errors![0].extensions).toMatchObject({
      code: 'UNAUTHORIZED',
      errors: [{ target: 'input.agencyOfficeId' }],
    });
    const read = await gw.gql<{ meeting: { agencyOfficeId: string } }>(
      GET_MEETING,
      { meetingId: id },
      as('same office'),
    );
    expect(read.body.data!.meeting.agencyOfficeId).toBe(OFFICE_A);
  });

  it('lets a caller with both offices move a meeting between them', async () => {
    const token = await gw.token({ subject: 'manager', offices: [OFFICE_A, OFFICE_B] });
    const id = await createMeeting(
      gw,
      meetingInput(dir.parties, dir.agents, { agencyOfficeId: OFFICE_A }),
    );
    const res = await gw.gql(
      UPDATE_MEETING,
      { meetingId: id, input: meetingInput(dir.parties, dir.agents, { agencyOfficeId: OFFICE_B }) },
      {
        authorization: `Bearer ${token}`,
      },
    );
    expect(res.body.errors).toBeUndefined();
  });

  it('keeps the directory upserts for admins', async () => {
    for (const [query, input] of [
      [UPSERT_PARTIES, [party()]],
      [UPSERT_AGENTS, [agent()]],
    ] as const) {
      const res = await gw.gql(query, { input }, as('same office'));
      expect(res.body.errors![0].extensions).toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
      expect((await gw.gql(query, { input }, as('admin'))).body.errors).toBeUndefined();
    }
  });
});
