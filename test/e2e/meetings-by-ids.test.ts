import { randomUUID } from 'node:crypto';
import {
  DELETE_MEETING,
  OFFICE_A,
  OFFICE_B,
  createMeeting,
  meetingInput,
  smallDirectory,
} from '../support/fixtures';
import { TestGateway } from '../support/gateway';

let gw: TestGateway;
let own: string[];
let foreign: string;
let deleted: string;
let agentA: string;

beforeAll(async () => {
  gw = await TestGateway.start();
  const dir = await smallDirectory(gw);
  own = [];
  for (let i = 0; i < 3; i++)
    own.push(
      await createMeeting(gw, meetingInput(dir.parties, dir.agents, { agencyOfficeId: OFFICE_A })),
    );
  foreign = await createMeeting(
    gw,
    meetingInput(dir.parties, dir.agents, { agencyOfficeId: OFFICE_B }),
  );
  deleted = await createMeeting(
    gw,
    meetingInput(dir.parties, dir.agents, { agencyOfficeId: OFFICE_A }),
  );
  await gw.gql(DELETE_MEETING, { meetingId: deleted });
  agentA = `Bearer ${await gw.token({ subject: 'agent-a', offices: [OFFICE_A] })}`;
});
afterAll(() => gw.stop());

const BY_IDS =
  'query ($ids: [UUID!]!) { meetingsByIds(meetingIds: $ids) { meetingId parties { partyName } } }';

describe('meetingsByIds', () => {
  it('answers in the order of the ids, null for unknown, deleted and foreign ones', async () => {
    const unknown = randomUUID();
    const ids = [own[2], unknown, own[0], foreign, deleted, own[2].toUpperCase()];
    const res = await gw.gql<{ meetingsByIds: ({ meetingId: string } | null)[] }>(
      BY_IDS,
      { ids },
      { authorization: agentA },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.meetingsByIds.map((m) => m?.meetingId ?? null)).toEqual([
      own[2],
      null,
      own[0],
      null,
      null,
      own[2],
    ]);
  });

  it('loads the whole list in a constant number of statements', async () => {
    const one = await gw.countStatements(() => gw.gql(BY_IDS, { ids: [own[0]] }));
    const many = await gw.countStatements(() =>
      gw.gql(BY_IDS, { ids: [...own, foreign, randomUUID()] }),
    );
    expect(many).toBe(one);
  });

  it('takes at most 100 ids', async () => {
    const ids = Array.from({ length: 101 }, () => randomUUID());
    const res = await gw.gql(BY_IDS, { ids });
    expect(res.body.errors![0].extensions).toMatchObject({
      code: 'BAD_REQUEST_PARAMETERS',
      errors: [{ target: 'meetingIds' }],
    });
    expect((await gw.gql(BY_IDS, { ids: ids.slice(0, 100) })).body.errors).toBeUndefined();
  });
});

describe('Relay node and nodes', () => {
  it('resolves the global id of a meeting back to it', async () => {
    const res = await gw.gql<{ meeting: { id: string } }>(
      'query ($id: UUID!) { meeting(meetingId: $id) { id } }',
      { id: own[0] },
    );
    const globalId = res.body.data!.meeting.id;
    expect(globalId).not.toContain(own[0]);
    const node = await gw.gql<{ node: { __typename: string; id: string; meetingId: string } }>(
      'query ($id: ID!) { node(id: $id) { __typename id ... on Meeting { meetingId } } }',
      { id: globalId },
    );
    expect(node.body.data!.node).toEqual({
      __typename: 'Meeting',
      id: globalId,
      meetingId: own[0],
    });
  });

  it('answers null for a foreign, deleted, unknown or malformed global id', async () => {
    const idOf = async (meetingId: string) =>
      (
        await gw.gql<{ meeting: { id: string } }>(
          'query ($id: UUID!) { meeting(meetingId: $id) { id } }',
          { id: meetingId },
        )
      ).body.data!.meeting.id;
    const mine = await idOf(own[1]);
    const theirs = await idOf(foreign);
    const res = await gw.gql<{ nodes: ({ id: string } | null)[] }>(
      'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }',
      {
        ids: [
          mine,
          theirs,
          Buffer.from(`Meeting:${deleted}`).toString('base64url'),
          Buffer.from('Party:x').toString('base64url'),
          'not/a/global id',
        ],
      },
      { authorization: agentA },
    );
    expect(res.body.data!.nodes).toEqual([{ id: mine }, null, null, null, null]);
  });
});
