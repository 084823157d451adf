import {
  type AgentFixture,
  OFFICE_A,
  OFFICE_B,
  type PartyFixture,
  addAgents,
  addParties,
  agent,
  createMeeting,
  meetingInput,
  party,
} from '../support/fixtures';
import { TestGateway } from '../support/gateway';

// A sort by a code, then visit time the other way round, is read as runs, one per value of the
// code: its pages, offset and cursor, forwards and backwards, across the boundaries of the runs,
// with every filter and for a caller of one office, are exactly what a plain ORDER BY gives,
// which this test computes itself from every meeting.

interface Row {
  meetingId: string;
  statusCode: string;
  typeCode: string;
  sourceTypeCode: string;
  agencyOfficeId: string;
  visitTime: string;
  party: number;
  agent: number;
  notes: string;
}
type Sort = {
  field: 'STATUS_CODE' | 'TYPE_CODE' | 'SOURCE_TYPE_CODE' | 'VISIT_TIME';
  direction: 'ASC' | 'DESC';
}[];

const STATUSES = ['WAITING', 'WON', 'LOST', 'CANCELLED'];
const TYPES = ['SALES_MEETING', 'EVALUATION_VISIT'];
const SOURCES = ['ETUOVI', 'OIKOTIE', 'CHATBOT'];
const rows: Row[] = [];
let gw: TestGateway;
let parties: PartyFixture[];
let agents: AgentFixture[];

beforeAll(async () => {
  gw = await TestGateway.start();
  parties = await addParties(
    gw,
    party({ partyName: 'Matti Virtanen' }),
    party({ partyName: 'Liisa Korhonen' }),
  );
  agents = await addAgents(gw, agent(), agent({ firstName: 'Jari', lastName: 'Nieminen' }));
  for (let i = 0; i < 48; i++) {
    const row = {
      statusCode: STATUSES[i % 4],
      typeCode: TYPES[Math.floor(i / 4) % 2],
      sourceTypeCode: SOURCES[i % 3],
      agencyOfficeId: i % 5 < 3 ? OFFICE_A : OFFICE_B,
      // Three meetings share each visit time, some in the same status: meetingId breaks the tie.
      visitTime: new Date(Date.UTC(2026, 3, 1 + Math.floor(i / 3), 9)).toISOString(),
      party: i % 2,
      agent: Math.floor(i / 2) % 2,
      notes: i % 3 === 0 ? 'Parveke etelään' : 'Sauna',
    };
    const meetingId = await createMeeting(
      gw,
      meetingInput([parties[row.party]], [agents[row.agent]], {
        statusCode: row.statusCode,
        typeCode: row.typeCode,
        sourceTypeCode: row.sourceTypeCode,
        agencyOfficeId: row.agencyOfficeId,
        visitTime: row.visitTime,
        notes: row.notes,
      }),
    );
    rows.push({ ...row, meetingId });
  }
});
afterAll(() => gw.stop());

const FIELD: Record<Sort[number]['field'], keyof Row> = {
  STATUS_CODE: 'statusCode',
  TYPE_CODE: 'typeCode',
  SOURCE_TYPE_CODE: 'sourceTypeCode',
  VISIT_TIME: 'visitTime',
};

/** The plain ORDER BY: each key in code point order, then meetingId in the last key's direction. */
function reference(sort: Sort, pred: (r: Row) => boolean): string[] {
  const keys = [...sort, { field: 'meetingId', direction: sort[sort.length - 1].direction }];
  const value = (r: Row, field: string) =>
    String(field === 'meetingId' ? r.meetingId : r[FIELD[field as Sort[number]['field']]]);
  return rows
    .filter(pred)
    .sort((a, b) => {
      for (const k of keys) {
        const [x, y] = [value(a, k.field), value(b, k.field)];
        if (x !== y) return (x < y ? -1 : 1) * (k.direction === 'ASC' ? 1 : -1);
      }
      return 0;
    })
    .map((r) => r.meetingId);
}

const SEARCH = `query ($filter: MeetingFilter, $sort: [MeetingSort!], $startIndex: Int, $size: Int) {
  meetings(filter: $filter, sort: $sort, startIndex: $startIndex, size: $size) {
    totalCount meetings { meetingId }
  }
}`;
const CONNECTION = `query ($filter: MeetingFilter, $sort: [MeetingSort!], $first: Int, $after: String, $last: Int, $before: String) {
  meetingsConnection(filter: $filter, sort: $sort, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { cursor node { meetingId } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

interface Caller {
  headers: Record<string, string>;
}

async function gql<T>(
  query: string,
  variables: Record<string, unknown>,
  caller: Caller,
): Promise<T> {
  const res = await gw.gql<T>(query, variables, caller.headers);
  if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
  return res.body.data!;
}

/** Every offset page of `size`, in turn, with the totalCount each tells. */
async function offsetPages(variables: Record<string, unknown>, size: number, caller: Caller) {
  const pages: string[][] = [];
  const totals = new Set<number>();
  for (let start = 0; ; start += size) {
    const { meetings } = await gql<{
      meetings: { totalCount: number; meetings: { meetingId: string }[] };
    }>(SEARCH, { ...variables, startIndex: start, size }, caller);
    totals.add(meetings.totalCount);
    if (meetings.meetings.length === 0) break;
    pages.push(meetings.meetings.map((m) => m.meetingId));
    if (meetings.meetings.length < size) break;
  }
  return { pages, totals: [...totals] };
}

interface ConnectionPage {
  totalCount: number;
  edges: { cursor: string; node: { meetingId: string } }[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

/** Every cursor page, forwards from the start with `first`, or backwards from the end with `last`. */
async function cursorPages(
  variables: Record<string, unknown>,
  size: number,
  forward: boolean,
  caller: Caller,
) {
  const pages: string[][] = [];
  let cursor: string | null = null;
  for (;;) {
    const { meetingsConnection: p }: { meetingsConnection: ConnectionPage } = await gql(
      CONNECTION,
      forward
        ? { ...variables, first: size, after: cursor }
        : { ...variables, last: size, before: cursor },
      caller,
    );
    const ids = p.edges.map((e) => e.node.meetingId);
    if (forward) pages.push(ids);
    else pages.unshift(ids);
    // The side the walk came from has pages; the other has them until the last page.
    const [behind, ahead] = forward
      ? [p.pageInfo.hasPreviousPage, p.pageInfo.hasNextPage]
      : [p.pageInfo.hasNextPage, p.pageInfo.hasPreviousPage];
    expect(behind).toBe(cursor !== null);
    expect(p.pageInfo.startCursor).toBe(p.edges[0]?.cursor ?? null);
    expect(p.pageInfo.endCursor).toBe(p.edges[p.edges.length - 1]?.cursor ?? null);
    if (!ahead) return { pages, total: p.totalCount };
    cursor = forward ? p.pageInfo.endCursor : p.pageInfo.startCursor;
  }
}

const ADMIN: Caller = { headers: {} };
const ORDERS: [string, Sort][] = [
  [
    'status ascending, visit time descending',
    [
      { field: 'STATUS_CODE', direction: 'ASC' },
      { field: 'VISIT_TIME', direction: 'DESC' },
    ],
  ],
  [
    'status descending, visit time ascending',
    [
      { field: 'STATUS_CODE', direction: 'DESC' },
      { field: 'VISIT_TIME', direction: 'ASC' },
    ],
  ],
  [
    'type ascending, visit time descending',
    [
      { field: 'TYPE_CODE', direction: 'ASC' },
      { field: 'VISIT_TIME', direction: 'DESC' },
    ],
  ],
  [
    'source descending, visit time ascending',
    [
      { field: 'SOURCE_TYPE_CODE', direction: 'DESC' },
      { field: 'VISIT_TIME', direction: 'ASC' },
    ],
  ],
];

async function expectPagesOf(
  sort: Sort,
  filter: Record<string, unknown>,
  pred: (r: Row) => boolean,
  caller: Caller,
) {
  const expected = reference(sort, pred);
  const variables = { sort, filter };
  const size = 5;
  const offset = await offsetPages(variables, size, caller);
  expect(offset.pages.flat()).toEqual(expected);
  expect(offset.totals).toEqual([expected.length]);
  const forward = await cursorPages(variables, size, true, caller);
  expect(forward.pages.flat()).toEqual(expected);
  expect(forward.total).toBe(expected.length);
  const backward = await cursorPages(variables, size, false, caller);
  expect(backward.pages.flat()).toEqual(expected);
  return offset.pages;
}

describe('meetings sorted by a code, then visit time the other way round', () => {
  it.each(ORDERS)(
    '%s: offset and cursor pages, both ways, are the plain order',
    async (_name, sort) => {
      const pages = await expectPagesOf(sort, {}, () => true, ADMIN);
      // Some page starts in one value of the code and ends in the next.
      const code = FIELD[sort[0].field];
      const of = (id: string) => rows.find((r) => r.meetingId === id)![code];
      expect(pages.some((p) => of(p[0]) !== of(p[p.length - 1]))).toBe(true);
    },
  );

  it.each([
    ['offices', { agencyOfficeId: [OFFICE_B] }, (r: Row) => r.agencyOfficeId === OFFICE_B],
    [
      'statuses',
      { statusCode: ['WON', 'CANCELLED'] },
      (r: Row) => ['WON', 'CANCELLED'].includes(r.statusCode),
    ],
    ['type', { typeCode: ['EVALUATION_VISIT'] }, (r: Row) => r.typeCode === 'EVALUATION_VISIT'],
    [
      'source',
      { sourceTypeCode: ['OIKOTIE', 'CHATBOT'] },
      (r: Row) => r.sourceTypeCode !== 'ETUOVI',
    ],
    [
      'visit-time range',
      { visitTimeAfter: '2026-04-03T09:00:00Z', visitTimeBefore: '2026-04-12T09:00:00Z' },
      (r: Row) =>
        r.visitTime > '2026-04-03T09:00:00.000Z' && r.visitTime < '2026-04-12T09:00:00.000Z',
    ],
    ['party', { partyId: ['PARTY1'] }, (r: Row) => r.party === 1],
    ['agent', { agentId: ['AGENT0'] }, (r: Row) => r.agent === 0],
    ['free text', { freeTextSearch: 'parveke' }, (r: Row) => r.notes.startsWith('Parveke')],
    [
      'offices, statuses and type at once',
      {
        agencyOfficeId: [OFFICE_A, OFFICE_B],
        statusCode: ['WAITING', 'LOST'],
        typeCode: ['SALES_MEETING'],
      },
      (r: Row) => ['WAITING', 'LOST'].includes(r.statusCode) && r.typeCode === 'SALES_MEETING',
    ],
  ])('filtered by %s, status ascending then visit time descending', async (_name, filter, pred) => {
    const resolved = JSON.parse(
      JSON.stringify(filter)
        .replace('PARTY1', parties[1].partyId)
        .replace('AGENT0', agents[0].agentId),
    ) as Record<string, unknown>;
    await expectPagesOf(ORDERS[0][1], resolved, pred, ADMIN);
  });

  it.each(ORDERS)(
    '%s, for a caller of one office: only its meetings, in the plain order',
    async (_name, sort) => {
      const token = await gw.token({ subject: 'office-a', offices: [OFFICE_A] });
      const caller = { headers: { authorization: `Bearer ${token}` } };
      await expectPagesOf(sort, {}, (r) => r.agencyOfficeId === OFFICE_A, caller);
      await expectPagesOf(
        sort,
        { typeCode: ['SALES_MEETING'] },
        (r) => r.agencyOfficeId === OFFICE_A && r.typeCode === 'SALES_MEETING',
        caller,
      );
      // Another office's filter, for this caller: nothing.
      await expectPagesOf(sort, { agencyOfficeId: [OFFICE_B] }, () => false, caller);
    },
  );
});
