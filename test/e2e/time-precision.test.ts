import { createMeeting, meetingInput, smallDirectory } from '../support/fixtures';
import { TestGateway } from '../support/gateway';

// Times keep their milliseconds and come back in UTC, and milliseconds order and filter, on
// every database (SQLite stores ISO text, PostgreSQL timestamptz(3)).
let gw: TestGateway;
beforeAll(async () => {
  gw = await TestGateway.start();
});
afterAll(() => gw.stop());

describe('times', () => {
  it('keep milliseconds, come back in UTC, and sort and filter by the millisecond', async () => {
    const dir = await smallDirectory(gw);
    const office = '0d0d0d0d-0000-4000-8000-00000000000d';
    const given = [
      '2027-03-01T12:00:00.002Z',
      '2027-03-01T14:00:00.001+02:00', // 12:00:00.001Z
      '2027-03-01T12:00:00.003Z',
      '2027-03-01T11:59:59.999Z',
    ];
    const ids = new Map<string, string>();
    for (const visitTime of given) {
      const id = await createMeeting(
        gw,
        meetingInput(dir.parties, dir.agents, { visitTime, agencyOfficeId: office }),
      );
      ids.set(new Date(visitTime).toISOString(), id);
    }
    const res = await gw.gql<{
      meetings: { meetings: { meetingId: string; visitTime: string }[] };
    }>(
      `query ($office: [UUID!], $after: DateTime) {
        meetings(filter: { agencyOfficeId: $office, visitTimeAfter: $after },
                 sort: [{ field: VISIT_TIME, direction: ASC }]) { meetings { meetingId visitTime } }
      }`,
      { office: [office], after: '2027-03-01T12:00:00.001Z' },
    );
    // After .001 (not equal to it), in millisecond order, each as it was stored.
    expect(res.body.data!.meetings.meetings).toEqual([
      { meetingId: ids.get('2027-03-01T12:00:00.002Z'), visitTime: '2027-03-01T12:00:00.002Z' },
      { meetingId: ids.get('2027-03-01T12:00:00.003Z'), visitTime: '2027-03-01T12:00:00.003Z' },
    ]);
    const all = await gw.gql<{ meetings: { meetings: { visitTime: string }[] } }>(
      `query ($office: [UUID!]) {
        meetings(filter: { agencyOfficeId: $office }, sort: [{ field: VISIT_TIME, direction: DESC }]) {
          meetings { visitTime }
        }
      }`,
      { office: [office] },
    );
    expect(all.body.data!.meetings.meetings.map((m) => m.visitTime)).toEqual([
      '2027-03-01T12:00:00.003Z',
      '2027-03-01T12:00:00.002Z',
      '2027-03-01T12:00:00.001Z',
      '2027-03-01T11:59:59.999Z',
    ]);
  });
});
