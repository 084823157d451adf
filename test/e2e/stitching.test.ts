import { buildHTTPExecutor } from '@graphql-tools/executor-http';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { stitchSchemas } from '@graphql-tools/stitch';
import { schemaFromExecutor } from '@graphql-tools/wrap';
import { type GraphQLSchema, graphql } from 'graphql';
import { DEMO_OFFICES } from '../../src/demo/demo-data';
import { TestGateway } from '../support/gateway';

/**
 * The gateway as a remote subschema of graphql-tools' stitching, over HTTP: a second schema names
 * meetings by id, and stitching completes them through meetingsByIds.
 */

let gw: TestGateway;
let ids: string[];
let requests: { body: string }[];

/** A stitched schema over our gateway (as `token`) and a local "follow-up" schema. */
async function stitched(token: string): Promise<GraphQLSchema> {
  const executor = buildHTTPExecutor({
    endpoint: gw.url,
    headers: { authorization: token },
    fetch: async (input, init) => {
      requests.push({ body: String(init?.body) });
      return fetch(input, init);
    },
  });
  const followUps = makeExecutableSchema({
    typeDefs: `
      scalar UUID
      type Meeting { meetingId: UUID! followUpNote: String! }
      type Query {
        followUps(count: Int!): [Meeting!]!
        followUp(meetingId: UUID!): Meeting
      }
    `,
    resolvers: {
      Query: {
        followUps: (_: unknown, { count }: { count: number }) =>
          ids.slice(0, count).map((meetingId) => ({ meetingId })),
        followUp: (_: unknown, { meetingId }: { meetingId: string }) => ({ meetingId }),
      },
      Meeting: { followUpNote: (m: { meetingId: string }) => `Call back about ${m.meetingId}` },
    },
  });
  return stitchSchemas({
    subschemas: [
      {
        schema: await schemaFromExecutor(executor),
        executor,
        merge: {
          Meeting: {
            selectionSet: '{ meetingId }',
            fieldName: 'meetingsByIds',
            key: ({ meetingId }: { meetingId: string }) => meetingId,
            argsFromKeys: (meetingIds: readonly string[]) => ({ meetingIds }),
          },
        },
      },
      {
        schema: followUps,
        merge: {
          Meeting: {
            selectionSet: '{ meetingId }',
            fieldName: 'followUp',
            args: ({ meetingId }: { meetingId: string }) => ({ meetingId }),
          },
        },
      },
    ],
  });
}

beforeAll(async () => {
  gw = await TestGateway.start({ demoData: true });
  const page = await gw.gql<{ meetings: { meetings: { meetingId: string }[] } }>(
    '{ meetings(size: 100) { meetings { meetingId } } }',
  );
  ids = page.body.data!.meetings.meetings.map((m) => m.meetingId);
});
beforeEach(() => {
  requests = [];
});
afterAll(() => gw.stop());

describe('schema stitching over HTTP', () => {
  it('merges 50 meetings named by another schema with one request to the gateway', async () => {
    const schema = await stitched(`Bearer ${gw.adminToken}`);
    requests = []; // the introspection request of schemaFromExecutor is not the merge's
    const result = await graphql({
      schema,
      source: `{ followUps(count: 50) {
        meetingId followUpNote statusCode visitTime parties { partyName } agents { lastName }
      } }`,
    });
    expect(result.errors).toBeUndefined();
    const followUps = (
      result.data as {
        followUps: { meetingId: string; followUpNote: string; statusCode: string }[];
      }
    ).followUps;
    expect(followUps.map((m) => m.meetingId)).toEqual(ids.slice(0, 50));
    for (const m of followUps) {
      expect(m.followUpNote).toBe(`Call back about ${m.meetingId}`);
      expect(m.statusCode).toEqual(expect.any(String));
    }
    expect(requests).toHaveLength(1);
    expect(requests[0].body).toContain('meetingsByIds');
  });

  it('merges the other way: our meetings gain the other schema’s field', async () => {
    const schema = await stitched(`Bearer ${gw.adminToken}`);
    const result = await graphql({
      schema,
      source: '{ meetings(size: 5) { totalCount meetings { meetingId followUpNote } } }',
    });
    expect(result.errors).toBeUndefined();
    const page = (
      result.data as {
        meetings: { totalCount: number; meetings: { meetingId: string; followUpNote: string }[] };
      }
    ).meetings;
    expect(page.totalCount).toBe(200);
    for (const m of page.meetings) expect(m.followUpNote).toBe(`Call back about ${m.meetingId}`);
  });

  it('keeps the caller’s scope: another office’s meetings merge as null, with REST codes passed on', async () => {
    const token = await gw.token({ subject: 'agent-a', offices: [DEMO_OFFICES[0].id] });
    const schema = await stitched(`Bearer ${token}`);
    const own = await gw.gql<{ meetings: { meetings: { meetingId: string }[] } }>(
      `{ meetings(filter: { agencyOfficeId: ["${DEMO_OFFICES[0].id}"] }, size: 100) { meetings { meetingId } } }`,
    );
    const mine = new Set(own.body.data!.meetings.meetings.map((m) => m.meetingId));
    const result = await graphql({
      schema,
      source: '{ followUps(count: 20) { meetingId followUpNote createdByName } }',
    });
    expect(result.errors).toBeUndefined();
    const followUps = (result.data as { followUps: { createdByName: string | null }[] }).followUps;
    const expected = ids.slice(0, 20).map((id) => mine.has(id));
    expect(expected).toContain(true);
    expect(expected).toContain(false);
    // Our fields of a meeting the caller may not see stay empty; the other schema's are there.
    expect(followUps.map((m) => m.createdByName !== null)).toEqual(expected);

    // A non-null field of such a meeting cannot be completed: GraphQL's null propagation.
    const strict = await graphql({
      schema,
      source: '{ followUps(count: 20) { meetingId statusCode } }',
    });
    expect(strict.errors?.[0].message).toBe(
      'Cannot return null for non-nullable field Meeting.statusCode.',
    );

    const invalid = await graphql({
      schema,
      source: '{ meeting(meetingId: "00000000-0000-4000-8000-000000000000") { meetingId } }',
    });
    expect(invalid.errors?.[0].extensions).toMatchObject({ code: 'INVALID_ID', status: 404 });
  });
});
