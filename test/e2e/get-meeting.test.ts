import {
  GET_MEETING,
  addAgents,
  addParties,
  agent,
  createMeeting,
  meetingInput,
  party,
  smallDirectory,
} from '../support/fixtures';
import { TestGateway } from '../support/gateway';
import { COSTED } from '../support/cost';

let gw: TestGateway;
let dir: Awaited<ReturnType<typeof smallDirectory>>;

beforeAll(async () => {
  gw = await TestGateway.start();
  dir = await smallDirectory(gw);
});
afterAll(() => gw.stop());

describe('meeting', () => {
  it('returns one meeting with its doorCode and the address of its realty', async () => {
    const id = await createMeeting(gw, meetingInput(dir.parties, dir.agents));
    const res = await gw.gql<{
      meeting: {
        meetingId: string;
        address: unknown;
        meetingRealty: { doorCode: string; address: unknown };
      };
    }>(GET_MEETING, { meetingId: id });
    expect(res.body.errors).toBeUndefined();
    const m = res.body.data!.meeting;
    expect(m.meetingId).toBe(id);
    expect(m.meetingRealty.doorCode).toBe('1234');
    expect(m.address).toEqual({ addressLine1: 'Yliopistonkatu 55', locality: 'Tampere' });
  });

  it('answers null and INVALID_ID for an id that does not exist', async () => {
    const meetingId = '7e57e57e-0000-4000-8000-000000000abc';
    const res = await gw.gql(
      GET_MEETING,
      { meetingId },
      { 'Request-ID': '3f1d3b6e-8f1a-4c56-9d0b-6d3b0d9d2a11' },
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: { meeting: null },
      errors: [
        {
          message: `Meeting ${meetingId} does not exist`,
          path: ['meeting'],
          locations: [{ line: 1, column: 29 }],
          extensions: {
            code: 'INVALID_ID',
            status: 404,
            description: 'The identifier is missing or unknown.',
            errors: [
              { target: 'meetingId', errorCode: 'INVALID_ID', message: 'No meeting has this id' },
            ],
            requestId: '3f1d3b6e-8f1a-4c56-9d0b-6d3b0d9d2a11',
          },
        },
      ],
      extensions: COSTED,
    });
  });

  it('accepts a UUID in braces or capitals, as the UUID scalar does', async () => {
    const id = await createMeeting(gw, meetingInput(dir.parties, dir.agents));
    const res = await gw.gql<{ meeting: { meetingId: string } }>(GET_MEETING, {
      meetingId: `{${id.toUpperCase()}}`,
    });
    expect(res.body.data!.meeting.meetingId).toBe(id);
  });

  it('is refused by the service for an id that is not a UUID, when called from a script', async () => {
    await expect(
      gw.app.services.meetings.get(
        { subject: 'script', name: null, offices: [], admin: true },
        'meeting-1',
      ),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST_PARAMETERS',
      items: [
        { target: 'meetingId', errorCode: 'INVALID_TYPE', message: 'meetingId must be a UUID' },
      ],
    });
  });

  it('costs a constant number of SQL statements however many names it shows', async () => {
    const one = await createMeeting(
      gw,
      meetingInput(dir.parties.slice(0, 1), dir.agents.slice(0, 1)),
    );
    const two = await createMeeting(gw, meetingInput(dir.parties, dir.agents));
    const a = await gw.countStatements(() => gw.gql(GET_MEETING, { meetingId: one }));
    const b = await gw.countStatements(() => gw.gql(GET_MEETING, { meetingId: two }));
    expect(a).toBe(b);
    expect(b).toBeLessThanOrEqual(5);
  });
});

describe("a meeting's parties and agents", () => {
  it('come in the order of the meeting, with their names, on every read', async () => {
    // Ids in descending order, added to the directory in another order again: neither the ids nor
    // the directory's rows give the meeting's order.
    const ids = (prefix: string) =>
      ['3', '1', '2'].map((n) => `${prefix}${n}-0000-4000-8000-000000000000`);
    const parties = await addParties(
      gw,
      ...ids('0dd0000').map((partyId, i) =>
        party({ partyId, partyName: `Party ${i}`, emailAddress: i === 1 ? null : `p${i}@e.fi` }),
      ),
    );
    const agents = await addAgents(
      gw,
      ...ids('0ee0000').map((agentId, i) => agent({ agentId, lastName: `Agent ${i}` })),
    );
    const order = [parties[1], parties[0], parties[2]];
    const agentOrder = [agents[2], agents[0], agents[1]];
    const id = await createMeeting(
      gw,
      meetingInput(order, agentOrder, { visitTime: '2039-01-01T00:00:00Z' }),
    );
    const expected = {
      parties: order.map(({ partyId, partyName, emailAddress }) => ({
        partyId,
        partyName,
        emailAddress,
      })),
      agents: agentOrder.map(({ agentId, lastName }) => ({ agentId, lastName })),
    };
    const lists = 'parties { partyId partyName emailAddress } agents { agentId lastName }';
    const one = await gw.gql<{ meeting: unknown }>(
      `query ($id: UUID!) { meeting(meetingId: $id) { ${lists} } }`,
      { id },
    );
    expect(one.body.data!.meeting).toEqual(expected);
    const page = await gw.gql<{ meetings: { meetings: unknown[] } }>(
      `{ meetings(size: 1) { meetings { meetingId ${lists} } } }`,
    );
    expect(page.body.data!.meetings.meetings).toEqual([{ meetingId: id, ...expected }]);
    const connection = await gw.gql<{ meetingsConnection: { nodes: unknown[] } }>(
      `{ meetingsConnection(first: 1) { nodes { meetingId ${lists} } } }`,
    );
    expect(connection.body.data!.meetingsConnection.nodes).toEqual([
      { meetingId: id, ...expected },
    ]);
  });
});
