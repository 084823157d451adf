import { randomUUID } from 'node:crypto';
import {
  type AgentFixture,
  CREATE_MEETING,
  type PartyFixture,
  UPDATE_MEETING,
  meetingInput,
} from './fixtures';
import type { TestGateway } from './gateway';

type Directory = { parties: PartyFixture[]; agents: AgentFixture[] };

/** A meeting with a long text: each one needs new pages in the database. */
export function bigMeeting(dir: Directory): Record<string, unknown> {
  return meetingInput(dir.parties, dir.agents, { notes: 'x'.repeat(3000) });
}

/**
 * Creates meetings until one is refused (at most `limit`): the ids acknowledged before it, and
 * the refused one's error extensions.
 */
export async function createUntilRefused(
  gw: TestGateway,
  dir: Directory,
  limit: number,
): Promise<{ acknowledged: string[]; refusal: Record<string, unknown> | undefined }> {
  const acknowledged: string[] = [];
  for (let i = 0; i < limit; i++) {
    const res = await gw.gql<{ createMeeting: { meetingId: string } }>(CREATE_MEETING, {
      input: bigMeeting(dir),
    });
    if (res.body.errors) return { acknowledged, refusal: res.body.errors[0].extensions };
    acknowledged.push(res.body.data!.createMeeting.meetingId);
  }
  return { acknowledged, refusal: undefined };
}

/** A write the gateway refuses on its merits (an update of an unknown meeting): its code. */
export async function refusedWrite(gw: TestGateway, dir: Directory): Promise<string> {
  const res = await gw.gql(UPDATE_MEETING, {
    meetingId: randomUUID(),
    input: meetingInput(dir.parties, dir.agents),
  });
  return res.body.errors![0].extensions.code;
}

/** Creates `count` meetings one after another; every one must be acknowledged. */
export async function createAll(gw: TestGateway, dir: Directory, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await gw.gql<{ createMeeting: { meetingId: string } }>(CREATE_MEETING, {
      input: bigMeeting(dir),
    });
    if (res.body.errors) throw new Error(`create ${i + 1} failed: ${JSON.stringify(res.body)}`);
    ids.push(res.body.data!.createMeeting.meetingId);
  }
  return ids;
}
