/** Loading the demo into a new database, once, whichever instance starts first. */
import type { Database } from '../db/database';
import { upsertAgentRows, upsertPartyRows } from '../directory/storage/directory.repository';
import type { Logger } from '../logger';
import { validateMeetingDraft } from '../meetings/domain/meeting-validation';
import { hasMeetings, insertMeeting } from '../meetings/storage/meeting.repository';
import { demoDirectory, demoMeetings } from './demo-meetings';

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
  if (seeded)
    logger.info(
      { meetings: meetings.length, parties: directory.parties.length },
      'demo data loaded',
    );
  return seeded;
}
