import { randomUUID } from 'node:crypto';
import { demoMeetings } from '../../../src/demo/demo-meetings';
import type { PartyTypeCode } from '../../../src/directory/domain/directory.model';
import { insertMeeting } from '../../../src/meetings/storage/meeting.repository';
import { CREATE_MEETING, meetingInput, smallDirectory } from '../../support/fixtures';
import { TestGateway } from '../../support/gateway';

// TypeORM's better-sqlite3 driver shares one connection: without the write queue, a second concurrent
// transaction nests as a SAVEPOINT in the first and dies with it, after it was acknowledged.
describe('concurrent writes', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await TestGateway.start();
  });
  afterAll(() => gw.stop());

  it('keep exactly the acknowledged creates when half of them fail inside their transaction', async () => {
    const dir = await smallDirectory(gw);
    const unknownAgent = [{ agentId: randomUUID() }];
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        gw.gql<{ createMeeting: { meetingId: string } }>(CREATE_MEETING, {
          input: meetingInput(
            dir.parties,
            dir.agents,
            i % 2 ? { agents: unknownAgent } : { notes: `kokous ${i}` },
          ),
        }),
      ),
    );
    const acknowledged = results
      .filter((r) => !r.body.errors)
      .map((r) => r.body.data!.createMeeting.meetingId);
    const refused = results.filter((r) => r.body.errors);
    expect(acknowledged).toHaveLength(20);
    expect(refused.every((r) => r.body.errors![0].extensions.code === 'INVALID_ID')).toBe(true);

    const stored: { meeting_id: string }[] = await gw.app.db.read((m) =>
      m.query('SELECT meeting_id FROM meeting'),
    );
    expect(stored.map((r) => r.meeting_id).sort()).toEqual([...acknowledged].sort());
    const parties: { n: number }[] = await gw.app.db.read((m) =>
      m.query('SELECT count(*) AS n FROM meeting_party'),
    );
    expect(parties[0].n).toBe(20 * dir.parties.length);
  });

  it('keep exactly the acknowledged creates when half fail after writing, and statements interleave', async () => {
    const db = gw.app.db;
    const dir = await smallDirectory(gw);
    const before: { meeting_id: string }[] = await db.read((m) =>
      m.query('SELECT meeting_id FROM meeting'),
    );
    // The repository's own insert, as createMeeting runs it, with a pause inside each transaction
    // (as a slow disk or a later async step would cause) so that transactions overlap.
    const samples = demoMeetings(new Date('2026-11-27T12:00:00Z'));
    const outcomes = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) =>
        db.transaction(async (m) => {
          const meeting = samples[i];
          const draft = {
            ...meeting,
            meetingId: randomUUID(),
            parties: [
              {
                partyId: dir.parties[0].partyId,
                partyTypeCode: dir.parties[0].partyTypeCode as PartyTypeCode,
              },
            ],
            agents: [{ agentId: dir.agents[0].agentId }],
          };
          await insertMeeting(m, draft);
          await new Promise((resolve) => setImmediate(resolve));
          if (i % 2 === 1) throw new Error(`refused ${i}`);
          return draft.meetingId;
        }),
      ),
    );
    const acknowledged = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    expect(acknowledged).toHaveLength(15);
    const stored: { meeting_id: string }[] = await db.read((m) =>
      m.query('SELECT meeting_id FROM meeting'),
    );
    const known = new Set(before.map((r) => r.meeting_id));
    expect(
      stored
        .map((r) => r.meeting_id)
        .filter((id) => !known.has(id))
        .sort(),
    ).toEqual([...acknowledged].sort());
  });

  it('never show a reader the uncommitted rows of a running transaction', async () => {
    const db = gw.app.db;
    await db.transaction((m) => m.query('CREATE TABLE IF NOT EXISTS probe (id TEXT PRIMARY KEY)'));
    let release!: () => void;
    const holding = new Promise<void>((r) => (release = r));
    const writer = db.transaction(async (m) => {
      await m.query("INSERT INTO probe (id) VALUES ('uncommitted')");
      await holding;
      throw new Error('roll back');
    });
    await new Promise((resolve) => setImmediate(resolve));
    const reader = db.read((m) =>
      m.query("SELECT count(*) AS n FROM probe WHERE id = 'uncommitted'"),
    );
    release();
    await expect(writer).rejects.toThrow('roll back');
    expect(await reader).toEqual([{ n: 0 }]);
  });
});
