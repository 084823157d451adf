import { Writable } from 'node:stream';
import { GraphQLError } from 'graphql';
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
