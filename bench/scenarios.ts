import { COMMON_WORD, RARE_WORD, type DataShape, agentId, meetingId, officeId } from './data';

/**
 * The benchmark's scenarios: GraphQL operations with variables, as a frontend sends them. Both
 * servers get the very same request body; the limit server knows each operation by its name.
 */

export interface Scenario {
  name: string;
  /** What the target table groups it under. */
  kind: 'search' | 'get' | 'write' | 'mix';
  /** Request bodies, sent in turn (one for most; distinct ones for deletes). */
  bodies: string[];
  /** Whether the two servers must answer with the same data (reads). */
  compare: boolean;
}

const PAGE_FIELDS = `meetingId statusCode typeCode visitTime agencyOfficeId
      address { addressLine1 postcode locality }
      parties { partyId partyName phoneNumber }
      agents { agentId firstName lastName }`;

export const SEARCH = `query Search($filter: MeetingFilter, $startIndex: Int, $size: Int) {
  meetings(filter: $filter, startIndex: $startIndex, size: $size) {
    totalCount
    meetings { ${PAGE_FIELDS} }
  }
}`;

export const CONNECTION = `query Connection($first: Int, $after: String) {
  meetingsConnection(first: $first, after: $after) {
    edges { cursor node { ${PAGE_FIELDS} } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const GET = `query Get($meetingId: UUID!) {
  meeting(meetingId: $meetingId) {
    meetingId typeCode statusCode visitTime agencyOfficeId sourceTypeCode notes createdByName
    creationTime modificationTime realtyId
    meetingRealty { title doorCode roomCountCode area { value areaUnitCode } address { addressLine1 postcode locality } }
    priceEstimate { value currencyCode }
    parties { partyId partyTypeCode partyName }
    agents { agentId firstName lastName }
  }
}`;

export const CREATE = `mutation Create($input: MeetingInput!) {
  createMeeting(input: $input) { meetingId }
}`;

export const UPDATE = `mutation Update($meetingId: UUID!, $input: MeetingInput!) {
  updateMeeting(meetingId: $meetingId, input: $input) { meeting { meetingId statusCode } }
}`;

export const DELETE = `mutation Delete($meetingId: UUID!) {
  deleteMeeting(meetingId: $meetingId) { meetingId }
}`;

const body = (operationName: string, query: string, variables: Record<string, unknown>) =>
  JSON.stringify({ operationName, query, variables });

/** A valid MeetingInput in office 0, with directory entries that exist. */
export function meetingInput(people: string[]): Record<string, unknown> {
  return {
    typeCode: 'EVALUATION_VISIT',
    statusCode: 'WAITING',
    parties: people.map((id) => ({ partyId: id, partyTypeCode: 'PERSON_PARTY' })),
    visitTime: '2027-03-01T10:00:00.000Z',
    agencyOfficeId: officeId(0),
    agents: [{ agentId: agentId(0) }],
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
      doorCode: '1234',
    },
    priceEstimate: { value: 250000, currencyCode: 'EUR' },
    notes: 'Benchmark meeting',
  };
}

export interface ScenarioOptions {
  shape: DataShape;
  /** A cursor in the middle of the default sort, made by the gateway. */
  deepCursor: string;
  /** Ids only the delete scenario uses, one per request. */
  deletable: string[];
  /** A meeting the update scenario rewrites (office 0, parties and agents of meetingInput). */
  updatable: string;
  /** Parties of the PERSON_PARTY type, for the meetings the scenarios write. */
  people: string[];
}

/** Opening one meeting, a third of the way into the data: also the probe of a server's start. */
export function getOne(shape: DataShape): Scenario {
  return {
    name: 'get one',
    kind: 'get',
    bodies: [body('Get', GET, { meetingId: meetingId(Math.floor(shape.meetings / 3)) })],
    compare: true,
  };
}

export function scenarios(options: ScenarioOptions): Scenario[] {
  const { shape } = options;
  const search = (name: string, variables: Record<string, unknown>): Scenario => ({
    name,
    kind: 'search',
    bodies: [body('Search', SEARCH, { size: 50, ...variables })],
    compare: true,
  });
  const firstPage = search('first page', {});
  const filtered = search('filtered', {
    filter: {
      statusCode: ['WAITING', 'WON'],
      typeCode: ['EVALUATION_VISIT'],
      agencyOfficeId: [officeId(1), officeId(2)],
    },
  });
  const rare = search('free text, rare word', { filter: { freeTextSearch: RARE_WORD } });
  const common = search('free text, common word', { filter: { freeTextSearch: COMMON_WORD } });
  const deepOffset = search('deep offset page', { startIndex: Math.floor(shape.meetings / 2) });
  const deepCursor: Scenario = {
    name: 'deep cursor page',
    kind: 'search',
    bodies: [body('Connection', CONNECTION, { first: 50, after: options.deepCursor })],
    compare: true,
  };
  const get = getOne(shape);
  const create: Scenario = {
    name: 'create',
    kind: 'write',
    bodies: [body('Create', CREATE, { input: meetingInput(options.people) })],
    compare: false,
  };
  const update: Scenario = {
    name: 'update',
    kind: 'write',
    bodies: [
      body('Update', UPDATE, { meetingId: options.updatable, input: meetingInput(options.people) }),
    ],
    compare: false,
  };
  const remove: Scenario = {
    name: 'delete',
    kind: 'write',
    bodies: options.deletable.map((id) => body('Delete', DELETE, { meetingId: id })),
    compare: false,
  };
  // A working day's mix: mostly searching and opening meetings, some writes.
  const mix: Scenario = {
    name: 'mix',
    kind: 'mix',
    bodies: [
      ...Array<string>(8).fill(firstPage.bodies[0]),
      ...Array<string>(4).fill(filtered.bodies[0]),
      common.bodies[0],
      rare.bodies[0],
      ...Array<string>(4).fill(get.bodies[0]),
      create.bodies[0],
      update.bodies[0],
    ],
    compare: false,
  };
  return [
    firstPage,
    filtered,
    rare,
    common,
    deepOffset,
    deepCursor,
    get,
    create,
    update,
    remove,
    mix,
  ];
}
