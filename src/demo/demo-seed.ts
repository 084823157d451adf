/** Loading the demo into a new database, once, whichever instance starts first. */
import type { Database } from '../db/database';
import { query } from '../db/sql';
import { upsertAgentRows, upsertPartyRows } from '../directory/storage/directory.repository';
import type { Logger } from '../logger';
import { validateMeetingDraft } from '../meetings/domain/meeting-validation';
import { hasMeetings, insertMeeting } from '../meetings/storage/meeting.repository';
import { demoDirectory, demoMeetings } from './demo-meetings';

/** The tables the demo fills, meeting_tally through the meeting table's triggers. */
const BULK_LOADED = [
  'meeting',
  'meeting_party',
  'meeting_agent',
  'meeting_fts',
  'meeting_tally',
  'party',
  'agent',
];

/** Loads the demo into a database that has no meetings yet; leaves any other database alone. */
export async function seedDemoData(
  db: Database,
  logger: Logger,
  now = new Date(),
): Promise<boolean> {
  const directory = demoDirectory();
  const meetings = demoMeetings(now, directory);
  // Instances starting together on one new database: one loads the demo, the others find it.
  const seeded = await db.exclusively('demo-data', () =>
    db.transaction(async (m) => {
      if (await hasMeetings(m)) return false;
      await upsertPartyRows(m, directory.parties, now);
      await upsertAgentRows(m, directory.agents, now);
      for (const meeting of meetings) {
        const problems = validateMeetingDraft(meeting, now);
        if (problems.length > 0)
          throw new Error(`Demo meeting ${meeting.meetingId} is invalid: ${problems[0].target}`);
        await insertMeeting(m, meeting);
      }
      return true;
    }),
  );
  // PostgreSQL plans searches by its statistics: taken now, not when autovacuum gets to it, they
  // count the loaded rows from the first search on. (SQLite keeps none unless asked: a database
  // analyzed at 200 meetings would keep planning for 200 as it grows.)
  if (seeded && db.dataSource.options.type === 'postgres')
    await db.transaction((m) => query(m, `ANALYZE ${BULK_LOADED.join(', ')}`));
  if (seeded)
    logger.info(
      { meetings: meetings.length, parties: directory.parties.length },
      'demo data loaded',
    );
  return seeded;
}
