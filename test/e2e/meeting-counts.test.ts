import { query } from '../../src/db/sql';
import {
  DELETE_MEETING,
  OFFICE_A,
  OFFICE_B,
  UPDATE_MEETING,
  createMeeting,
  meetingInput,
  smallDirectory,
} from '../support/fixtures';
import { TestGateway } from '../support/gateway';

// totalCount of a search on office, status, type and source alone is the sum of meeting_tally's
// rows, which triggers keep in every write's transaction. These writes move meetings between
// offices, statuses, types and sources, and delete some; every count stays what count(*) says.

const OFFICE_C = '0c0c0c0c-0000-4000-8000-00000000000c';
const SEARCH = `query ($filter: MeetingFilter) { meetings(filter: $filter, size: 1) { totalCount } }`;
const CONNECTION = `query ($filter: MeetingFilter) { meetingsConnection(filter: $filter, first: 1) { totalCount } }`;
const FILTERS: Record<string, unknown>[] = [
  {},
  { agencyOfficeId: [OFFICE_A] },
  { agencyOfficeId: [OFFICE_B, OFFICE_C] },
  { statusCode: ['WAITING'] },
  { statusCode: ['WON', 'LOST'], typeCode: ['EVALUATION_VISIT'] },
  { sourceTypeCode: ['ETUOVI'] },
  { agencyOfficeId: [OFFICE_B], statusCode: ['WAITING'], sourceTypeCode: ['OIKOTIE'] },
];

let gw: TestGateway;
beforeAll(async () => {
  gw = await TestGateway.start();
});
afterAll(() => gw.stop());

/** count(*) over live meetings, written out here as the reference. */
async function counted(filter: Record<string, string[]>, scope: string[] | null): Promise<number> {
  const clauses = ['deleted_time IS NULL'];
  const params: unknown[] = [];
  const column = {
    agencyOfficeId: 'agency_office_id',
    statusCode: 'status_code',
    typeCode: 'type_code',
    sourceTypeCode: 'source_type_code',
  } as Record<string, string>;
  for (const [key, values] of Object.entries({ ...filter, ...(scope ? { scope } : {}) })) {
    params.push(...values);
    clauses.push(`${column[key] ?? 'agency_office_id'} IN (${values.map(() => '?').join(', ')})`);
  }
  const [{ n }] = await gw.app.db.read((m) =>
    query<{ n: number }>(
      m,
      `SELECT count(*) AS n FROM meeting WHERE ${clauses.join(' AND ')}`,
      params,
    ),
  );
  return Number(n);
}

async function expectExactCounts(token?: string, scope: string[] | null = null): Promise<void> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  for (const filter of FILTERS) {
    const expected = await counted(filter as Record<string, string[]>, scope);
    const page = await gw.gql<any>(SEARCH, { filter }, headers);
    const connection = await gw.gql<any>(CONNECTION, { filter }, headers);
    expect({ filter, search: page.body.data?.meetings.totalCount }).toEqual({
      filter,
      search: expected,
    });
    expect({ filter, connection: connection.body.data?.meetingsConnection.totalCount }).toEqual({
      filter,
      connection: expected,
    });
  }
}

describe('totalCount from the tally', () => {
  it('stays exact through creates, moves between offices, statuses, types and sources, and deletes', async () => {
    const dir = await smallDirectory(gw);
    const input = (overrides: Record<string, unknown>) =>
      meetingInput(dir.parties, dir.agents, overrides);
    const ids: string[] = [];
    const offices = [OFFICE_A, OFFICE_B, OFFICE_C];
    const sources = ['ETUOVI', 'OIKOTIE', 'NELIOHINTA_FI'];
    for (let i = 0; i < 12; i++) {
      ids.push(
        await createMeeting(
          gw,
          input({
            agencyOfficeId: offices[i % 3],
            sourceTypeCode: sources[i % 2],
            typeCode: i % 4 === 0 ? 'EVALUATION_VISIT' : 'SALES_MEETING',
          }),
        ),
      );
    }
    await expectExactCounts();

    const update = async (id: string, overrides: Record<string, unknown>) => {
      const res = await gw.gql(UPDATE_MEETING, { meetingId: id, input: input(overrides) });
      expect(res.body.errors).toBeUndefined();
    };
    // Office, status, type and source change, alone and together; an update that changes none.
    await update(ids[0], { agencyOfficeId: OFFICE_B });
    await update(ids[1], { statusCode: 'WON', typeCode: 'EVALUATION_VISIT' });
    await update(ids[2], {
      statusCode: 'LOST',
      agencyOfficeId: OFFICE_A,
      sourceTypeCode: 'OIKOTIE',
    });
    await update(ids[3], { sourceTypeCode: sources[2] });
    await update(ids[4], { notes: 'nothing counted changes' });
    await update(ids[1], { statusCode: 'LOST', typeCode: 'EVALUATION_VISIT' });
    for (const id of [ids[5], ids[6], ids[0]]) {
      const res = await gw.gql(DELETE_MEETING, { meetingId: id });
      expect(res.body.errors).toBeUndefined();
    }
    await expectExactCounts();

    // An agent of two offices counts only those offices' meetings.
    const agent = await gw.token({
      subject: 'agent',
      name: 'Agentti',
      offices: [OFFICE_B, OFFICE_C],
    });
    await expectExactCounts(agent, [OFFICE_B, OFFICE_C]);

    // The tally holds what a count of the rows grouped the same way holds.
    const rows = await gw.app.db.read(async (m) => ({
      tally: await query(
        m,
        `SELECT agency_office_id, status_code, type_code, source_type_code, live_count AS n FROM meeting_tally
         WHERE live_count <> 0 ORDER BY 1, 2, 3, 4`,
      ),
      counted: await query(
        m,
        `SELECT agency_office_id, status_code, type_code, source_type_code, count(*) AS n FROM meeting
         WHERE deleted_time IS NULL GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
      ),
    }));
    const numeric = (list: Record<string, unknown>[]) =>
      list.map((r) => ({ ...r, n: Number(r.n) }));
    expect(numeric(rows.tally)).toEqual(numeric(rows.counted));
  });
});
