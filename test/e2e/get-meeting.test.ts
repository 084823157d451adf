import { GET_MEETING, createMeeting, meetingInput, smallDirectory } from '../support/fixtures';
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
