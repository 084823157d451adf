import {
  GET_MEETING,
  UPDATE_MEETING,
  addParties,
  createMeeting,
  meetingInput,
  party,
  smallDirectory,
  DELETE_MEETING,
} from '../support/fixtures';
import { TestGateway } from '../support/gateway';

let clock = new Date('2026-11-27T12:00:00.000Z');
let gw: TestGateway;
let dir: Awaited<ReturnType<typeof smallDirectory>>;

beforeAll(async () => {
  gw = await TestGateway.start({ now: () => clock });
  dir = await smallDirectory(gw);
});
afterAll(() => gw.stop());

type MeetingData = { updateMeeting: { meeting: Record<string, any> } };

async function meetingIn(
  statusCode: string,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; input: Record<string, unknown> }> {
  const input = meetingInput(dir.parties.slice(0, 1), dir.agents.slice(0, 1), {
    statusCode,
    ...overrides,
  });
  return { id: await createMeeting(gw, input), input };
}

async function stored(id: string): Promise<Record<string, any>> {
  const res = await gw.gql<{ meeting: Record<string, any> }>(GET_MEETING, { meetingId: id });
  return res.body.data!.meeting;
}

describe('updateMeeting', () => {
  it('replaces the whole meeting and moves modificationTime, keeping creation details', async () => {
    const { id, input } = await meetingIn('WAITING');
    const created = await stored(id);
    clock = new Date('2026-11-28T08:00:00.000Z');
    const update = {
      ...input,
      typeCode: 'EVALUATION_VISIT',
      parties: dir.parties.map((p) => ({ partyId: p.partyId, partyTypeCode: p.partyTypeCode })),
      visitTime: '2027-02-01T10:00:00Z',
      meetingRealty: { title: 'Uusi otsikko' },
      priceEstimate: null,
      notes: null,
    };
    const res = await gw.gql<MeetingData>(UPDATE_MEETING, { meetingId: id, input: update });
    expect(res.body.errors).toBeUndefined();
    const m = res.body.data!.updateMeeting.meeting;
    expect(m).toMatchObject({
      typeCode: 'EVALUATION_VISIT',
      visitTime: '2027-02-01T10:00:00.000Z',
      priceEstimate: null,
      notes: null,
    });
    expect(m.parties.map((p: { partyId: string }) => p.partyId)).toEqual(
      dir.parties.map((p) => p.partyId),
    );
    expect(m.meetingRealty).toMatchObject({
      title: 'Uusi otsikko',
      doorCode: null,
      categoryCode: null,
    });
    expect(m.creationTime).toBe(created.creationTime);
    expect(m.modificationTime).toBe('2026-11-28T08:00:00.000Z');
    expect(await stored(id)).toEqual(m);
  });

  it.each([
    ['WAITING', 'WON'],
    ['WAITING', 'LOST'],
    ['WAITING', 'CANCELLED'],
    ['WON', 'LOST'],
    ['LOST', 'WON'],
    ['CANCELLED', 'CANCELLED'],
  ])('allows %s -> %s', async (from, to) => {
    const { id, input } = await meetingIn(from);
    const res = await gw.gql<MeetingData>(UPDATE_MEETING, {
      meetingId: id,
      input: { ...input, statusCode: to },
    });
    expect(res.body.errors).toBeUndefined();
    expect((await stored(id)).statusCode).toBe(to);
  });

  it.each([
    ['WON', 'WAITING'],
    ['WON', 'CANCELLED'],
    ['LOST', 'WAITING'],
    ['LOST', 'CANCELLED'],
    ['CANCELLED', 'WAITING'],
    ['CANCELLED', 'WON'],
    ['CANCELLED', 'LOST'],
  ])('rejects %s -> %s with INVALID_STATUS naming the stored status', async (from, to) => {
    const { id, input } = await meetingIn(from);
    const res = await gw.gql(UPDATE_MEETING, {
      meetingId: id,
      input: { ...input, statusCode: to },
    });
    expect(res.body.errors![0]).toMatchObject({
      message: `Meeting status ${from} does not allow changing statusCode to ${to}`,
      extensions: {
        code: 'INVALID_STATUS',
        status: 400,
        description: 'Unable to perform the request operation due to invalid state.',
        errors: [{ target: 'input.statusCode', errorCode: 'INVALID_STATUS' }],
      },
    });
    expect((await stored(id)).statusCode).toBe(from);
  });

  it.each(['WON', 'LOST', 'CANCELLED'])(
    'locks parties and visitTime of a %s meeting, and changes no field',
    async (status) => {
      const { id, input } = await meetingIn(status);
      const before = await stored(id);
      const res = await gw.gql(UPDATE_MEETING, {
        meetingId: id,
        input: {
          ...input,
          notes: 'changed',
          parties: dir.parties.map((p) => ({ partyId: p.partyId, partyTypeCode: p.partyTypeCode })),
          visitTime: '2030-01-01T00:00:00Z',
        },
      });
      expect(res.body.errors![0]).toMatchObject({
        message: `Meeting status ${status} does not allow changing parties and visitTime`,
        extensions: {
          code: 'INVALID_STATUS',
          errors: [
            {
              target: 'input.parties',
              errorCode: 'INVALID_STATUS',
              message: `Meeting status ${status} does not allow changing parties`,
            },
            {
              target: 'input.visitTime',
              errorCode: 'INVALID_STATUS',
              message: `Meeting status ${status} does not allow changing visitTime`,
            },
          ],
        },
      });
      expect(await stored(id)).toEqual(before);
    },
  );

  it('lets a WON meeting keep its parties in another order and its visitTime in another offset', async () => {
    const { id, input } = await meetingIn('WON', {
      parties: dir.parties.map((p) => ({ partyId: p.partyId, partyTypeCode: p.partyTypeCode })),
      visitTime: '2026-12-31T22:00:00Z',
    });
    const res = await gw.gql<MeetingData>(UPDATE_MEETING, {
      meetingId: id,
      input: {
        ...input,
        parties: [...(input.parties as unknown[])].reverse(),
        visitTime: '2027-01-01T00:00:00+02:00',
        notes: 'Kauppakirja allekirjoitettu',
      },
    });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.updateMeeting.meeting.notes).toBe('Kauppakirja allekirjoitettu');
  });

  it('keeps every other field editable when the meeting is CANCELLED', async () => {
    const { id, input } = await meetingIn('CANCELLED');
    const res = await gw.gql<MeetingData>(UPDATE_MEETING, {
      meetingId: id,
      input: {
        ...input,
        typeCode: 'EVALUATION_VISIT',
        sourceTypeCode: 'CHATBOT',
        agents: dir.agents.map((a) => ({ agentId: a.agentId })),
        notes: 'Peruttu',
      },
    });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.updateMeeting.meeting).toMatchObject({
      typeCode: 'EVALUATION_VISIT',
      sourceTypeCode: 'CHATBOT',
      notes: 'Peruttu',
    });
  });

  it('validates the input like create, before looking at the status', async () => {
    const { id, input } = await meetingIn('WON');
    const res = await gw.gql(UPDATE_MEETING, {
      meetingId: id,
      input: { ...input, agents: [], statusCode: 'WAITING' },
    });
    expect(res.body.errors![0].extensions).toMatchObject({
      code: 'BAD_REQUEST_BODY',
      errors: [{ target: 'input.agents', errorCode: 'VALUE_REQUIRED' }],
    });
  });

  it('checks directory references (INVALID_ID) and leaves the meeting as it was', async () => {
    const { id, input } = await meetingIn('WAITING');
    const before = await stored(id);
    const res = await gw.gql(UPDATE_MEETING, {
      meetingId: id,
      input: { ...input, agents: [{ agentId: '7e57e57e-0000-4000-8000-000000000002' }] },
    });
    expect(res.body.errors![0].extensions).toMatchObject({
      code: 'INVALID_ID',
      errors: [{ target: 'input.agents[0].agentId', errorCode: 'INVALID_ID' }],
    });
    expect(await stored(id)).toEqual(before);
  });

  it('answers INVALID_ID for a meeting that never existed', async () => {
    const res = await gw.gql(UPDATE_MEETING, {
      meetingId: '7e57e57e-0000-4000-8000-0000000000ff',
      input: meetingInput(dir.parties, dir.agents),
    });
    expect(res.body.data).toBeNull();
    expect(res.body.errors![0].extensions).toMatchObject({
      code: 'INVALID_ID',
      status: 404,
      errors: [{ target: 'meetingId', errorCode: 'INVALID_ID' }],
    });
  });

  it('answers GONE for a deleted meeting', async () => {
    const { id, input } = await meetingIn('WAITING');
    await gw.gql(DELETE_MEETING, { meetingId: id });
    const res = await gw.gql(UPDATE_MEETING, { meetingId: id, input });
    expect(res.body.errors![0].extensions).toMatchObject({ code: 'GONE', status: 410 });
  });

  it('finds a meeting by id in any case', async () => {
    const { id, input } = await meetingIn('WAITING');
    const res = await gw.gql<MeetingData>(UPDATE_MEETING, {
      meetingId: id.toUpperCase(),
      input: { ...input, notes: 'isot kirjaimet' },
    });
    expect(res.body.data!.updateMeeting.meeting).toMatchObject({
      meetingId: id,
      notes: 'isot kirjaimet',
    });
  });

  it('sees a directory change of a party at once', async () => {
    const [p] = await addParties(gw, party({ partyName: 'Ennen Nimi' }));
    const { id } = await meetingIn('WAITING', {
      parties: [{ partyId: p.partyId, partyTypeCode: p.partyTypeCode }],
    });
    await addParties(gw, { ...p, partyName: 'Jälkeen Nimi' });
    expect((await stored(id)).parties[0].partyName).toBe('Jälkeen Nimi');
  });
});
