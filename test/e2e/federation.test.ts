import { readFileSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { DEMO_OFFICES } from '../../src/demo/demo-data';
import { DELETE_MEETING } from '../support/fixtures';
import { TestGateway } from '../support/gateway';

/**
 * The gateway as a Federation 2 subgraph, composed with a second subgraph by Apollo's real
 * composition and queried through Apollo's real gateway, all over HTTP.
 */

const REALTY_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  scalar UUID
  type Listing { url: String! askingPrice: Int! }
  type Meeting @key(fields: "meetingId") { meetingId: UUID! listing: Listing }
  type Query { featuredMeetings(count: Int!): [Meeting]! }
`;

let gw: TestGateway;
let ids: string[];
let foreignIds: string[];
let deletable: string;
let realty: { url: string; stop(): Promise<void> };
let supergraph: { url: string; stop(): Promise<void> };
let agentA: string;

/** The "realty" subgraph: a listing for every meeting, and a list of featured meetings by key. */
async function startRealty(featured: () => string[]) {
  const server = new ApolloServer({
    schema: buildSubgraphSchema({
      typeDefs: parse(REALTY_SDL),
      resolvers: {
        Query: {
          featuredMeetings: (_: unknown, { count }: { count: number }) =>
            featured()
              .slice(0, count)
              .map((meetingId) => ({ meetingId })),
        },
        Meeting: {
          __resolveReference: (ref: { meetingId: string }) => ({ meetingId: ref.meetingId }),
          listing: (m: { meetingId: string }) => ({
            url: `https://listings.example/${m.meetingId}`,
            askingPrice: 250000,
          }),
        },
      } as never,
    }),
  });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { url, stop: () => server.stop() };
}

async function subgraphSdl(): Promise<string> {
  const res = await gw.fetch('/subgraph', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${gw.adminToken}` },
    body: JSON.stringify({ query: '{ _service { sdl } }' }),
  });
  const body = (await res.json()) as { data: { _service: { sdl: string } } };
  return body.data._service.sdl;
}

async function viaSupergraph<T>(query: string, token: string, variables = {}) {
  const res = await fetch(supergraph.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: token },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: T; errors?: { message: string }[] };
}

async function entities<T>(representations: object[], selection: string, token: string) {
  const res = await gw.fetch('/subgraph', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: token },
    body: JSON.stringify({
      query: `query ($r: [_Any!]!) { _entities(representations: $r) { ${selection} } }`,
      variables: { r: representations },
    }),
  });
  return (await res.json()) as { data?: { _entities: (T | null)[] }; errors?: unknown[] };
}

beforeAll(async () => {
  gw = await TestGateway.start({ demoData: true });
  const page = await gw.gql<{
    meetings: { meetings: { meetingId: string; agencyOfficeId: string; statusCode: string }[] };
  }>('{ meetings(size: 100) { meetings { meetingId agencyOfficeId statusCode } } }');
  const all = page.body.data!.meetings.meetings;
  ids = all.map((m) => m.meetingId);
  foreignIds = all.filter((m) => m.agencyOfficeId !== DEMO_OFFICES[0].id).map((m) => m.meetingId);
  // Only a WAITING meeting can be deleted: the last of office A's on this page, which goes last
  // in `ids` (the tests through the gateway expect null for the last one).
  deletable = all
    .filter((m) => m.agencyOfficeId === DEMO_OFFICES[0].id && m.statusCode === 'WAITING')
    .map((m) => m.meetingId)
    .pop()!;
  ids = [...ids.filter((id) => id !== deletable), deletable];
  agentA = `Bearer ${await gw.token({ subject: 'agent-a', offices: [DEMO_OFFICES[0].id] })}`;
  realty = await startRealty(() => ids);

  const composed = composeServices([
    { name: 'meetings', typeDefs: parse(await subgraphSdl()), url: `${gw.origin}/subgraph` },
    { name: 'realty', typeDefs: parse(REALTY_SDL), url: realty.url },
  ]);
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  const gateway = new ApolloGateway({
    supergraphSdl: composed.supergraphSdl,
    // The caller's token goes on to every subgraph: the meetings subgraph scopes by it.
    buildService: ({ url }) =>
      new RemoteGraphQLDataSource<{ authorization?: string }>({
        url,
        willSendRequest({ request, context }) {
          if (context.authorization)
            request.http?.headers.set('authorization', context.authorization);
        },
      }),
  });
  const server = new ApolloServer<{ authorization?: string }>({ gateway });
  const started = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => ({ authorization: req.headers.authorization }),
  });
  supergraph = { url: started.url, stop: () => server.stop() };
}, 60_000);

afterAll(async () => {
  await supergraph?.stop();
  await realty?.stop();
  await gw.stop();
});

describe('the Federation 2 subgraph', () => {
  it('serves its SDL with @key on Meeting, Party and Agent, as subgraph.graphql holds it', async () => {
    const sdl = await subgraphSdl();
    expect(sdl).toContain('type Meeting implements Node\n  @key(fields: "meetingId")');
    expect(sdl).toContain('type Party\n  @key(fields: "partyId")');
    expect(sdl).toContain('type Agent\n  @key(fields: "agentId")');
    expect(`${sdl}\n`).toBe(
      readFileSync(path.join(__dirname, '..', '..', 'subgraph.graphql'), 'utf8'),
    );
  });

  it('leaves /graphql without federation fields', async () => {
    const res = await gw.gql('{ _service { sdl } }');
    expect(res.status).toBe(400);
    expect(res.body.errors![0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('resolves entity references in order, scoped to the caller: null for foreign, unknown, deleted', async () => {
    const deleted = deletable;
    const removal = await gw.gql(DELETE_MEETING, { meetingId: deleted });
    expect(removal.body.errors).toBeUndefined();
    const own = ids.find((id) => !foreignIds.includes(id) && id !== deleted)!;
    const reps = [
      own,
      foreignIds[0],
      '00000000-0000-4000-8000-000000000000',
      deleted,
      'not-a-uuid',
    ].map((meetingId) => ({ __typename: 'Meeting', meetingId }));
    const res = await entities<{ meetingId: string }>(reps, '... on Meeting { meetingId }', agentA);
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities.map((m) => m?.meetingId ?? null)).toEqual([
      own,
      null,
      null,
      null,
      null,
    ]);
  });

  it('resolves parties and agents for an admin, and for others only those of their offices’ meetings', async () => {
    const res = await gw.gql<{
      a: { meetings: { parties: { partyId: string }[]; agents: { agentId: string }[] }[] };
      b: { meetings: { parties: { partyId: string }[] }[] };
    }>(
      `{ a: meetings(filter: { agencyOfficeId: ["${DEMO_OFFICES[0].id}"] }, size: 1) { meetings { parties { partyId } agents { agentId } } }
         b: meetings(filter: { agencyOfficeId: ["${DEMO_OFFICES[1].id}"] }, size: 100) { meetings { parties { partyId } } } }`,
    );
    const ownMeeting = res.body.data!.a.meetings[0];
    const ownParty = ownMeeting.parties[0].partyId;
    const ownAgent = ownMeeting.agents[0].agentId;
    // A party who appears only in another office's meetings.
    const seenInA = new Set(
      (
        await gw.gql<{ meetings: { meetings: { parties: { partyId: string }[] }[] } }>(
          `{ meetings(filter: { agencyOfficeId: ["${DEMO_OFFICES[0].id}"] }, size: 100) { meetings { parties { partyId } } } }`,
        )
      ).body.data!.meetings.meetings.flatMap((m) => m.parties.map((p) => p.partyId)),
    );
    const foreignParty = res.body
      .data!.b.meetings.flatMap((m) => m.parties.map((p) => p.partyId))
      .find((id) => !seenInA.has(id))!;
    expect(foreignParty).toBeDefined();

    const reps = [
      { __typename: 'Party', partyId: ownParty },
      { __typename: 'Party', partyId: foreignParty },
      { __typename: 'Agent', agentId: ownAgent },
    ];
    const selection = '... on Party { partyId partyName } ... on Agent { agentId lastName }';
    const scoped = await entities<{ partyId?: string; agentId?: string }>(reps, selection, agentA);
    expect(scoped.errors).toBeUndefined();
    expect(scoped.data!._entities.map((e) => e && (e.partyId ?? e.agentId))).toEqual([
      ownParty,
      null,
      ownAgent,
    ]);
    const admin = await entities<{ partyId?: string; agentId?: string }>(
      reps,
      selection,
      `Bearer ${gw.adminToken}`,
    );
    expect(admin.data!._entities.map((e) => e && (e.partyId ?? e.agentId))).toEqual([
      ownParty,
      foreignParty,
      ownAgent,
    ]);
  });

  it('resolves a batch of references with the statements of one batch, whatever its size', async () => {
    const selection =
      '... on Meeting { meetingId statusCode parties { partyName } agents { lastName } }';
    const reps = (n: number) =>
      ids.slice(0, n).map((meetingId) => ({ __typename: 'Meeting', meetingId }));
    const admin = `Bearer ${gw.adminToken}`;
    const five = await gw.countStatements(() => entities(reps(5), selection, admin));
    const fifty = await gw.countStatements(() => entities(reps(50), selection, admin));
    // The meetings with their parties and agents and their names: one statement for the batch.
    expect(fifty).toBe(five);
    expect(fifty).toBe(1);
  });

  it('refuses an _entities call whose cost is over the limit', async () => {
    const reps = ids.map((meetingId) => ({ __typename: 'Meeting', meetingId }));
    const expensive = await TestGateway.start({ limits: { maxCost: 50 } });
    try {
      const res = await expensive.fetch('/subgraph', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${expensive.adminToken}`,
        },
        body: JSON.stringify({
          query:
            'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Meeting { meetingId } } }',
          variables: { r: reps },
        }),
      });
      const body = (await res.json()) as { errors: { message: string }[] };
      expect({ status: res.status, body }).toMatchObject({
        status: 400,
        body: { errors: [{ message: 'The query has cost 100; at most 50 is allowed' }] },
      });
    } finally {
      await expensive.stop();
    }
  });

  it('refuses /subgraph without a token, like /graphql', async () => {
    const res = await fetch(`${gw.origin}/subgraph`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ _service { sdl } }' }),
    });
    expect(res.status).toBe(401);
  });
});

describe('through Apollo Gateway, composed with a second subgraph', () => {
  it('adds the other subgraph’s field to our meetings', async () => {
    const res = await viaSupergraph<{
      meetings: { meetings: { meetingId: string; listing: { url: string } }[] };
    }>(
      '{ meetings(size: 3) { meetings { meetingId listing { url } } } }',
      `Bearer ${gw.adminToken}`,
    );
    expect(res.errors).toBeUndefined();
    const meetings = res.data!.meetings.meetings;
    expect(meetings).toHaveLength(3);
    for (const m of meetings) expect(m.listing.url).toBe(`https://listings.example/${m.meetingId}`);
  });

  it('completes 50 meetings the other subgraph names with our fields, in one _entities batch', async () => {
    const query = `{ featuredMeetings(count: 50) {
      meetingId statusCode visitTime listing { askingPrice } parties { partyName } agents { firstName }
    } }`;
    let res:
      | Awaited<
          ReturnType<
            typeof viaSupergraph<{ featuredMeetings: { meetingId: string; statusCode: string }[] }>
          >
        >
      | undefined;
    const statements = await gw.countStatements(async () => {
      res = await viaSupergraph(query, `Bearer ${gw.adminToken}`);
    });
    expect(res!.errors).toBeUndefined();
    const featured = res!.data!.featuredMeetings;
    expect(featured.map((m) => m.meetingId)).toEqual(ids.slice(0, 50));
    expect(featured.every((m) => typeof m.statusCode === 'string')).toBe(true);
    // The meetings with their parties and agents and their names: one statement for the batch.
    expect(statements).toBe(1);
  });

  it('passes the caller on: another office’s meetings come back as null', async () => {
    const res = await viaSupergraph<{
      featuredMeetings: ({ meetingId: string; statusCode: string } | null)[];
    }>('{ featuredMeetings(count: 100) { meetingId statusCode } }', agentA);
    const featured = res.data!.featuredMeetings;
    const foreign = new Set(foreignIds);
    expect(featured).toHaveLength(100);
    featured.forEach((m, i) => {
      if (foreign.has(ids[i])) expect(m).toBeNull();
      else if (i < ids.length - 1) expect(m?.statusCode).toEqual(expect.any(String));
    });
  });
});
