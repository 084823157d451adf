import { GraphQLError, GraphQLScalarType, type GraphQLScalarTypeConfig } from 'graphql';
import { DateTimeResolver, UUIDResolver } from 'graphql-scalars';

/**
 * A scalar of graphql-scalars whose input errors say what was expected, with an example, and
 * never repeat the value (graphql-scalars quotes it): the message names the variable and its path.
 */
function withExpectedForm(scalar: GraphQLScalarType, expected: string): GraphQLScalarType {
  const config: GraphQLScalarTypeConfig<unknown, unknown> = scalar.toConfig();
  const message = `${scalar.name} must be ${expected}`;
  return new GraphQLScalarType({
    ...config,
    parseValue: (value) => {
      try {
        return config.parseValue!(value);
      } catch {
        // graphql-js puts a GraphQLError's message after the variable's name and path as it is.
        throw new GraphQLError(message);
      }
    },
    parseLiteral: (node, variables) => {
      try {
        return config.parseLiteral!(node, variables);
      } catch {
        // Another error gets "Expected value of type …, found <the literal>; " before it, with
        // the literal's place in the query: the caller's own text.
        throw new TypeError(message);
      }
    },
  });
}

/** RFC 3339 date-time: accepted with any offset, returned in UTC with `Z`. */
export const DateTimeScalar = withExpectedForm(
  DateTimeResolver,
  'an RFC 3339 date-time with a time zone, such as 2027-03-01T10:00:00Z or 2027-03-01T12:00:00+02:00',
);

/** A UUID, as the REST API's identifiers are. */
export const UUIDScalar = withExpectedForm(
  UUIDResolver,
  'a UUID such as 6f1c1d36-5d5e-4c1a-9a55-0b1f0e8c0002',
);
