/** Who is asking, as their verified bearer token says. */
export interface Caller {
  /** The token's `sub`. */
  subject: string;
  /** The token's `name`: becomes createdByName. */
  name: string | null;
  /** Agency offices the caller may access (lower-case UUIDs). */
  offices: readonly string[];
  /** The `admin` role: every office, and the directory upserts. */
  admin: boolean;
}

/** The agency offices a read or write is limited to; null for every office. */
export type OfficeScope = readonly string[] | null;

/** The offices a caller's reads and writes are limited to; null means every office. */
export function officeScope(caller: Caller): OfficeScope {
  return caller.admin ? null : caller.offices;
}

/** Whether the caller may act in an agency office. */
export function mayAccessOffice(caller: Caller, officeId: string): boolean {
  return caller.admin || caller.offices.includes(officeId.toLowerCase());
}
