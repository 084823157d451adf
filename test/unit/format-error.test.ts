import { Writable } from 'node:stream';
import { GraphQLError } from 'graphql';
import { AppError } from '../../src/errors';
import { createErrorFormatter } from '../../src/format-error';
import { createLogger } from '../../src/logger';
import { runInRequestScope } from '../../src/request-context';

const REQUEST_ID = '9031d1c5-7d40-41dd-b2b8-7919a2fc4fe9';
const CUT_OFF = 'Too many errors processing variables, error limit reached. Execution aborted.';

function formatter() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _e, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { format: createErrorFormatter(createLogger('info', sink)), lines };
}

describe('formatError', () => {
  it('turns an AppError into the REST error body, with the request id', () => {
    const { format } = formatter();
    const error = new AppError(
      'INVALID_STATUS',
      'Meeting status WON does not allow changing parties',
      [
        {
          target: 'input.parties',
          errorCode: 'INVALID_STATUS',
          message: 'Meeting status WON does not allow changing parties',
        },
      ],
    );
    const out = runInRequestScope({ requestId: REQUEST_ID }, () =>
      format(
        { message: 'x', path: ['updateMeeting'] },
        new GraphQLError('x', { originalError: error }),
      ),
    );
    expect(out).toEqual({
      message: 'Meeting status WON does not allow changing parties',
      path: ['updateMeeting'],
      locations: undefined,
      extensions: {
        code: 'INVALID_STATUS',
        status: 400,
        description: 'Unable to perform the request operation due to invalid state.',
        errors: [
          {
            target: 'input.parties',
            errorCode: 'INVALID_STATUS',
            message: 'Meeting status WON does not allow changing parties',
          },
        ],
        requestId: REQUEST_ID,
      },
    });
  });

  it("keeps GraphQL's own request errors, with the request id and nothing else", () => {
    const { format } = formatter();
    const out = runInRequestScope({ requestId: REQUEST_ID }, () =>
      format(
        {
          message: 'Syntax Error: Unexpected Name "x".',
          extensions: { code: 'GRAPHQL_PARSE_FAILED', stacktrace: ['at x'] },
        },
        new GraphQLError('Syntax Error'),
      ),
    );
    expect(out.extensions).toEqual({ code: 'GRAPHQL_PARSE_FAILED', requestId: REQUEST_ID });
  });

  it('masks anything unexpected as TECHNICAL_ERROR and logs it under the request id', () => {
    const { format, lines } = formatter();
    const failure = new Error('SQLITE_ERROR: no such table: meeting at /srv/app/src/x.ts:1');
    const out = runInRequestScope({ requestId: REQUEST_ID }, () =>
      format(
        { message: failure.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } },
        new GraphQLError(failure.message, { originalError: failure }),
      ),
    );
    expect(out).toEqual({
      message: 'An unexpected error occurred',
      extensions: {
        code: 'TECHNICAL_ERROR',
        status: 500,
        description: 'The request could not be completed because of an unexpected failure.',
        errors: [],
        requestId: REQUEST_ID,
      },
    });
    expect(JSON.stringify(out)).not.toMatch(/SQLITE|\/srv|no such table/);
    const logged = JSON.parse(lines[0]) as { requestId: string; err: { message: string } };
    expect(logged.requestId).toBe(REQUEST_ID);
    expect(logged.err.message).toContain('no such table');
  });
});

describe('formatError of variable errors', () => {
  it("answers graphql-js's cut-off after 50 variable errors as BAD_USER_INPUT, unlogged", () => {
    const { format, lines } = formatter();
    // As Apollo hands it over: an error without a code has become INTERNAL_SERVER_ERROR.
    const out = runInRequestScope({ requestId: REQUEST_ID }, () =>
      format(
        { message: CUT_OFF, extensions: { code: 'INTERNAL_SERVER_ERROR' } },
        new GraphQLError(CUT_OFF),
      ),
    );
    expect(out).toEqual({
      message: CUT_OFF,
      extensions: { code: 'BAD_USER_INPUT', requestId: REQUEST_ID },
    });
    expect(lines).toEqual([]);
  });

  it('still masks a resolver failure with the same message as TECHNICAL_ERROR', () => {
    const { format } = formatter();
    const failure = new Error(CUT_OFF);
    const out = runInRequestScope({ requestId: REQUEST_ID }, () =>
      format(
        { message: CUT_OFF, extensions: { code: 'INTERNAL_SERVER_ERROR' } },
        new GraphQLError(CUT_OFF, { originalError: failure }),
      ),
    );
    expect(out.extensions?.code).toBe('TECHNICAL_ERROR');
  });
});
