import { demoMeetings } from '../../src/demo/demo-meetings';
import { helsinkiDate, helsinkiTime } from '../../src/demo/helsinki-time';
import { validateMeetingDraft } from '../../src/meetings/domain/meeting-validation';

const WALL_CLOCK = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Helsinki',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/** "YYYY-MM-DD" and "HH:MM" in Helsinki. */
function inHelsinki(at: Date): { date: string; time: string } {
  const p = Object.fromEntries(WALL_CLOCK.formatToParts(at).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
}

// Load moments: winter, summer, the days Finland's clocks change, and late evening UTC that is
// already the next day in Helsinki.
const LOADS = [
  '2027-01-15T09:00:00Z',
  '2026-07-01T12:00:00Z',
  '2026-03-29T10:00:00Z',
  '2026-10-25T10:00:00Z',
  '2026-06-30T22:30:00Z',
];

describe('the demo meetings', () => {
  it.each(LOADS)(
    'loaded at %s: every visit in office hours in Helsinki (08:00 to 16:45, on the quarter hour)',
    (load) => {
      for (const meeting of demoMeetings(new Date(load))) {
        const { time } = inHelsinki(meeting.visitTime);
        expect(time >= '08:00' && time <= '16:45').toBe(true);
        expect(['00', '15', '30', '45']).toContain(time.slice(3));
      }
    },
  );

  it.each(LOADS)('loaded at %s: every WAITING visit is on a later day than the load', (load) => {
    const today = inHelsinki(new Date(load)).date;
    const meetings = demoMeetings(new Date(load));
    const waiting = meetings.filter((m) => m.statusCode === 'WAITING');
    expect(waiting.length).toBeGreaterThan(20);
    for (const meeting of waiting) expect(inHelsinki(meeting.visitTime).date > today).toBe(true);
    // Past visits are decided: won, lost or cancelled.
    expect(meetings.some((m) => m.visitTime < new Date(load) && m.statusCode === 'WON')).toBe(true);
  });

  it.each(LOADS)(
    'loaded at %s: valid, created before modified, nothing modified later than the load',
    (load) => {
      const now = new Date(load);
      for (const meeting of demoMeetings(now)) {
        expect(validateMeetingDraft(meeting, now)).toEqual([]);
        expect(meeting.creationTime <= meeting.modificationTime).toBe(true);
        expect(meeting.modificationTime <= now).toBe(true);
      }
    },
  );

  it('is the same for any moment of one Helsinki day, and another on the next', () => {
    // 2026-07-01 in Helsinki runs from 2026-06-30T21:00Z to 2026-07-01T20:59:59.999Z.
    const morning = demoMeetings(new Date('2026-06-30T21:00:00Z'));
    expect(demoMeetings(new Date('2026-07-01T20:59:59.999Z'))).toEqual(morning);
    expect(demoMeetings(new Date('2026-07-01T21:00:00Z'))).not.toEqual(morning);
  });
});

describe('Helsinki wall-clock times', () => {
  it('turns a wall-clock time into the instant, in winter and in summer time', () => {
    expect(helsinkiTime({ year: 2027, month: 1, day: 15 }, 8, 0).toISOString()).toBe(
      '2027-01-15T06:00:00.000Z',
    );
    expect(helsinkiTime({ year: 2026, month: 7, day: 1 }, 16, 45).toISOString()).toBe(
      '2026-07-01T13:45:00.000Z',
    );
    // The day the clocks go forward, and a day past the month's end.
    expect(helsinkiTime({ year: 2026, month: 3, day: 29 }, 8, 0).toISOString()).toBe(
      '2026-03-29T05:00:00.000Z',
    );
    expect(helsinkiTime({ year: 2026, month: 10, day: 32 }, 8, 0).toISOString()).toBe(
      '2026-11-01T06:00:00.000Z',
    );
  });

  it('gives the Helsinki date of an instant', () => {
    expect(helsinkiDate(new Date('2026-06-30T22:30:00Z'))).toEqual({
      year: 2026,
      month: 7,
      day: 1,
    });
    expect(helsinkiDate(new Date('2026-12-31T21:59:59Z'))).toEqual({
      year: 2026,
      month: 12,
      day: 31,
    });
  });
});
