import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type GraphQLObjectType, buildSchema, printType } from 'graphql';
import { printSubgraph } from '../../src/federation/subgraph';
import { printGatewaySchema } from '../../src/schema-printer';

const root = path.join(__dirname, '..', '..');
const committed = readFileSync(path.join(root, 'schema.graphql'), 'utf8');

describe('schema.graphql', () => {
  it('is exactly what the code builds (run npm run schema after a change, and review the diff)', async () => {
    expect(await printGatewaySchema()).toBe(committed);
  });

  it('subgraph.graphql is exactly the subgraph SDL the code builds', async () => {
    expect(await printSubgraph()).toBe(readFileSync(path.join(root, 'subgraph.graphql'), 'utf8'));
  });

  it('has the binding names of the contract', () => {
    const schema = buildSchema(committed);
    const query = schema.getQueryType()!.getFields();
    const mutation = schema.getMutationType()!.getFields();
    const signature = (field: (typeof query)[string]) =>
      `${field.name}(${field.args.map((a) => `${a.name}: ${String(a.type)}${a.defaultValue !== undefined ? ` = ${String(a.defaultValue)}` : ''}`).join(', ')}): ${String(field.type)}`;
    expect(signature(query.meeting)).toBe('meeting(meetingId: UUID!): Meeting');
    expect(signature(query.meetings)).toBe(
      'meetings(filter: MeetingFilter, sort: [MeetingSort!], startIndex: Int = 0, size: Int = 50): MeetingSearchResult!',
    );
    expect(signature(query.meetingsConnection)).toBe(
      'meetingsConnection(filter: MeetingFilter, sort: [MeetingSort!], first: Int, after: String, last: Int, before: String): MeetingConnection!',
    );
    const fields = (name: string) =>
      Object.keys((schema.getType(name) as GraphQLObjectType).getFields());
    expect(fields('MeetingConnection')).toEqual(['edges', 'nodes', 'pageInfo', 'totalCount']);
    expect(fields('MeetingEdge')).toEqual(['cursor', 'node']);
    expect(fields('PageInfo')).toEqual([
      'hasNextPage',
      'hasPreviousPage',
      'startCursor',
      'endCursor',
    ]);
    expect(signature(mutation.createMeeting)).toBe(
      'createMeeting(input: MeetingInput!): CreateMeetingPayload!',
    );
    expect(signature(mutation.updateMeeting)).toBe(
      'updateMeeting(meetingId: UUID!, input: MeetingInput!, expectedVersion: Int): UpdateMeetingPayload!',
    );
    expect(signature(mutation.deleteMeeting)).toBe(
      'deleteMeeting(meetingId: UUID!, expectedVersion: Int): DeleteMeetingPayload!',
    );
    expect(signature(mutation.upsertParties)).toBe(
      'upsertParties(input: [PartyInput!]!): [Party!]!',
    );
    expect(signature(mutation.upsertAgents)).toBe('upsertAgents(input: [AgentInput!]!): [Agent!]!');
    expect(printType(schema.getType('MeetingSortField')!)).toContain(
      'VISIT_TIME\n  CREATION_TIME\n  MODIFICATION_TIME\n  STATUS_CODE\n  TYPE_CODE\n  SOURCE_TYPE_CODE',
    );
    const meeting = Object.keys((schema.getType('Meeting') as GraphQLObjectType).getFields());
    expect(meeting.sort()).toEqual(
      [
        'id',
        'meetingId',
        'typeCode',
        'statusCode',
        'parties',
        'realtyId',
        'visitTime',
        'agencyOfficeId',
        'agents',
        'sourceTypeCode',
        'meetingRealty',
        'priceEstimate',
        'notes',
        'address',
        'createdByName',
        'creationTime',
        'modificationTime',
        'version',
      ].sort(),
    );
    expect(String(schema.getType('UUID'))).toBe('UUID');
    expect(String(schema.getType('DateTime'))).toBe('DateTime');
  });
});
