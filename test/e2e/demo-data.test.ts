import { helsinkiDate, helsinkiTime } from '../../src/demo/helsinki-time';
import { TestGateway } from '../support/gateway';

const HOUR_IN_HELSINKI = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Helsinki',
  hourCycle: 'h23',
  hour: '2-digit',
  minute: '2-digit',
});

let gw: TestGateway;
// Taken before the demo is loaded: the load day is this day or a later one.
let tomorrow: Date;
beforeAll(async () => {
  const today = helsinkiDate(new Date());
  tomorrow = helsinkiTime({ ...today, day: today.day + 1 }, 0, 0);
  gw = await TestGateway.start({ demoData: true });
});
afterAll(() => gw.stop());

describe('the demo a new database gets', () => {
  it('has no WAITING meeting before the day after it was loaded, and many after', async () => {
    const res = await gw.gql<{ before: { totalCount: number }; after: { totalCount: number } }>(
      `query ($tomorrow: DateTime) {
        before: meetings(filter: { statusCode: [WAITING], visitTimeBefore: $tomorrow }) { totalCount }
        after: meetings(filter: { statusCode: [WAITING] }) { totalCount }
      }`,
      { tomorrow: tomorrow.toISOString() },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.before.totalCount).toBe(0);
    expect(res.body.data!.after.totalCount).toBeGreaterThan(20);
  });

  it('has every visit in office hours in Helsinki, 08:00 to 16:45', async () => {
    const times: string[] = [];
    for (const startIndex of [0, 100]) {
      const res = await gw.gql<{ meetings: { meetings: { visitTime: string }[] } }>(
        `{ meetings(startIndex: ${startIndex}, size: 100) { meetings { visitTime } } }`,
      );
      times.push(...res.body.data!.meetings.meetings.map((m) => m.visitTime));
    }
    expect(times).toHaveLength(200);
    const outside = times.filter((t) => {
      const hhmm = HOUR_IN_HELSINKI.format(new Date(t));
      return hhmm < '08:00' || hhmm > '16:45';
    });
    expect(outside).toEqual([]);
  });
});
