import type { GraphqlRequest } from './graphql-client';

/** The fields a write's answer and the checker's reads compare: enough to tell writes apart. */
const STATE = 'meetingId version notes statusCode';

export const CREATE = `mutation Create($input: MeetingInput!) {
  createMeeting(input: $input) { meetingId meeting { ${STATE} } }
}`;

export const UPDATE = `mutation Update($meetingId: UUID!, $input: MeetingInput!, $expectedVersion: Int) {
  updateMeeting(meetingId: $meetingId, input: $input, expectedVersion: $expectedVersion) { meeting { ${STATE} } }
}`;

export const DELETE = `mutation Delete($meetingId: UUID!, $expectedVersion: Int) {
  deleteMeeting(meetingId: $meetingId, expectedVersion: $expectedVersion) { meetingId }
}`;

export const READ = `query Read($meetingId: UUID!) { meeting(meetingId: $meetingId) { ${STATE} } }`;

export const PAGE = `query Page($after: String) {
  meetingsConnection(first: 100, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { ${STATE} }
  }
}`;

export const FIND = `query Find($text: String!) {
  meetings(filter: { freeTextSearch: $text }, size: 10) { totalCount meetings { ${STATE} } }
}`;

const UPSERT_PARTIES = `mutation Parties($input: [PartyInput!]!) { upsertParties(input: $input) { partyId } }`;
const UPSERT_AGENTS = `mutation Agents($input: [AgentInput!]!) { upsertAgents(input: $input) { agentId } }`;

/** A meeting as the checker sees it. */
export interface MeetingState {
  meetingId: string;
  version: number;
  notes: string;
  statusCode: string;
}

/** The run's directory: the parties and agents its meetings name. */
export interface Directory {
  office: string;
  parties: { partyId: string; partyTypeCode: string; partyName: string }[];
  agents: { agentId: string; firstName: string; lastName: string }[];
}

export function directoryRequests(directory: Directory): [GraphqlRequest, string][] {
  return [
    [{ query: UPSERT_PARTIES, variables: { input: directory.parties } }, 'upsertParties'],
    [{ query: UPSERT_AGENTS, variables: { input: directory.agents } }, 'upsertAgents'],
  ];
}

export type MeetingInput = Record<string, unknown>;

/** A valid MeetingInput, as a REST body would be, carrying `notes` (each write's own marker). */
export function meetingInput(directory: Directory, notes: string): MeetingInput {
  return {
    typeCode: 'EVALUATION_VISIT',
    statusCode: 'WAITING',
    parties: directory.parties.map((p) => ({ partyId: p.partyId, partyTypeCode: 'PERSON_PARTY' })),
    visitTime: '2027-03-01T08:00:00Z',
    agencyOfficeId: directory.office,
    agents: directory.agents.map((a) => ({ agentId: a.agentId })),
    sourceTypeCode: 'HOME_PAGE',
    meetingRealty: {
      categoryCode: 'SALE',
      address: { addressLine1: 'Yliopistonkatu 55', postcode: '33100', locality: 'Tampere' },
      managementCharge: 300,
      doorCode: '1234',
    },
    priceEstimate: { value: 185000, currencyCode: 'EUR' },
    notes,
  };
}

export function createRequest(input: MeetingInput): GraphqlRequest {
  return { query: CREATE, variables: { input } };
}

export function updateRequest(
  meetingId: string,
  input: MeetingInput,
  expectedVersion?: number,
): GraphqlRequest {
  return { query: UPDATE, variables: { meetingId, input, expectedVersion } };
}

export function deleteRequest(meetingId: string, expectedVersion?: number): GraphqlRequest {
  return { query: DELETE, variables: { meetingId, expectedVersion } };
}
