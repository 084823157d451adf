import { randomUUID } from 'node:crypto';
import type { TestGateway } from './gateway';

/** Small factories for the directory and meetings, going through the public API. */

export const OFFICE_A = '0a0a0a0a-0000-4000-8000-00000000000a';
export const OFFICE_B = '0b0b0b0b-0000-4000-8000-00000000000b';

export interface PartyFixture {
  partyId: string;
  partyTypeCode: string;
  partyName: string;
  emailAddress: string | null;
  phoneNumber: string | null;
}

export interface AgentFixture {
  agentId: string;
  firstName: string;
  lastName: string;
}

export const UPSERT_PARTIES = `mutation ($input: [PartyInput!]!) {
  upsertParties(input: $input) { partyId partyTypeCode partyName emailAddress phoneNumber }
}`;

export const UPSERT_AGENTS = `mutation ($input: [AgentInput!]!) {
  upsertAgents(input: $input) { agentId firstName lastName }
}`;

export function party(overrides: Partial<PartyFixture> = {}): PartyFixture {
  return {
    partyId: randomUUID(),
    partyTypeCode: 'PERSON_PARTY',
    partyName: 'Matti Virtanen',
    emailAddress: 'matti.virtanen@example.fi',
    phoneNumber: '0401234567',
    ...overrides,
  };
}

export function agent(overrides: Partial<AgentFixture> = {}): AgentFixture {
  return { agentId: randomUUID(), firstName: 'Maria', lastName: 'Mäkinen', ...overrides };
}

export async function addParties(
  gw: TestGateway,
  ...parties: PartyFixture[]
): Promise<PartyFixture[]> {
  const res = await gw.gql(UPSERT_PARTIES, { input: parties });
  if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
  return parties;
}

export async function addAgents(
  gw: TestGateway,
  ...agents: AgentFixture[]
): Promise<AgentFixture[]> {
  const res = await gw.gql(UPSERT_AGENTS, { input: agents });
  if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
  return agents;
}

/** A valid MeetingInput, exactly as a REST body would be, for the given directory entries. */
export function meetingInput(
  parties: PartyFixture[],
  agents: AgentFixture[],
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    typeCode: 'SALES_MEETING',
    statusCode: 'WAITING',
    parties: parties.map((p) => ({ partyId: p.partyId, partyTypeCode: p.partyTypeCode })),
    realtyId: '123e4567-e89b-12d3-a456-426655440000',
    visitTime: '2026-12-31T23:59:59Z',
    agencyOfficeId: OFFICE_A,
    agents: agents.map((a) => ({ agentId: a.agentId })),
    sourceTypeCode: 'ETUOVI',
    meetingRealty: {
      categoryCode: 'SALE',
      subCategoryCode: 'SHARE',
      propertyTypeCode: 'RESIDENTIAL',
      residentialTypeCode: 'APARTMENT_HOUSE',
      plotPropertyTypeCode: 'HOLIDAY_PLOT',
      estatePropertyTypeCode: 'ARABLE',
      otherShareTypeCode: 'GARAGE',
      commercialPropertyTypeCode: 'OFFICE_SPACE',
      address: {
        addressLine1: 'Yliopistonkatu 55',
        addressLine2: 'string',
        stairwell: 'C',
        apartmentNumber: '55',
        district: 'Hervanta',
        districtCode: 'FI_PIRKANMAA_TAMPERE_HERVANTA',
        region: 'Pirkanmaa',
        regionCode: 'FI_PIRKANMAA',
        postcode: '33100',
        postalArea: 'Tampere',
        locality: 'Tampere',
        localityCode: 'FI_PIRKANMAA_TAMPERE',
        country: 'Suomi',
        countryCode: 'FI',
      },
      area: { value: 2.3, areaUnitCode: 'M2' },
      floorLevel: 3,
      roomCountCode: '3H',
      managementCharge: 300,
      constructionYear: 1990,
      doorCode: '1234',
      title: '2h, k, s, wc',
      features: ['BALCONY'],
    },
    priceEstimate: { value: 100000, currencyCode: 'EUR' },
    notes: 'string',
    ...overrides,
  };
}

export const MEETING_FIELDS = `meetingId typeCode statusCode realtyId visitTime agencyOfficeId sourceTypeCode notes
  createdByName creationTime modificationTime
  parties { partyId partyTypeCode partyName emailAddress phoneNumber }
  agents { agentId firstName lastName }
  address { addressLine1 locality }
  priceEstimate { value currencyCode }
  meetingRealty {
    categoryCode subCategoryCode propertyTypeCode residentialTypeCode plotPropertyTypeCode
    estatePropertyTypeCode otherShareTypeCode commercialPropertyTypeCode floorLevel roomCountCode
    managementCharge constructionYear doorCode title features
    area { value areaUnitCode }
    address { addressLine1 addressLine2 stairwell apartmentNumber district districtCode region regionCode
      postcode postalArea locality localityCode country countryCode }
  }`;

export const CREATE_MEETING = `mutation ($input: MeetingInput!) {
  createMeeting(input: $input) { meetingId meeting { ${MEETING_FIELDS} } }
}`;

export const UPDATE_MEETING = `mutation ($meetingId: UUID!, $input: MeetingInput!) {
  updateMeeting(meetingId: $meetingId, input: $input) { meeting { ${MEETING_FIELDS} } }
}`;

export const DELETE_MEETING = `mutation ($meetingId: UUID!) { deleteMeeting(meetingId: $meetingId) { meetingId } }`;

export const GET_MEETING = `query ($meetingId: UUID!) { meeting(meetingId: $meetingId) { ${MEETING_FIELDS} } }`;

/** Creates a meeting and returns its id; fails the test on any error. */
export async function createMeeting(
  gw: TestGateway,
  input: Record<string, unknown>,
): Promise<string> {
  const res = await gw.gql<{ createMeeting: { meetingId: string } }>(CREATE_MEETING, { input });
  if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
  return res.body.data!.createMeeting.meetingId;
}

/** A directory with two parties and two agents, ready for meetings. */
export async function smallDirectory(
  gw: TestGateway,
): Promise<{ parties: PartyFixture[]; agents: AgentFixture[] }> {
  const parties = await addParties(
    gw,
    party({
      partyName: 'Matti Virtanen',
      emailAddress: 'matti@example.fi',
      phoneNumber: '0401111111',
    }),
    party({
      partyName: 'Äijälän Kuolinpesä',
      partyTypeCode: 'ESTATE_PARTY',
      emailAddress: null,
      phoneNumber: null,
    }),
  );
  const agents = await addAgents(
    gw,
    agent({ firstName: 'Maria', lastName: 'Mäkinen' }),
    agent({ firstName: 'Jari', lastName: 'Korhonen' }),
  );
  return { parties, agents };
}
