import { randomUUID } from 'node:crypto';
import { createClient, isGatewayError, type Request } from './client';
import type { MeetingInput, MeetingRowFragment } from './gql/graphql';
import { toMeetingInput } from './meeting-input';
import {
  CreateMeeting,
  DeleteMeeting,
  GetMeeting,
  MeetingsPage,
  SearchMeetings,
  UpdateMeeting,
} from './operations';

// npm run demo: each typed operation once against a running gateway, with a line on what came
// back. Any answer other than the expected one ends it with exit code 1.
//   GATEWAY_URL    the GraphQL endpoint (default http://localhost:4000/graphql)
//   GATEWAY_TOKEN  a bearer token whose offices have at least one WAITING meeting

class Unexpected extends Error {}

function expect(condition: unknown, what: string): asserts condition {
  if (!condition) throw new Unexpected(what);
}

function row(m: MeetingRowFragment): string {
  const where = [m.address?.addressLine1, m.address?.locality].filter(Boolean).join(', ');
  const who = m.parties.map((p) => p.partyName).join(' & ');
  return `${m.visitTime}  ${m.statusCode.padEnd(9)} ${m.typeCode.padEnd(16)} ${where} (${who})`;
}

async function searchPage(request: Request): Promise<string> {
  const { data } = await request(SearchMeetings, {
    filter: { statusCode: ['WAITING'] },
    sort: [{ field: 'VISIT_TIME', direction: 'ASC' }],
    size: 5,
  });
  const { totalCount, meetings } = data.meetings;
  console.log(`search: ${totalCount} WAITING meetings, the first ${meetings.length}:`);
  for (const m of meetings) console.log(`  ${row(m)}`);
  expect(meetings.length > 0, 'the token sees no WAITING meeting: nothing to read or copy');
  return meetings[0].meetingId;
}

async function connectionPages(request: Request): Promise<void> {
  const filter = { statusCode: ['WAITING' as const] };
  const first = await request(MeetingsPage, { filter, first: 3 });
  const { edges, pageInfo } = first.data.meetingsConnection;
  console.log(`connection: first page of ${edges.length}, hasNextPage ${pageInfo.hasNextPage}`);
  if (!pageInfo.hasNextPage) return;
  expect(pageInfo.endCursor, 'a page with a next page has an endCursor');
  const next = await request(MeetingsPage, { filter, first: 3, after: pageInfo.endCursor });
  const seen = new Set(edges.map((e) => e.node.meetingId));
  const nextIds = next.data.meetingsConnection.edges.map((e) => e.node.meetingId);
  console.log(`  after ${pageInfo.endCursor.slice(0, 12)}…: ${nextIds.length} more`);
  expect(nextIds.length > 0, 'the page after a hasNextPage page is empty');
  expect(!nextIds.some((id) => seen.has(id)), 'the next page repeats a meeting');
}

async function main(): Promise<void> {
  const url = process.env.GATEWAY_URL || 'http://localhost:4000/graphql';
  const token = process.env.GATEWAY_TOKEN;
  if (!token) throw new Unexpected('set GATEWAY_TOKEN to a bearer token (see README)');
  const request = createClient({ url, token });
  console.log(`gateway: ${url}`);

  // Reads: a search page, a connection page and the next one, one meeting.
  const firstId = await searchPage(request);
  await connectionPages(request);
  const got = (await request(GetMeeting, { meetingId: firstId })).data.meeting;
  expect(got, `meeting ${firstId} from the search is not there`);
  console.log(
    `get: ${got.meetingId} version ${got.version}, door code ${got.meetingRealty.doorCode ?? '-'}`,
  );

  // Create a meeting like it (same office, parties and agents), a week later, with a key...
  const visit = new Date(Date.parse(got.visitTime) + 7 * 24 * 3600 * 1000).toISOString();
  const input: MeetingInput = {
    ...toMeetingInput(got),
    statusCode: 'WAITING',
    visitTime: visit,
    notes: 'Created by the typed client example',
  };
  const key = randomUUID();
  const created = await request(CreateMeeting, { input }, { idempotencyKey: key });
  const meetingId = created.data.createMeeting.meetingId;
  console.log(`create: ${meetingId} (Idempotency-Key ${key}), replayed ${created.replayed}`);
  expect(!created.replayed, 'a fresh key was answered as a replay');
  expect(created.data.createMeeting.meeting.version === 1, 'a new meeting is not at version 1');

  // ...and retry it with the same key, as after a lost answer: the same meeting, not a second one.
  const retried = await request(CreateMeeting, { input }, { idempotencyKey: key });
  console.log(
    `  retry with the same key: ${retried.data.createMeeting.meetingId}, replayed ${retried.replayed}`,
  );
  expect(retried.replayed, 'the retry was not answered with Idempotent-Replayed: true');
  expect(retried.data.createMeeting.meetingId === meetingId, 'the retry made another meeting');

  // Update what we saw (version 1), then try again with that now stale version.
  const edited = { ...input, notes: 'Customer asked for an estimate before spring.' };
  const updated = await request(UpdateMeeting, { meetingId, input: edited, expectedVersion: 1 });
  const version = updated.data.updateMeeting.meeting.version;
  console.log(`update with expectedVersion 1: now version ${version}`);
  expect(version === 2, `the update left version ${version}, not 2`);
  try {
    await request(UpdateMeeting, { meetingId, input, expectedVersion: 1 });
    throw new Unexpected('an update with a stale expectedVersion was applied');
  } catch (error) {
    if (!isGatewayError(error, 'CONFLICT')) throw error;
    const item = error.items.find((i) => i.target === 'expectedVersion');
    console.log(
      `  again with expectedVersion 1: ${error.code} (${error.status}): ${item?.message}`,
    );
    expect(item, 'the CONFLICT has no item on expectedVersion');
  }

  // Leave the gateway as it was.
  await request(DeleteMeeting, { meetingId, expectedVersion: version });
  console.log(`delete with expectedVersion ${version}: done`);
  console.log('typed client example: every answer as expected');
}

main().catch((error: unknown) => {
  if (isGatewayError(error)) {
    console.error(`unexpected ${error.code} (${error.status}): ${error.message}`);
    for (const item of error.items) console.error(`  ${item.target}: ${item.message}`);
    console.error(`  request id ${error.requestId}`);
  } else {
    console.error(error instanceof Unexpected ? `unexpected: ${error.message}` : error);
  }
  process.exitCode = 1;
});
