import { CREATE_MEETING } from '../support/fixtures';
import { TestGateway } from '../support/gateway';

// Nesting that recursive code (JSON.stringify, graphql-js's coercion) overflows the stack on is a
// client's mistake: refused in the contract's shape, never a 500.

const REQUEST_ID = '9031d1c5-7d40-41dd-b2b8-7919a2fc4fe9';
const SIZED = 'query ($size: Int) { meetings(size: $size) { totalCount } }';

let gw: TestGateway;
beforeAll(async () => {
  gw = await TestGateway.start();
});
afterAll(() => gw.stop());

/** `value` inside `depth` lists, as JSON text: JSON.stringify itself overflows on the deepest. */
const nestedLists = (depth: number, value = '1') => '['.repeat(depth) + value + ']'.repeat(depth);
const nestedObjects = (depth: number, value = '1') =>
  '{"a":'.repeat(depth) + value + '}'.repeat(depth);

/** POSTs a body given as JSON text, with a known Request-ID. */
async function post(body: string): Promise<{ status: number; body: unknown }> {
  const res = await gw.fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'request-id': REQUEST_ID },
    body,
  });
  return { status: res.status, body: await res.json() };
}

const withVariables = (query: string, variables: string) =>
  `{"query":${JSON.stringify(query)},"variables":${variables}}`;

/** The answer to a body nested too deeply. */
const TOO_DEEP = {
  status: 400,
  body: {
    errors: [
      {
        message: 'The request body nests deeper than 64 levels',
        extensions: {
          code: 'BAD_REQUEST_BODY',
          status: 400,
          description: 'Request body is missing or has invalid content.',
          errors: [
            {
              target: 'body',
              errorCode: 'INVALID_VALUE',
              message: 'Objects and lists may nest at most 64 levels deep',
            },
          ],
          requestId: REQUEST_ID,
        },
      },
    ],
  },
};

describe('deeply nested variables', () => {
  it.each([
    ['lists in a costed argument', SIZED, `{"size":${nestedLists(5000)}}`],
    ['objects in a costed argument', SIZED, `{"size":${nestedObjects(5000)}}`],
    [
      'lists in a mutation input',
      'mutation ($input: [PartyInput!]!) { upsertParties(input: $input) { partyId } }',
      `{"input":${nestedLists(5000)}}`,
    ],
    ['objects in a mutation input', CREATE_MEETING, `{"input":${nestedObjects(5000)}}`],
    ['an unused variable', '{ meetings { totalCount } }', `{"unused":${nestedLists(5000)}}`],
  ])('refuses %s 5,000 levels deep as BAD_REQUEST_BODY', async (_, query, variables) => {
    expect(await post(withVariables(query, variables))).toEqual(TOO_DEEP);
  });

  it('takes a body 64 levels deep to GraphQL, and refuses one 65 levels deep', async () => {
    // The body is one level, its variables a second, and the value of size the rest.
    const allowed = await post(withVariables(SIZED, `{"size":${nestedLists(62)}}`));
    expect(allowed).toEqual({
      status: 400,
      body: {
        errors: [
          {
            message:
              'Variable "$size" got an invalid value; Int cannot represent non-integer value: [[[Array]]]',
            locations: [{ line: 1, column: 8 }],
            extensions: { code: 'BAD_USER_INPUT', requestId: REQUEST_ID },
          },
        ],
      },
    });
    expect(await post(withVariables(SIZED, `{"size":${nestedLists(63)}}`))).toEqual(TOO_DEEP);
  });

  it('answers variables 5,000 levels deep in a GET as BAD_USER_INPUT', async () => {
    // A GET's variables come in the URL, not through the body reader: the cost limit reads them.
    const url =
      `/graphql?query=${encodeURIComponent(SIZED)}` +
      `&variables=${encodeURIComponent('{"size":')}${nestedLists(5000)}}`;
    const res = await gw.fetch(url, { headers: { 'request-id': REQUEST_ID } });
    expect({ status: res.status, body: await res.json() }).toEqual({
      status: 400,
      body: {
        errors: [
          {
            message:
              'Variable "$size" got an invalid value; Int cannot represent non-integer value: [[[Array]]]',
            locations: [{ line: 1, column: 8 }],
            extensions: { code: 'BAD_USER_INPUT', requestId: REQUEST_ID },
          },
        ],
      },
    });
  });

  it('refuses a document nested 5,000 levels deep by its token limit', async () => {
    const query = `{ meetings(filter: { statusCode: ${nestedLists(5000, 'WAITING')} }) { totalCount } }`;
    const res = await post(JSON.stringify({ query }));
    expect(res).toEqual({
      status: 400,
      body: {
        errors: [
          {
            message: 'Syntax Error: Document contains more that 1000 tokens. Parsing aborted.',
            locations: [{ line: 1, column: 1026 }],
            extensions: { code: 'GRAPHQL_PARSE_FAILED', requestId: REQUEST_ID },
          },
        ],
      },
    });
  });
});
