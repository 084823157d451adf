/**
 * What the database drivers' errors mean to the gateway: a database that cannot serve now
 * (SERVICE_UNAVAILABLE), one that cannot take writes until something outside changes (a full disk,
 * a read-only file), or a transaction worth running again.
 */

/** The driver's error code: SQLite's `SQLITE_…` name or PostgreSQL's SQLSTATE. */
export function driverCode(error: unknown): string | undefined {
  const code =
    (error as { driverError?: { code?: unknown } } | null)?.driverError?.code ??
    (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * SQLite's result codes of a database that cannot serve now, with every extended code of each
 * (SQLITE_BUSY_SNAPSHOT, SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED …); PostgreSQL's connection
 * exceptions (08), insufficient resources (53), operator intervention (57P), a read-only
 * transaction (25006, a standby), and the socket errors of an unreachable server.
 */
const UNAVAILABLE_CODES =
  /^(SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|CORRUPT|NOTADB|PROTOCOL)(_[A-Z_]+)?|08...|53...|57P..|25006|E(CONNREFUSED|CONNRESET|TIMEDOUT|PIPE|HOSTUNREACH|NETUNREACH|AI_AGAIN)|ENOTFOUND)$/;
const UNAVAILABLE_MESSAGES =
  /database connection is not open|Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is not established|Cannot use a pool after calling end|connect ECONNREFUSED/i;

/** Whether the error says the database cannot serve now (rather than that a request is wrong). */
export function isUnavailable(error: unknown): boolean {
  const code = driverCode(error);
  if (code !== undefined && UNAVAILABLE_CODES.test(code)) return true;
  const message = error instanceof Error ? error.message : '';
  return UNAVAILABLE_MESSAGES.test(message);
}

/**
 * Failures after which the database may not take writes until something outside the gateway
 * changes: a full disk, a read-only or moved file, an I/O error, a damaged file, a lost server.
 * Busy and locked are not among them: they pass when the other writer commits.
 */
const UNWRITABLE_CODES =
  /^(SQLITE_(IOERR|FULL|CANTOPEN|READONLY|CORRUPT|NOTADB)(_[A-Z_]+)?|08...|53...|57P..|25006|E(CONNREFUSED|CONNRESET|PIPE|HOSTUNREACH|NETUNREACH))$/;

export function makesUnwritable(error: unknown): boolean {
  const code = driverCode(error);
  if (code !== undefined) return UNWRITABLE_CODES.test(code);
  return isUnavailable(error);
}

/**
 * SQLite: failures after which the connection itself may be what is wrong: a file that was
 * read-only when it was opened stays read-only to that connection, a moved or damaged file stays
 * moved or damaged. A full disk is not among them: the same connection writes again once there is
 * room. Nor is an I/O error: after a failed fsync the write-ahead log holds, in the page cache, the
 * frames of a write that never reached the disk; a new connection (the first on the file) rebuilds
 * its index from them and takes that write as committed, and once the disk worked again the
 * database file on the disk was damaged. The same connection writes over them.
 */
const NEW_CONNECTION_CODES = /^SQLITE_(CANTOPEN|READONLY|CORRUPT|NOTADB)(_[A-Z_]+)?$/;

export function needsNewConnection(error: unknown): boolean {
  return NEW_CONNECTION_CODES.test(driverCode(error) ?? '');
}

/** PostgreSQL: serialization_failure, deadlock_detected: nothing was committed, a rerun may pass. */
const RETRYABLE_CODES = new Set(['40001', '40P01']);

export function isRetryable(error: unknown): boolean {
  return RETRYABLE_CODES.has(driverCode(error) ?? '');
}

/** PostgreSQL: query_canceled, which statement_timeout raises. */
export function isStatementTimeout(error: unknown): boolean {
  return driverCode(error) === '57014';
}
