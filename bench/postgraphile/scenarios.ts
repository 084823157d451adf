/**
 * The scenarios PostGraphile 5 can express with the schema it derives (no plugins), each beside
 * the gateway's request for the same rows. What it cannot express without plugins or policies:
 * lists of values in a filter (its `condition` is one value a column), a visit-time range, free
 * text, and office scoping (row-level security with the token's offices).
 */
import { officeId, meetingId } from '../data';
import type { DataShape } from '../data';
import { SEARCH } from '../scenarios';

const NODE = `meetingId statusCode typeCode visitTime agencyOfficeId realty
  meetingPartiesByMeetingId { nodes { partyByPartyId { partyId partyName phoneNumber } } }
  meetingAgentsByMeetingId { nodes { agentByAgentId { agentId firstName lastName } } }`;

const ALL = `query All($first: Int, $offset: Int, $after: Cursor, $orderBy: [MeetingOrderBy!], $condition: MeetingCondition, $count: Boolean! = true) {
  allMeetings(first: $first, offset: $offset, after: $after, orderBy: $orderBy, condition: $condition) {
    totalCount @include(if: $count)
    nodes { ${NODE} }
  }
}`;

const CURSOR_AT = `query CursorAt($offset: Int) {
  allMeetings(first: 1, offset: $offset, orderBy: [VISIT_TIME_DESC, MEETING_ID_DESC], condition: { deletedTime: null }) {
    edges { cursor }
  }
}`;

export const PG_GET = `query Get($meetingId: String!) {
  meetingByMeetingId(meetingId: $meetingId) {
    meetingId typeCode statusCode visitTime agencyOfficeId sourceTypeCode notes createdByName
    creationTime modificationTime realtyId realty doorCode priceEstimateValue priceEstimateCurrencyCode
    meetingPartiesByMeetingId { nodes { partyTypeCode partyByPartyId { partyId partyName } } }
    meetingAgentsByMeetingId { nodes { agentByAgentId { agentId firstName lastName } } }
  }
}`;

const body = (operationName: string, query: string, variables: Record<string, unknown>) =>
  JSON.stringify({ operationName, query, variables });

/** A pair: the gateway's request and PostGraphile's for the same rows. */
export interface Pair {
  name: string;
  gateway: string;
  postgraphile: string;
}

// The gateway breaks ties by meetingId in the direction of the last sort key.
const DEFAULT_ORDER = ['VISIT_TIME_DESC', 'MEETING_ID_DESC'];
const LIVE = { deletedTime: null };

/** The body of a request for PostGraphile's cursor at `offset` of the default order. */
export const cursorAtBody = (offset: number) => body('CursorAt', CURSOR_AT, { offset });

/** The pairs, given the gateway's deep cursor body and PostGraphile's cursor at the same row. */
export function pairs(
  shape: DataShape,
  deepCursor: { gateway: string; postgraphile: string },
): Pair[] {
  const search = (variables: Record<string, unknown>) =>
    body('Search', SEARCH, { size: 50, ...variables });
  const all = (variables: Record<string, unknown>) =>
    body('All', ALL, { first: 50, orderBy: DEFAULT_ORDER, condition: LIVE, ...variables });
  const third = Math.floor(shape.meetings / 3);
  const id = meetingId(third - (third % shape.offices));
  return [
    { name: 'first page', gateway: search({}), postgraphile: all({}) },
    {
      name: 'filtered (one office, status and type)',
      gateway: search({
        filter: {
          statusCode: ['WAITING'],
          typeCode: ['EVALUATION_VISIT'],
          agencyOfficeId: [officeId(1)],
        },
      }),
      postgraphile: all({
        condition: {
          ...LIVE,
          statusCode: 'WAITING',
          typeCode: 'EVALUATION_VISIT',
          agencyOfficeId: officeId(1),
        },
      }),
    },
    {
      name: 'mixed-direction order',
      gateway: search({
        sort: [
          { field: 'STATUS_CODE', direction: 'ASC' },
          { field: 'VISIT_TIME', direction: 'DESC' },
        ],
      }),
      postgraphile: all({ orderBy: ['STATUS_CODE_ASC', 'VISIT_TIME_DESC', 'MEETING_ID_DESC'] }),
    },
    {
      name: 'deep offset page',
      gateway: search({ startIndex: Math.floor(shape.meetings / 2) }),
      postgraphile: all({ offset: Math.floor(shape.meetings / 2) }),
    },
    { name: 'deep cursor page', ...deepCursor },
    {
      name: 'get one',
      gateway: body(
        'Get',
        `query Get($meetingId: UUID!) { meeting(meetingId: $meetingId) { meetingId typeCode statusCode visitTime agencyOfficeId sourceTypeCode notes createdByName creationTime modificationTime realtyId meetingRealty { title doorCode roomCountCode area { value areaUnitCode } address { addressLine1 postcode locality } } priceEstimate { value currencyCode } parties { partyId partyTypeCode partyName } agents { agentId firstName lastName } } }`,
        { meetingId: id },
      ),
      postgraphile: body('Get', PG_GET, { meetingId: id }),
    },
  ];
}

/** The connection body of PostGraphile after `cursor` (the gateway's deep cursor's row). */
export const afterBody = (cursor: string) =>
  body('All', ALL, {
    first: 50,
    after: cursor,
    orderBy: DEFAULT_ORDER,
    condition: LIVE,
    count: false,
  });

/** The meeting ids (and count) an answer holds, from either server: they must agree. */
export function answerIds(json: unknown): { ids: string[]; total: number | null } {
  const data = (json as { data?: Record<string, unknown> }).data ?? {};
  const root = (data.meetings ?? data.allMeetings ?? data.meetingsConnection ?? null) as {
    totalCount?: number;
    meetings?: { meetingId: string }[];
    nodes?: { meetingId: string }[];
    edges?: { node: { meetingId: string } }[];
  } | null;
  const single = (data.meeting ?? data.meetingByMeetingId) as { meetingId: string } | undefined;
  if (single) return { ids: [single.meetingId], total: null };
  if (!root) throw new Error(`no meetings in ${JSON.stringify(json).slice(0, 300)}`);
  const list = root.meetings ?? root.nodes ?? root.edges?.map((e) => e.node) ?? [];
  return { ids: list.map((m) => m.meetingId), total: root.totalCount ?? null };
}
