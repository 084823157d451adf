import { UPSERT_PARTIES } from '../support/fixtures';
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
