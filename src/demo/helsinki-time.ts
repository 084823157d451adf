/** Wall-clock times and dates in Helsinki, where the demo's offices are. */

const HELSINKI = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Europe/Helsinki',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

/** The wall clock in Helsinki at an instant: its fields, as a UTC time stamp of the same fields. */
function helsinkiWallClock(at: Date): number {
  const part = Object.fromEntries(HELSINKI.formatToParts(at).map((p) => [p.type, Number(p.value)]));
  return Date.UTC(part.year, part.month - 1, part.day, part.hour, part.minute, part.second);
}

/** The instant of a wall-clock time in Helsinki; a day past the month's end rolls over. */
export function helsinkiTime(
  day: { year: number; month: number; day: number },
  hour: number,
  minute: number,
): Date {
  const wall = Date.UTC(day.year, day.month - 1, day.day, hour, minute);
  // Guess with the winter offset, then correct with the offset at the guess (office hours never
  // fall in the hour a clock change skips or repeats).
  const guess = wall - 2 * 3600 * 1000;
  return new Date(wall - (helsinkiWallClock(new Date(guess)) - Math.floor(guess / 1000) * 1000));
}

/** The date in Helsinki at an instant. */
export function helsinkiDate(at: Date): { year: number; month: number; day: number } {
  const wall = new Date(helsinkiWallClock(at));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}
