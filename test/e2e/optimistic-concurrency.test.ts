import {
  CREATE_MEETING,
  GET_MEETING,
  meetingInput,
  smallDirectory,
  type AgentFixture,
  type PartyFixture,
} from '../support/fixtures';
import { TestGateway } from '../support/gateway';
import { COSTED } from '../support/cost';

const UPDATE = `mutation ($meetingId: UUID!, $input: MeetingInput!, $expectedVersion: Int) {
  updateMeeting(meetingId: $meetingId, input: $input, expectedVersion: $expectedVersion) {
    meeting { meetingId version notes }
  }
}`;
const DELETE = `mutation ($meetingId: UUID!, $expectedVersion: Int) {
  deleteMeeting(meetingId: $meetingId, expectedVersion: $expectedVersion) { meetingId }
}`;
const VERSION = `query ($meetingId: UUID!) { meeting(meetingId: $meetingId) { version notes } }`;

function conflict(meetingId: string, current: number, expected: number) {
  return {
    message: `Meeting ${meetingId} is at version ${current}, not ${expected}`,
    extensions: {
      code: 'CONFLICT',
      status: 409,
      description: 'The meeting was changed by someone else since the version you expected.',
      errors: [
        {
          target: 'expectedVersion',
          errorCode: 'CONFLICT',
          message: `The current version is ${current}`,
        },
      ],
    },
  };
}

describe('Meeting.version and expectedVersion', () => {
  let gw: TestGateway;
  let dir: { parties: PartyFixture[]; agents: AgentFixture[] };
  beforeAll(async () => {
    gw = await TestGateway.start();
    dir = await smallDirectory(gw);
  });
  afterAll(() => gw.stop());

  async function create(): Promise<string> {
    const res = await gw.gql<{ createMeeting: { meetingId: string } }>(CREATE_MEETING, {
      input: meetingInput(dir.parties, dir.agents),
    });
    expect(res.body.errors).toBeUndefined();
    return res.body.data!.createMeeting.meetingId;
  }

  it('is 1 at create and one more on every update, with or without expectedVersion', async () => {
    const res = await gw.gql<{ createMeeting: { meeting: { version: number } } }>(
      `mutation ($input: MeetingInput!) { createMeeting(input: $input) { meeting { version } } }`,
      { input: meetingInput(dir.parties, dir.agents) },
    );
    expect(res.body.data!.createMeeting.meeting.version).toBe(1);
    const id = await create();
    const input = meetingInput(dir.parties, dir.agents, { notes: 'second' });
    const second = await gw.gql(UPDATE, { meetingId: id, input });
    expect(second.body).toEqual({
      data: { updateMeeting: { meeting: { meetingId: id, version: 2, notes: 'second' } } },
      extensions: COSTED,
    });
    const third = await gw.gql(UPDATE, { meetingId: id, input, expectedVersion: 2 });
    expect(third.body).toEqual({
      data: { updateMeeting: { meeting: { meetingId: id, version: 3, notes: 'second' } } },
      extensions: COSTED,
    });
    expect((await gw.gql(VERSION, { meetingId: id })).body.data).toEqual({
      meeting: { version: 3, notes: 'second' },
    });
  });

  it('refuses an update with a version that is not the current one as CONFLICT, changing nothing', async () => {
    const id = await create();
    await gw.gql(UPDATE, { meetingId: id, input: meetingInput(dir.parties, dir.agents) });
    const stale = await gw.gql(UPDATE, {
      meetingId: id,
      input: meetingInput(dir.parties, dir.agents, { notes: 'stale' }),
      expectedVersion: 1,
    });
    expect(stale.status).toBe(200);
    expect(stale.body.data).toBeNull();
    expect(stale.body.errors).toMatchObject([{ ...conflict(id, 2, 1), path: ['updateMeeting'] }]);
    expect((await gw.gql(VERSION, { meetingId: id })).body.data).toEqual({
      meeting: { version: 2, notes: 'string' },
    });
  });

  it('refuses a delete with a version that is not the current one as CONFLICT; the current one deletes', async () => {
    const id = await create();
    await gw.gql(UPDATE, { meetingId: id, input: meetingInput(dir.parties, dir.agents) });
    const stale = await gw.gql(DELETE, { meetingId: id, expectedVersion: 1 });
    expect(stale.body.errors).toMatchObject([{ ...conflict(id, 2, 1), path: ['deleteMeeting'] }]);
    expect((await gw.gql(GET_MEETING, { meetingId: id })).body.errors).toBeUndefined();
    const current = await gw.gql(DELETE, { meetingId: id, expectedVersion: 2 });
    expect(current.body).toEqual({
      data: { deleteMeeting: { meetingId: id } },
      extensions: COSTED,
    });
  });

  it('refuses an expectedVersion below 1 as BAD_REQUEST_PARAMETERS naming it', async () => {
    const id = await create();
    for (const res of [
      await gw.gql(UPDATE, {
        meetingId: id,
        input: meetingInput(dir.parties, dir.agents),
        expectedVersion: 0,
      }),
      await gw.gql(DELETE, { meetingId: id, expectedVersion: -1 }),
    ]) {
      expect(res.body.errors![0].extensions).toMatchObject({
        code: 'BAD_REQUEST_PARAMETERS',
        status: 400,
        errors: [
          {
            target: 'expectedVersion',
            errorCode: 'INVALID_VALUE',
            message: 'A version is 1 or more',
          },
        ],
      });
    }
  });

  it('lets exactly one of two updates with the same expectedVersion sent at once win', async () => {
    for (let round = 0; round < 5; round++) {
      const id = await create();
      const [a, b] = await Promise.all(
        ['agent A', 'agent B'].map((notes) =>
          gw.gql<{ updateMeeting: { meeting: { version: number; notes: string } } }>(UPDATE, {
            meetingId: id,
            input: meetingInput(dir.parties, dir.agents, { notes }),
            expectedVersion: 1,
          }),
        ),
      );
      const winners = [a, b].filter((r) => r.body.errors === undefined);
      const losers = [a, b].filter((r) => r.body.errors !== undefined);
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(1);
      expect(losers[0].body.errors![0]).toMatchObject(conflict(id, 2, 1));
      const stored = (await gw.gql(VERSION, { meetingId: id })).body.data;
      expect(stored).toEqual({
        meeting: { version: 2, notes: winners[0].body.data!.updateMeeting.meeting.notes },
      });
    }
  });
});
