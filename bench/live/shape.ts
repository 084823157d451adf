/**
 * What the live bench sends and expects, shared by the load generator and the fan-out baseline:
 * the subscription, the writes, the offices, and which subscriber sees which office.
 */

/** The four offices the writer spreads its writes over, in turn. */
export const OFFICES = [1, 2, 3, 4].map((i) => `1ce00000-0000-4000-8000-00000000000${i}`);

export const PARTIES = [
  { partyId: '1ce0a000-0000-4000-8000-000000000001', partyTypeCode: 'PERSON_PARTY' },
  { partyId: '1ce0a000-0000-4000-8000-000000000002', partyTypeCode: 'PERSON_PARTY' },
];
export const AGENT_ID = '1ce0b000-0000-4000-8000-000000000001';

/** What a subscriber asks for: the shape of a calendar view's update. */
export const SUBSCRIPTION = `subscription Live($offices: [UUID!]) {
  meetingChanged(agencyOfficeIds: $offices) {
    op meetingId agencyOfficeId version changedAt cursor
    meeting { meetingId statusCode visitTime version notes }
  }
}`;

export const CREATE = `mutation Create($input: MeetingInput!) {
  createMeeting(input: $input) { meeting { meetingId version } }
}`;

export const UPDATE = `mutation Update($meetingId: UUID!, $input: MeetingInput!) {
  updateMeeting(meetingId: $meetingId, input: $input) { meeting { meetingId version } }
}`;

export const UPSERT_PARTIES = `mutation Parties($input: [PartyInput!]!) { upsertParties(input: $input) { partyId } }`;
export const UPSERT_AGENTS = `mutation Agents($input: [AgentInput!]!) { upsertAgents(input: $input) { agentId } }`;

export function directoryBodies(): string[] {
  const parties = PARTIES.map((p, i) => ({ ...p, partyName: `Asiakas ${i + 1}` }));
  const agents = [{ agentId: AGENT_ID, firstName: 'Maria', lastName: 'Mäkinen' }];
  return [
    JSON.stringify({ query: UPSERT_PARTIES, variables: { input: parties } }),
    JSON.stringify({ query: UPSERT_AGENTS, variables: { input: agents } }),
  ];
}

/** A valid MeetingInput of `office`; `notes` tells the writes apart. */
export function meetingInput(office: string, notes: string): Record<string, unknown> {
  return {
    typeCode: 'EVALUATION_VISIT',
    statusCode: 'WAITING',
    parties: PARTIES,
    visitTime: '2027-06-01T10:00:00.000Z',
    agencyOfficeId: office,
    agents: [{ agentId: AGENT_ID }],
    sourceTypeCode: 'HOME_PAGE',
    meetingRealty: {
      title: '3h, k, s',
      roomCountCode: '3H',
      address: {
        addressLine1: 'Mannerheimintie 12',
        postcode: '00100',
        locality: 'Helsinki',
        countryCode: 'FI',
      },
      area: { value: 72.5, areaUnitCode: 'M2' },
    },
    notes,
  };
}

/** Who a subscriber is: its token and its subscription's agencyOfficeIds. */
export interface SubscriberKind {
  label: 'admin, all offices' | 'admin, two offices' | 'office token';
  /** null: an admin token; else the offices of the token. */
  tokenOffices: string[] | null;
  /** The subscription's agencyOfficeIds; null: none given (all the token allows). */
  filter: string[] | null;
  /** The offices whose changes it must get, all of them: null. */
  sees: Set<string> | null;
}

/**
 * Subscriber i: one in five an admin watching everything (subscriber 0 is one), one in five an
 * admin watching two offices, three in five an office-scoped token of one office (no filter).
 */
export function subscriberKind(i: number): SubscriberKind {
  const office = (k: number) => OFFICES[k % OFFICES.length];
  if (i % 5 === 0)
    return { label: 'admin, all offices', tokenOffices: null, filter: null, sees: null };
  if (i % 5 === 1) {
    const two = [office(i), office(i + 1)];
    return { label: 'admin, two offices', tokenOffices: null, filter: two, sees: new Set(two) };
  }
  const one = [office(i)];
  return { label: 'office token', tokenOffices: one, filter: null, sees: new Set(one) };
}

export function sees(kind: SubscriberKind, office: string): boolean {
  return kind.sees === null || kind.sees.has(office);
}

/** A write and the event it must cause: a meeting at a version. */
export const eventKey = (meetingId: string, version: number) => `${meetingId}:${version}`;
