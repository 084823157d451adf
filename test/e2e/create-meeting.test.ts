import {
  CREATE_MEETING,
  GET_MEETING,
  OFFICE_A,
  addParties,
  createMeeting,
  meetingInput,
  party,
  smallDirectory,
} from '../support/fixtures';
import { TestGateway } from '../support/gateway';

const NOW = new Date('2026-11-27T12:00:00.000Z');
let gw: TestGateway;
let dir: Awaited<ReturnType<typeof smallDirectory>>;

beforeAll(async () => {
  gw = await TestGateway.start({ now: () => NOW });
  dir = await smallDirectory(gw);
});
afterAll(() => gw.stop());

describe('createMeeting', () => {
  it('stores the REST body as it stands and returns the whole meeting with directory details', async () => {
    const input = meetingInput(dir.parties, dir.agents, { visitTime: '2027-01-01T01:59:59+02:00' });
    const res = await gw.gql<{
      createMeeting: { meetingId: string; meeting: Record<string, unknown> };
    }>(CREATE_MEETING, { input });
    expect(res.body.errors).toBeUndefined();
    const { meetingId, meeting } = res.body.data!.createMeeting;
    expect(meetingId).toMatch(/^[0-9a-f-]{36}$/);
    expect(meeting).toEqual({
      meetingId,
      typeCode: 'SALES_MEETING',
      statusCode: 'WAITING',
      realtyId: '123e4567-e89b-12d3-a456-426655440000',
      visitTime: '2026-12-31T23:59:59.000Z',
      agencyOfficeId: OFFICE_A,
      sourceTypeCode: 'ETUOVI',
      notes: 'string',
      createdByName: 'Testi Ylläpitäjä',
      creationTime: NOW.toISOString(),
      modificationTime: NOW.toISOString(),
      parties: [
        {
          partyId: dir.parties[0].partyId,
          partyTypeCode: 'PERSON_PARTY',
          partyName: 'Matti Virtanen',
          emailAddress: 'matti@example.fi',
          phoneNumber: '0401111111',
        },
        {
          partyId: dir.parties[1].partyId,
          partyTypeCode: 'ESTATE_PARTY',
          partyName: 'Äijälän Kuolinpesä',
          emailAddress: null,
          phoneNumber: null,
        },
      ],
      agents: [
        { agentId: dir.agents[0].agentId, firstName: 'Maria', lastName: 'Mäkinen' },
        { agentId: dir.agents[1].agentId, firstName: 'Jari', lastName: 'Korhonen' },
      ],
      address: { addressLine1: 'Yliopistonkatu 55', locality: 'Tampere' },
      priceEstimate: { value: 100000, currencyCode: 'EUR' },
      meetingRealty: { ...(input.meetingRealty as object) },
    });
    const read = await gw.gql<{ meeting: Record<string, unknown> }>(GET_MEETING, { meetingId });
    expect(read.body.data!.meeting).toEqual(meeting);
  });

  it('may create a meeting in any status', async () => {
    for (const statusCode of ['WAITING', 'WON', 'LOST', 'CANCELLED']) {
      const id = await createMeeting(gw, meetingInput(dir.parties, dir.agents, { statusCode }));
      const read = await gw.gql<{ meeting: { statusCode: string } }>(GET_MEETING, {
        meetingId: id,
      });
      expect(read.body.data!.meeting.statusCode).toBe(statusCode);
    }
  });

  it('stores only what was given: optional fields left out come back null', async () => {
    const input = meetingInput(dir.parties.slice(0, 1), dir.agents.slice(0, 1), {
      meetingRealty: {},
    });
    delete input.realtyId;
    delete input.priceEstimate;
    delete input.notes;
    const id = await createMeeting(gw, input);
    const read = await gw.gql<{ meeting: Record<string, any> }>(GET_MEETING, { meetingId: id });
    const m = read.body.data!.meeting;
    expect([m.realtyId, m.priceEstimate, m.notes, m.address]).toEqual([null, null, null, null]);
    expect(Object.values(m.meetingRealty).every((v) => v === null)).toBe(true);
  });

  it('reports every invalid field at once as BAD_REQUEST_BODY, and stores nothing', async () => {
    const input = meetingInput(dir.parties, dir.agents, {
      parties: [],
      agents: [{ agentId: dir.agents[0].agentId }, { agentId: dir.agents[0].agentId }],
      meetingRealty: {
        categoryCode: 'sale',
        constructionYear: 1200,
        area: { value: -3, areaUnitCode: 'M2' },
      },
      priceEstimate: { value: 10, currencyCode: 'euro' },
      notes: 'x'.repeat(10_001),
    });
    let res!: Awaited<ReturnType<typeof gw.gql>>;
    const statements = await gw.countStatements(async () => {
      res = await gw.gql(
        CREATE_MEETING,
        { input },
        { 'Request-ID': '9031d1c5-7d40-41dd-b2b8-7919a2fc4fe9' },
      );
    });
    expect(statements).toBe(0);
    expect(res.status).toBe(200);
    expect(res.body.data).toBeNull();
    expect(res.body.errors).toEqual([
      {
        message: 'Invalid meeting input',
        path: ['createMeeting'],
        locations: [{ line: 2, column: 3 }],
        extensions: {
          code: 'BAD_REQUEST_BODY',
          status: 400,
          description: 'Request body is missing or has invalid content.',
          requestId: '9031d1c5-7d40-41dd-b2b8-7919a2fc4fe9',
          errors: [
            { target: 'input.parties', errorCode: 'VALUE_REQUIRED', message: expect.any(String) },
            {
              target: 'input.agents[1].agentId',
              errorCode: 'INVALID_VALUE',
              message: expect.any(String),
            },
            {
              target: 'input.meetingRealty.categoryCode',
              errorCode: 'INVALID_VALUE',
              message: expect.any(String),
            },
            {
              target: 'input.meetingRealty.area.value',
              errorCode: 'INVALID_VALUE',
              message: expect.any(String),
            },
            {
              target: 'input.meetingRealty.constructionYear',
              errorCode: 'INVALID_VALUE',
              message: expect.any(String),
            },
            {
              target: 'input.priceEstimate.currencyCode',
              errorCode: 'INVALID_VALUE',
              message: expect.any(String),
            },
            { target: 'input.notes', errorCode: 'INVALID_VALUE', message: expect.any(String) },
          ],
        },
      },
    ]);
  });

  it('rejects parties and agents the directory does not know, naming each list item (INVALID_ID)', async () => {
    const stranger = '7e57e57e-0000-4000-8000-000000000001';
    const input = meetingInput(dir.parties, dir.agents, {
      parties: [
        { partyId: dir.parties[0].partyId, partyTypeCode: 'PERSON_PARTY' },
        { partyId: stranger, partyTypeCode: 'PERSON_PARTY' },
      ],
      agents: [{ agentId: stranger }],
    });
    const res = await gw.gql(CREATE_MEETING, { input });
    const error = res.body.errors![0];
    expect(error.extensions).toMatchObject({ code: 'INVALID_ID', status: 404 });
    expect(error.extensions.errors!.map((i) => `${i.target} ${i.errorCode}`)).toEqual([
      'input.parties[1].partyId INVALID_ID',
      'input.agents[0].agentId INVALID_ID',
    ]);
  });

  it('rejects a partyTypeCode that differs from the directory', async () => {
    const input = meetingInput(dir.parties.slice(0, 1), dir.agents, {
      parties: [{ partyId: dir.parties[0].partyId, partyTypeCode: 'ORGANIZATION_PARTY' }],
    });
    const res = await gw.gql(CREATE_MEETING, { input });
    expect(res.body.errors![0].extensions).toMatchObject({
      code: 'BAD_REQUEST_BODY',
      errors: [{ target: 'input.parties[0].partyTypeCode', errorCode: 'INVALID_VALUE' }],
    });
  });

  it('stores ids in lower case, whatever case they were sent in', async () => {
    const [upper] = await addParties(gw, party());
    const input = meetingInput([{ ...upper, partyId: upper.partyId.toUpperCase() }], dir.agents, {
      agencyOfficeId: OFFICE_A.toUpperCase(),
    });
    const id = await createMeeting(gw, input);
    const read = await gw.gql<{
      meeting: { agencyOfficeId: string; parties: { partyId: string }[] };
    }>(GET_MEETING, { meetingId: id });
    expect(read.body.data!.meeting.agencyOfficeId).toBe(OFFICE_A);
    expect(read.body.data!.meeting.parties[0].partyId).toBe(upper.partyId);
  });

  it('leaves values that are not of their GraphQL type to GraphQL (BAD_USER_INPUT), before any resolver', async () => {
    const input = meetingInput(dir.parties, dir.agents, {
      visitTime: 'tomorrow',
      typeCode: 'LUNCH',
    });
    const count = await gw.countStatements(async () => {
      const res = await gw.gql(CREATE_MEETING, { input });
      expect(res.status).toBe(400);
      expect(res.body.errors!.map((e) => e.extensions.code)).toEqual([
        'BAD_USER_INPUT',
        'BAD_USER_INPUT',
      ]);
      expect(res.body.errors![0].extensions.requestId).toMatch(/^[0-9a-f-]{36}$/);
    });
    expect(count).toBe(0);
  });

  it('never writes the doorCode to the log', async () => {
    const input = meetingInput(dir.parties, dir.agents);
    (input.meetingRealty as Record<string, unknown>).doorCode = 'C0DE-4711';
    await createMeeting(gw, input);
    await gw.gql(CREATE_MEETING, { input: { ...input, notes: 'n'.repeat(10_001) } });
    expect(gw.logLines.join('\n')).not.toContain('C0DE-4711');
  });
});
