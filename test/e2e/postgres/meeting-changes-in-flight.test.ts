import { randomUUID } from 'node:crypto';
import { query } from '../../../src/db/sql';
import { recordChange } from '../../../src/meetings/storage/meeting-changes';
import { createMeeting, meetingInput, smallDirectory } from '../../support/fixtures';
import { TestGateway } from '../../support/gateway';

let gw: TestGateway;
beforeAll(async () => {
  gw = await TestGateway.start();
});
afterAll(() => gw.stop());

const CHANGES = `query ($after: String) { meetingChanges(after: $after) {
  edges { cursor node { op meetingId } } pageInfo { endCursor } } }`;

interface Page {
  meetingChanges: {
    edges: { cursor: string; node: { op: string; meetingId: string } }[];
    pageInfo: { endCursor: string };
  };
}

async function page(after: string) {
  const res = await gw.gql<Page>(CHANGES, { after });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.meetingChanges;
}

describe('the change feed on PostgreSQL', () => {
  it('never skips a change whose transaction took a smaller number and commits later', async () => {
    const dir = await smallDirectory(gw);
    const latest = await gw.gql<{ latestChangeCursor: string }>('{ latestChangeCursor }');
    const from = latest.body.data!.latestChangeCursor;

    // T1 writes its change (taking the smaller changeId) and stays open.
    const early = randomUUID();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let written!: (changeId: number) => void;
    const taken = new Promise<number>((resolve) => (written = resolve));
    const t1 = gw.app.db.transaction(async (m) => {
      await recordChange(
        m,
        {
          op: 'DELETED',
          meetingId: early,
          agencyOfficeId: meetingInput([], []).agencyOfficeId as string,
          previousOfficeId: null,
          version: 2,
          changedAt: new Date(),
        },
        new Date(0),
      );
      const [row] = await query<{ change_id: string }>(
        m,
        'SELECT change_id FROM meeting_change WHERE meeting_id = ?',
        [early],
      );
      written(Number(row.change_id));
      await held;
    });
    try {
      const earlyId = await taken;
      // T2, a create through the API, takes a larger changeId and commits first.
      const late = await createMeeting(gw, meetingInput(dir.parties, dir.agents));
      const [{ change_id: lateId }] = await gw.app.db.read((m) =>
        query<{ change_id: string }>(
          m,
          'SELECT change_id FROM meeting_change WHERE meeting_id = ?',
          [late],
        ),
      );
      expect(Number(lateId)).toBeGreaterThan(earlyId);

      // While T1 is open, the reader must not move past it: T2's change does not show yet.
      const during = await page(from);
      const seenDuring = during.edges.map((e) => e.node.meetingId);
      expect(seenDuring).not.toContain(late);
      expect(seenDuring).not.toContain(early);

      release();
      await t1;

      // Now both show, T1's first, each once: from where the reader stood, and from the start.
      for (const after of [during.pageInfo.endCursor, from]) {
        let seen: string[] = [];
        for (let i = 0; i < 100; i++) {
          seen = (await page(after)).edges
            .map((e) => e.node.meetingId)
            .filter((id) => id === early || id === late);
          if (seen.length >= 2) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(seen).toEqual([early, late]);
      }
    } finally {
      release();
      await t1.catch(() => undefined);
    }
  });
});
