import {
  DELETE_MEETING,
  GET_MEETING,
  createMeeting,
  meetingInput,
  smallDirectory,
} from '../support/fixtures';
import { TestGateway } from '../support/gateway';
import { COSTED } from '../support/cost';

const NOW = new Date('2026-11-27T12:00:00.000Z');
let gw: TestGateway;
let dir: Awaited<ReturnType<typeof smallDirectory>>;

beforeAll(async () => {
  gw = await TestGateway.start({ now: () => NOW });
  dir = await smallDirectory(gw);
});
afterAll(() => gw.stop());

const create = (statusCode: string) =>
  createMeeting(gw, meetingInput(dir.parties, dir.agents, { statusCode }));
const TOMBSTONES = `query ($after: DateTime) { meetingTombstones(deletedAfter: $after) { totalCount tombstones { meetingId agencyOfficeId deletionTime } } }`;

describe('deleteMeeting', () => {
  it('deletes a WAITING meeting and keeps a tombstone', async () => {
    const id = await create('WAITING');
    const res = await gw.gql(DELETE_MEETING, { meetingId: id });
    expect(res.body).toEqual({ data: { deleteMeeting: { meetingId: id } }, extensions: COSTED });

    const read = await gw.gql(GET_MEETING, { meetingId: id });
    expect(read.body.data).toEqual({ meeting: null });
    expect(read.body.errors![0]).toMatchObject({
      message: `Meeting ${id} has been deleted`,
      path: ['meeting'],
      extensions: {
        code: 'GONE',
        status: 410,
        description: 'The requested resource is no longer available.',
      },
    });

    const again = await gw.gql(DELETE_MEETING, { meetingId: id });
    expect(again.body.errors![0].extensions.code).toBe('GONE');

    const search = await gw.gql<{ meetings: { meetings: { meetingId: string }[] } }>(
      '{ meetings(size: 100) { meetings { meetingId } } }',
    );
    expect(search.body.data!.meetings.meetings.map((m) => m.meetingId)).not.toContain(id);

    const tombstones = await gw.gql<{ meetingTombstones: { tombstones: unknown[] } }>(TOMBSTONES, {
      after: '2026-11-27T11:59:59Z',
    });
    expect(tombstones.body.data!.meetingTombstones.tombstones).toContainEqual({
      meetingId: id,
      agencyOfficeId: meetingInput([], []).agencyOfficeId,
      deletionTime: NOW.toISOString(),
    });
    const none = await gw.gql<{ meetingTombstones: { totalCount: number } }>(TOMBSTONES, {
      after: NOW.toISOString(),
    });
    expect(none.body.data!.meetingTombstones.totalCount).toBe(0);
  });

  it.each(['WON', 'LOST', 'CANCELLED'])(
    'refuses to delete a %s meeting (INVALID_STATUS)',
    async (status) => {
      const id = await create(status);
      const res = await gw.gql(DELETE_MEETING, { meetingId: id });
      expect(res.body.data).toBeNull();
      expect(res.body.errors![0]).toMatchObject({
        message: `Meeting status ${status} does not allow deleting; only a WAITING meeting can be deleted`,
        extensions: {
          code: 'INVALID_STATUS',
          status: 400,
          errors: [{ target: 'meetingId', errorCode: 'INVALID_STATUS' }],
        },
      });
      const read = await gw.gql<{ meeting: { statusCode: string } }>(GET_MEETING, {
        meetingId: id,
      });
      expect(read.body.data!.meeting.statusCode).toBe(status);
    },
  );

  it('answers INVALID_ID for an id that never existed', async () => {
    const res = await gw.gql(DELETE_MEETING, { meetingId: '7e57e57e-0000-4000-8000-0000000000ee' });
    expect(res.body.errors![0].extensions).toMatchObject({ code: 'INVALID_ID', status: 404 });
  });

  it('answers BAD_USER_INPUT for an id that is not a UUID', async () => {
    const res = await gw.gql(DELETE_MEETING, { meetingId: 'meeting-1' });
    expect(res.status).toBe(400);
    expect(res.body.errors![0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('meetingTombstones', () => {
  it('pages with the bounds of the search', async () => {
    const res = await gw.gql('{ meetingTombstones(size: 0) { totalCount } }');
    expect(res.body.errors![0].extensions).toMatchObject({
      code: 'BAD_REQUEST_PARAMETERS',
      errors: [{ target: 'size' }],
    });
  });
});
