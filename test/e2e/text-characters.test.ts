import {
  CREATE_MEETING,
  GET_MEETING,
  UPDATE_MEETING,
  UPSERT_AGENTS,
  UPSERT_PARTIES,
  agent,
  createMeeting,
  meetingInput,
  party,
  smallDirectory,
} from '../support/fixtures';
import { TestGateway } from '../support/gateway';
import { COSTED } from '../support/cost';

// Text that a database refuses (NUL on PostgreSQL), changes (a lone surrogate) or keeps where it
// breaks search (NUL in SQLite's full-text index) is refused alike on both, naming each field.

const REQUEST_ID = '9031d1c5-7d40-41dd-b2b8-7919a2fc4fe9';
const BODY_DESCRIPTION = 'Request body is missing or has invalid content.';
const PARAMETERS_DESCRIPTION = 'Request parameters are missing or have invalid type.';
const SEARCH =
  'query ($text: String) { meetings(filter: { freeTextSearch: $text }) { totalCount } }';

let gw: TestGateway;
let dir: Awaited<ReturnType<typeof smallDirectory>>;

beforeAll(async () => {
  gw = await TestGateway.start();
  dir = await smallDirectory(gw);
});
afterAll(() => gw.stop());

describe('control characters in text', () => {
  it('refuses NUL in every text field of a meeting at once as BAD_REQUEST_BODY, and stores nothing', async () => {
    const base = meetingInput(dir.parties, dir.agents);
    const realty = base.meetingRealty as Record<string, any>;
    const input = {
      ...base,
      notes: 'Soita\u0000 ennen',
      meetingRealty: {
        ...realty,
        address: { ...realty.address, addressLine1: 'Yliopistonkatu\u0000 55' },
        doorCode: '12\u000034',
        title: '\u0000',
      },
    };
    let res!: Awaited<ReturnType<typeof gw.gql>>;
    const statements = await gw.countStatements(async () => {
      res = await gw.gql(CREATE_MEETING, { input }, { 'Request-ID': REQUEST_ID });
    });
    expect(statements).toBe(0);
    const item = (target: string) => ({
      target: `input.${target}`,
      errorCode: 'INVALID_VALUE',
      message: `${target} must not contain control characters (tab and line breaks are allowed)`,
    });
    expect(res.body).toEqual({
      data: null,
      errors: [
        {
          message: 'Invalid meeting input',
          path: ['createMeeting'],
          locations: [{ line: 2, column: 3 }],
          extensions: {
            code: 'BAD_REQUEST_BODY',
            status: 400,
            description: BODY_DESCRIPTION,
            errors: [
              item('meetingRealty.address.addressLine1'),
              item('meetingRealty.doorCode'),
              item('meetingRealty.title'),
              item('notes'),
            ],
            requestId: REQUEST_ID,
          },
        },
      ],
      extensions: COSTED,
    });
    expect(JSON.stringify(res.body)).not.toContain('1234');
  });

  it('refuses NUL in an update as BAD_REQUEST_BODY, and keeps the meeting as it was', async () => {
    const input = meetingInput(dir.parties, dir.agents);
    const meetingId = await createMeeting(gw, input);
    const before = await gw.gql(GET_MEETING, { meetingId });
    const res = await gw.gql(UPDATE_MEETING, { meetingId, input: { ...input, notes: 'a\u0000' } });
    expect(res.body.errors!.map((e) => e.extensions)).toEqual([
      expect.objectContaining({
        code: 'BAD_REQUEST_BODY',
        errors: [
          {
            target: 'input.notes',
            errorCode: 'INVALID_VALUE',
            message: 'notes must not contain control characters (tab and line breaks are allowed)',
          },
        ],
      }),
    ]);
    expect((await gw.gql(GET_MEETING, { meetingId })).body).toEqual(before.body);
  });

  it.each([
    ['a variable', SEARCH, { text: 'tampere\u0000' }],
    [
      'an escape in the document',
      'query { meetings(filter: { freeTextSearch: "tampere\\u0000" }) { totalCount } }',
      {},
    ],
  ])('refuses NUL in freeTextSearch from %s as BAD_REQUEST_PARAMETERS', async (_, query, vars) => {
    const res = await gw.gql(query, vars, { 'Request-ID': REQUEST_ID });
    expect(res.body).toEqual({
      data: null,
      errors: [
        {
          message: 'Invalid request parameters',
          path: ['meetings'],
          locations: [expect.objectContaining({ line: 1 })],
          extensions: {
            code: 'BAD_REQUEST_PARAMETERS',
            status: 400,
            description: PARAMETERS_DESCRIPTION,
            errors: [
              {
                target: 'filter.freeTextSearch',
                errorCode: 'INVALID_VALUE',
                message:
                  'filter.freeTextSearch must not contain control characters (tab and line breaks are allowed)',
              },
            ],
            requestId: REQUEST_ID,
          },
        },
      ],
      extensions: COSTED,
    });
  });

  it('refuses NUL in freeTextSearch of meetingsConnection', async () => {
    const res = await gw.gql(
      'query ($text: String) { meetingsConnection(filter: { freeTextSearch: $text }) { totalCount } }',
      { text: '"\u0000' },
    );
    expect(res.body.errors!.map((e) => [e.extensions.code, e.extensions.errors])).toEqual([
      [
        'BAD_REQUEST_PARAMETERS',
        [
          {
            target: 'filter.freeTextSearch',
            errorCode: 'INVALID_VALUE',
            message:
              'filter.freeTextSearch must not contain control characters (tab and line breaks are allowed)',
          },
        ],
      ],
    ]);
  });

  it('refuses NUL in directory names, naming the row, and stores none of the rows', async () => {
    const parties = [party(), party(), party(), party({ partyName: 'Liisa\u0000 Laine' })];
    const agents = [agent({ lastName: 'Mäki\u0000nen' })];
    const refusedParties = await gw.gql(UPSERT_PARTIES, { input: parties });
    const refusedAgents = await gw.gql(UPSERT_AGENTS, { input: agents });
    const message = (field: string) =>
      `${field} must not contain control characters (tab and line breaks are allowed)`;
    expect(
      [refusedParties, refusedAgents].map((r) => ({
        data: r.body.data,
        code: r.body.errors![0].extensions.code,
        items: r.body.errors![0].extensions.errors,
      })),
    ).toEqual([
      {
        data: null,
        code: 'BAD_REQUEST_BODY',
        items: [
          {
            target: 'input[3].partyName',
            errorCode: 'INVALID_VALUE',
            message: message('input[3].partyName'),
          },
        ],
      },
      {
        data: null,
        code: 'BAD_REQUEST_BODY',
        items: [
          {
            target: 'input[0].lastName',
            errorCode: 'INVALID_VALUE',
            message: message('input[0].lastName'),
          },
        ],
      },
    ]);
    const ids = parties.map((p) => p.partyId);
    expect(
      await gw.count(`SELECT count(*) AS n FROM party WHERE party_id IN (?, ?, ?, ?)`, ids),
    ).toBe(0);
  });

  it.each([
    ['U+0001', '\u0001'],
    ['escape (U+001B)', '\u001b'],
    ['delete (U+007F)', '\u007f'],
    ['a C1 control (U+0085)', '\u0085'],
  ])('refuses %s in notes', async (_, char) => {
    const input = meetingInput(dir.parties, dir.agents, { notes: `a${char}b` });
    const res = await gw.gql(CREATE_MEETING, { input });
    expect(res.body.errors![0].extensions.errors).toEqual([
      {
        target: 'input.notes',
        errorCode: 'INVALID_VALUE',
        message: 'notes must not contain control characters (tab and line breaks are allowed)',
      },
    ]);
  });

  it('refuses a lone UTF-16 surrogate, which no database can store as it is', async () => {
    const input = meetingInput(dir.parties, dir.agents, { notes: 'a\ud800b' });
    const res = await gw.gql(CREATE_MEETING, { input });
    expect(res.body.errors![0].extensions.errors).toEqual([
      {
        target: 'input.notes',
        errorCode: 'INVALID_VALUE',
        message: 'notes must be valid Unicode text (it has a lone surrogate)',
      },
    ]);
  });

  it('stores tabs, line breaks and characters beyond the BMP as they are', async () => {
    const notes = 'Rivi 1\r\nRivi 2\n\tsisennys 🏠';
    const meetingId = await createMeeting(gw, meetingInput(dir.parties, dir.agents, { notes }));
    const read = await gw.gql<{ meeting: { notes: string } }>(GET_MEETING, { meetingId });
    expect(read.body.data!.meeting.notes).toBe(notes);
  });
});
