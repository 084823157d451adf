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
  /** Whose token it is sent with: an admin (every office) or an agent of two offices. */
  caller: Caller;
}

export type Caller = 'admin' | 'office';

/** The offices of the office-scoped caller: office 0 (Helsinki: the common word) and office 1. */
export const CALLER_OFFICES = [officeId(0), officeId(1)];

const PAGE_FIELDS = `meetingId statusCode typeCode visitTime agencyOfficeId
      address { addressLine1 postcode locality }
      parties { partyId partyName phoneNumber }
      agents { agentId firstName lastName }`;

export const SEARCH = `query Search($filter: MeetingFilter, $sort: [MeetingSort!], $startIndex: Int, $size: Int) {
  meetings(filter: $filter, sort: $sort, startIndex: $startIndex, size: $size) {
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
  /** Cursors in the middle of the default sort, as each caller sees it. */
  deepCursor: Record<Caller, string>;
  /** Live meetings each caller sees. */
  visible: Record<Caller, number>;
  /** Ids only the delete scenarios use, one per request: each caller's own. */
  deletable: Record<Caller, string[]>;
  /** A meeting the update scenario rewrites (office 0, parties and agents of meetingInput). */
  updatable: string;
  /** Parties of the PERSON_PARTY type, for the meetings the scenarios write. */
  people: string[];
}

/** Opening one meeting, a third of the way into the data (in office 0): also a server's probe. */
export function getOne(shape: DataShape, caller: Caller = 'admin'): Scenario {
  const third = Math.floor(shape.meetings / 3);
  return {
    name: named('get one', caller),
    kind: 'get',
    bodies: [body('Get', GET, { meetingId: meetingId(third - (third % shape.offices)) })],
    compare: true,
    caller,
  };
}

/** Whether each request of the scenario uses up its body (deletes): sent once each, in turn. */
export const consumesBodies = (s: Scenario) => s.kind === 'write' && s.name.startsWith('delete');

const named = (name: string, caller: Caller) => (caller === 'admin' ? name : `${name} (office)`);

/** A month of visits, for the range scenario. */
const RANGE = {
  visitTimeAfter: '2026-09-01T00:00:00.000Z',
  visitTimeBefore: '2026-10-01T00:00:00.000Z',
};

/** Every scenario, once for the admin and once for the office-scoped caller. */
export function scenarios(options: ScenarioOptions): Scenario[] {
  const admin = callerScenarios(options, 'admin');
  const office = callerScenarios(options, 'office');
  return [
    ...admin.filter((s) => s.kind !== 'write' && s.kind !== 'mix'),
    ...office.filter((s) => s.kind !== 'write' && s.kind !== 'mix'),
    ...admin.filter((s) => s.kind === 'write' || s.kind === 'mix'),
    ...office.filter((s) => s.kind === 'write' || s.kind === 'mix'),
  ];
}

function callerScenarios(options: ScenarioOptions, caller: Caller): Scenario[] {
  const { shape } = options;
  const search = (name: string, variables: Record<string, unknown>): Scenario => ({
    name: named(name, caller),
    kind: 'search',
    bodies: [body('Search', SEARCH, { size: 50, ...variables })],
    compare: true,
    caller,
  });
  const firstPage = search('first page', {});
  const filtered = search('filtered', {
    filter: {
      statusCode: ['WAITING', 'WON'],
      typeCode: ['EVALUATION_VISIT'],
      agencyOfficeId: [officeId(1), officeId(2)],
    },
  });
  const range = search('visit-time range', { filter: RANGE });
  const rare = search('free text, rare word', { filter: { freeTextSearch: RARE_WORD } });
  const common = search('free text, common word', { filter: { freeTextSearch: COMMON_WORD } });
  const mixed = search('mixed-direction order', {
    sort: [
      { field: 'STATUS_CODE', direction: 'ASC' },
      { field: 'VISIT_TIME', direction: 'DESC' },
    ],
  });
  const deepOffset = search('deep offset page', {
    startIndex: Math.floor(options.visible[caller] / 2),
  });
  const deepCursor: Scenario = {
    name: named('deep cursor page', caller),
    kind: 'search',
    bodies: [body('Connection', CONNECTION, { first: 50, after: options.deepCursor[caller] })],
    compare: true,
    caller,
  };
  const get = getOne(shape, caller);
  const create: Scenario = {
    name: named('create', caller),
    kind: 'write',
    bodies: [body('Create', CREATE, { input: meetingInput(options.people) })],
    compare: false,
    caller,
  };
  const update: Scenario = {
    name: named('update', caller),
    kind: 'write',
    bodies: [
      body('Update', UPDATE, { meetingId: options.updatable, input: meetingInput(options.people) }),
    ],
    compare: false,
    caller,
  };
  const remove: Scenario = {
    name: named('delete', caller),
    kind: 'write',
    bodies: options.deletable[caller].map((id) => body('Delete', DELETE, { meetingId: id })),
    compare: false,
    caller,
  };
  // A working day's mix: mostly searching and opening meetings, some writes.
  const mix: Scenario = {
    name: named('mix', caller),
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
    caller,
  };
  return [
    firstPage,
    filtered,
    range,
    rare,
    common,
    mixed,
    deepOffset,
    deepCursor,
    get,
    create,
    update,
    remove,
    mix,
  ];
}
