import { DateTimeResolver, UUIDResolver } from 'graphql-scalars';

/** RFC 3339 date-time: accepted with any offset, returned in UTC with `Z`. */
export const DateTimeScalar = DateTimeResolver;

/** A UUID, as the REST API's identifiers are. */
export const UUIDScalar = UUIDResolver;
