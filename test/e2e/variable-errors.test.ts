import { CREATE_MEETING, UPSERT_PARTIES, agent, meetingInput, party } from '../support/fixtures';
import { TestGateway } from '../support/gateway';

const REQUEST_ID = '9031d1c5-7d40-41dd-b2b8-7919a2fc4fe9';

let gw: TestGateway;
beforeAll(async () => {
  gw = await TestGateway.start();
});
afterAll(() => gw.stop());

describe('more than 50 invalid variable values', () => {
  it('answers every error, the cut-off one too, as BAD_USER_INPUT with the request id', async () => {
    const input = Array.from({ length: 60 }, () => ({ partyId: 'not-a-uuid' }));
    const res = await gw.gql(UPSERT_PARTIES, { input }, { 'Request-ID': REQUEST_ID });
    expect(res.status).toBe(400);
    const errors = res.body.errors!;
    // graphql-js stops at 50 errors and adds one that says so.
    expect(errors).toHaveLength(51);
    expect(errors.map((e) => e.extensions)).toEqual(
      errors.map(() => ({ code: 'BAD_USER_INPUT', requestId: REQUEST_ID })),
    );
    expect(errors[50]).toEqual({
      message: 'Too many errors processing variables, error limit reached. Execution aborted.',
      extensions: { code: 'BAD_USER_INPUT', requestId: REQUEST_ID },
    });
    const logged = gw.logs().filter((l) => l.requestId === REQUEST_ID && Number(l.level) >= 50);
    expect(logged).toEqual([]);
  });
});

describe('a DateTime or UUID that does not parse', () => {
  const DATE_TIME =
    'DateTime must be an RFC 3339 date-time with a time zone, such as 2027-03-01T10:00:00Z or 2027-03-01T12:00:00+02:00';
  const UUID = 'UUID must be a UUID such as 6f1c1d36-5d5e-4c1a-9a55-0b1f0e8c0002';

  it('names the variable and the expected form, without the value', async () => {
    const res = await gw.gql(
      'query ($before: DateTime, $id: UUID!) { meeting(meetingId: $id) { meetingId } meetings(filter: { visitTimeBefore: $before }) { totalCount } }',
      { before: '1.3.2027 klo 10', id: 'kokous-17' },
      { 'Request-ID': REQUEST_ID },
    );
    expect(res.status).toBe(400);
    expect(res.body.errors!.map((e) => [e.message, e.extensions])).toEqual([
      [
        `Variable "$before" got an invalid value; ${DATE_TIME}`,
        { code: 'BAD_USER_INPUT', requestId: REQUEST_ID },
      ],
      [
        `Variable "$id" got an invalid value; ${UUID}`,
        { code: 'BAD_USER_INPUT', requestId: REQUEST_ID },
      ],
    ]);
  });

  it('names the place inside an input, and still never repeats a door code', async () => {
    const input = meetingInput([party()], [agent()], {
      visitTime: '2027-03-01 10:00',
      agencyOfficeId: 'toimisto-2',
    });
    const realty = input.meetingRealty as Record<string, unknown>;
    realty.doorCode = 4711;
    const res = await gw.gql(CREATE_MEETING, { input });
    expect(res.status).toBe(400);
    const messages = res.body.errors!.map((e) => e.message);
    expect(messages).toEqual([
      `Variable "$input" got an invalid value at "input.visitTime"; ${DATE_TIME}`,
      `Variable "$input" got an invalid value at "input.agencyOfficeId"; ${UUID}`,
      'Variable "$input" got an invalid value at "input.meetingRealty.doorCode"; String cannot represent a non string value',
    ]);
    const text = JSON.stringify(res.body);
    for (const value of ['2027-03-01 10:00', 'toimisto-2', '4711'])
      expect(text).not.toContain(value);
  });

  it('says the expected form of a literal in the query too, where it was written', async () => {
    const res = await gw.gql('{ meeting(meetingId: "kokous-17") { meetingId } }');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      {
        message: `Expected value of type "UUID!", found "kokous-17"; ${UUID}`,
        locations: [{ line: 1, column: 22 }],
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', requestId: expect.any(String) },
      },
    ]);
  });
});
