import { mintToken } from '../../../src/auth/tokens';
import { loadConfig } from '../../../src/config';
import {
  type AgentFixture,
  CREATE_MEETING,
  DELETE_MEETING,
  GET_MEETING,
  UPDATE_MEETING,
  UPSERT_AGENTS,
  UPSERT_PARTIES,
  type PartyFixture,
  agent,
  meetingInput,
  party,
} from '../../support/fixtures';
import { TEST_AUDIENCE, TEST_ISSUER, TEST_SECRET } from '../../support/gateway';
import { createSchema, dropSchema, schemaUrl } from '../../support/postgres';
import { killGateways, startGateway, waitForReady } from '../../support/process';

// Two gateway processes on one PostgreSQL database, as behind a load balancer: writes through
// both at once, then checks that every acknowledged write is there and no rule was raced past.

interface Reply {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions: { code: string } }[];
}

let schema: string;
let urls: string[];
let token: string;

async function gql(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as Reply;
}

/** Runs `tasks` with at most `width` of them in flight. */
async function inParallel<T>(width: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]();
      }
    }),
  );
  return results;
}

function dataOf(reply: Reply): Record<string, unknown> {
  if (reply.errors) throw new Error(JSON.stringify(reply.errors));
  return reply.data!;
}

/**
 * Races two updates of each of 40 new WAITING meetings (with `original` parties), sent at the same
 * moment through the two instances; then reads each meeting back.
 */
async function raceUpdates(
  original: PartyFixture[],
  other: PartyFixture[],
  inputs: (agents: AgentFixture[]) => [Record<string, unknown>, Record<string, unknown>],
): Promise<{ first: Reply; second: Reply; stored: { statusCode: string; partyIds: string[] } }[]> {
  const agents = [agent()];
  dataOf(await gql(urls[0], UPSERT_PARTIES, { input: [...original, ...other] }));
  dataOf(await gql(urls[0], UPSERT_AGENTS, { input: agents }));
  const ids = await inParallel(
    8,
    Array.from({ length: 40 }, () => async () => {
      const reply = await gql(urls[0], CREATE_MEETING, { input: meetingInput(original, agents) });
      return (dataOf(reply).createMeeting as { meetingId: string }).meetingId;
    }),
  );
  const [firstInput, secondInput] = inputs(agents);
  return Promise.all(
    ids.map(async (meetingId, i) => {
      const [first, second] = await Promise.all([
        gql(urls[i % 2], UPDATE_MEETING, { meetingId, input: firstInput }),
        gql(urls[(i + 1) % 2], UPDATE_MEETING, { meetingId, input: secondInput }),
      ]);
      const meeting = dataOf(await gql(urls[0], GET_MEETING, { meetingId })).meeting as {
        statusCode: string;
        parties: { partyId: string }[];
      };
      const stored = {
        statusCode: meeting.statusCode,
        partyIds: meeting.parties.map((p) => p.partyId),
      };
      return { first, second, stored };
    }),
  );
}

beforeAll(async () => {
  schema = await createSchema();
  const env = {
    PORT: '0',
    DATABASE_URL: schemaUrl(schema),
    DEMO_DATA: 'true',
    DATABASE_POOL_SIZE: '8',
    JWT_SECRET: TEST_SECRET,
    JWT_ISSUER: TEST_ISSUER,
    JWT_AUDIENCE: TEST_AUDIENCE,
    RATE_LIMIT_PER_SECOND: '100000',
    RATE_LIMIT_BURST: '100000',
    LOG_LEVEL: 'info',
  };
  // Started together on an empty schema: one migrates and loads the demo, the other waits.
  const origins = await Promise.all([startGateway(env), startGateway(env)].map(waitForReady));
  urls = origins.map((origin) => (origin.endsWith('/graphql') ? origin : `${origin}/graphql`));
  token = await mintToken(loadConfig(env).auth, { subject: 'race', name: 'Race', admin: true });
}, 60_000);

afterAll(async () => {
  killGateways();
  await dropSchema(schema);
});

describe('two gateway instances on one PostgreSQL database', () => {
  it('load the demo data once', async () => {
    const totals = await Promise.all(
      urls.map((url) => gql(url, '{ meetings(size: 1) { totalCount } }', {})),
    );
    expect(totals.map((t) => dataOf(t))).toEqual([
      { meetings: { totalCount: 200 } },
      { meetings: { totalCount: 200 } },
    ]);
  });

  it('keep every acknowledged create, update and delete made through both at once', async () => {
    const parties = [party(), party({ partyName: 'Liisa Laine' })];
    const agents = [agent()];
    // Directory upserts of the same rows through both instances at once.
    await Promise.all(
      urls.flatMap((url) => [
        gql(url, UPSERT_PARTIES, { input: parties }).then(dataOf),
        gql(url, UPSERT_AGENTS, { input: agents }).then(dataOf),
      ]),
    );
    const input = (notes: string) =>
      meetingInput(parties, agents, {
        notes,
        agencyOfficeId: '0c0c0c0c-0000-4000-8000-00000000000c',
      });

    const created = await inParallel(
      16,
      Array.from({ length: 80 }, (_, i) => async () => {
        const reply = await gql(urls[i % 2], CREATE_MEETING, { input: input(`created ${i}`) });
        return (dataOf(reply).createMeeting as { meetingId: string }).meetingId;
      }),
    );
    expect(new Set(created).size).toBe(80);

    // Each meeting: updated through one instance, or deleted through the other, all at once.
    const outcome = await inParallel(
      16,
      created.map((meetingId, i) => async () => {
        if (i % 3 === 0) {
          dataOf(await gql(urls[(i + 1) % 2], DELETE_MEETING, { meetingId }));
          return { meetingId, deleted: true, notes: null };
        }
        const notes = `updated ${i}`;
        dataOf(await gql(urls[i % 2], UPDATE_MEETING, { meetingId, input: input(notes) }));
        return { meetingId, deleted: false, notes };
      }),
    );

    for (const expected of outcome) {
      const reply = await gql(urls[0], GET_MEETING, { meetingId: expected.meetingId });
      if (expected.deleted) {
        expect(reply.errors?.[0].extensions.code).toBe('GONE');
      } else {
        expect((dataOf(reply).meeting as { notes: string }).notes).toBe(expected.notes);
      }
    }
    const listed = dataOf(
      await gql(
        urls[1],
        'query ($o: [UUID!]) { meetings(filter: { agencyOfficeId: $o }, size: 100) { totalCount meetings { meetingId } } }',
        { o: ['0c0c0c0c-0000-4000-8000-00000000000c'] },
      ),
    ).meetings as { totalCount: number; meetings: { meetingId: string }[] };
    const live = outcome.filter((o) => !o.deleted).map((o) => o.meetingId);
    expect(listed.totalCount).toBe(live.length);
    expect(listed.meetings.map((m) => m.meetingId).sort()).toEqual([...live].sort());
  });

  it('write once for two requests with one Idempotency-Key sent at once through both', async () => {
    const parties = [party()];
    const agents = [agent()];
    dataOf(await gql(urls[0], UPSERT_PARTIES, { input: parties }));
    dataOf(await gql(urls[0], UPSERT_AGENTS, { input: agents }));
    const rounds = await inParallel(
      8,
      Array.from({ length: 40 }, (_, i) => async () => {
        const key = `pair-${i}-${schema}`;
        const variables = { input: meetingInput(parties, agents, { notes: `[keyed ${i}]` }) };
        const replies = await Promise.all(
          urls.map((url) => gql(url, CREATE_MEETING, variables, { 'Idempotency-Key': key })),
        );
        return { i, replies };
      }),
    );
    for (const { i, replies } of rounds) {
      // Each answer is the write, its replay, or "still running"; never a second meeting.
      const ids = replies
        .filter((r) => !r.errors)
        .map((r) => (r.data!.createMeeting as { meetingId: string }).meetingId);
      const codes = replies.filter((r) => r.errors).map((r) => r.errors![0].extensions.code);
      expect(codes.every((c) => c === 'IDEMPOTENCY_KEY_IN_USE')).toBe(true);
      expect(new Set(ids).size).toBe(1);
      const found = await gql(
        urls[i % 2],
        `query ($q: String) { meetings(filter: { freeTextSearch: $q }, size: 100) { meetings { notes } } }`,
        { q: `[keyed ${i}]` },
      );
      const { meetings } = dataOf(found).meetings as { meetings: { notes: string }[] };
      expect(meetings.filter((m) => m.notes === `[keyed ${i}]`)).toHaveLength(1);
    }
  });

  it('never let a WON meeting end up with changed parties when the two updates race', async () => {
    const original = [party({ partyName: 'Alkuperäinen Osapuoli' })];
    const other = [party({ partyName: 'Uusi Osapuoli' })];
    // Sent at the same moment: one instance moves it to WON, the other changes its parties.
    const raced = await raceUpdates(original, other, (agents) => [
      meetingInput(original, agents, { statusCode: 'WON' }),
      meetingInput(other, agents),
    ]);
    for (const { first: won, second: changed, stored } of raced) {
      // The move to WON never fails: from WAITING it is allowed, and after the party change too.
      expect(won.errors).toBeUndefined();
      if (changed.errors) {
        // The party change came second and saw the WON meeting.
        expect(changed.errors[0].extensions.code).toBe('INVALID_STATUS');
      }
      // Either way the meeting is WON with the parties the WON update gave it: had both read
      // WAITING and both written, the party change would have overwritten the WON meeting.
      expect(stored.statusCode).toBe('WON');
      expect(stored.partyIds).toEqual(original.map((p) => p.partyId));
    }
  });

  it('check each of two racing updates against the parties the other committed', async () => {
    const original = [party({ partyName: 'Ensimmäinen Osapuoli' })];
    const other = [party({ partyName: 'Toinen Osapuoli' })];
    // Sent at the same moment from WAITING: one closes it as WON with other parties, the other as
    // LOST with its own. Whichever commits second finds a closed meeting whose parties it would
    // change: refused, whatever the order.
    const raced = await raceUpdates(original, other, (agents) => [
      meetingInput(other, agents, { statusCode: 'WON' }),
      meetingInput(original, agents, { statusCode: 'LOST' }),
    ]);
    for (const { first: won, second: lost, stored } of raced) {
      const refused = [won, lost].filter((r) => r.errors);
      expect(refused.map((r) => r.errors![0].extensions.code)).toEqual(['INVALID_STATUS']);
      const [status, parties] = won.errors ? ['LOST', original] : ['WON', other];
      expect(stored.statusCode).toBe(status);
      expect(stored.partyIds).toEqual(parties.map((p) => p.partyId));
    }
  });

  it('keep the free-text index right when a rename and updates of the same meetings race', async () => {
    const renamed = party({ partyName: 'Nimi alku' });
    const agents = [agent()];
    dataOf(await gql(urls[0], UPSERT_PARTIES, { input: [renamed] }));
    dataOf(await gql(urls[0], UPSERT_AGENTS, { input: agents }));
    const office = '0e0e0e0e-0000-4000-8000-00000000000e';
    const ids = await inParallel(
      4,
      Array.from({ length: 6 }, () => async () => {
        const reply = await gql(urls[0], CREATE_MEETING, {
          input: meetingInput([renamed], agents, { agencyOfficeId: office }),
        });
        return (dataOf(reply).createMeeting as { meetingId: string }).meetingId;
      }),
    );
    for (let round = 0; round < 15; round++) {
      const replies = await Promise.all([
        gql(urls[round % 2], UPSERT_PARTIES, {
          input: [{ ...renamed, partyName: `Nimi kierros${round}` }],
        }),
        ...ids.map((meetingId) =>
          gql(urls[(round + 1) % 2], UPDATE_MEETING, {
            meetingId,
            input: meetingInput([renamed], agents, {
              agencyOfficeId: office,
              notes: `kierros ${round}`,
            }),
          }),
        ),
      ]);
      expect(replies.filter((r) => r.errors)).toEqual([]);
    }
    const found = async (text: string) =>
      (
        dataOf(
          await gql(
            urls[0],
            'query ($t: String, $o: [UUID!]) { meetings(filter: { freeTextSearch: $t, agencyOfficeId: $o }) { totalCount } }',
            { t: text, o: [office] },
          ),
        ).meetings as { totalCount: number }
      ).totalCount;
    expect(await found('kierros14')).toBe(ids.length);
    expect(await found('kierros13')).toBe(0);
    expect(await found('alku')).toBe(0);
  });
});
