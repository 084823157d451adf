import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { query } from './sql';

/**
 * PostgreSQL: the oldest write transaction of the gateway still running, as a transaction id.
 *
 * Every write transaction of the gateway takes, first of all (before it has a transaction id), a
 * shared transaction-level advisory lock keyed by its schema (`lockWriters`). A reader asks, in one
 * statement, which running transactions hold that lock and which transaction ids its snapshot saw
 * running: the smallest of those ids, or the snapshot's next id when there is none, is the horizon.
 * Every write of the gateway with a smaller id has ended by the time a later statement takes its
 * snapshot; every write still to commit has a larger one. Transactions of other applications,
 * other schemas or other databases on the same server do not hold it back (pg_snapshot_xmin would
 * wait for all of them).
 */

/** The advisory lock's first key: "mg" "w" in ASCII; the second is the schema's. */
const WRITERS_LOCK_CLASS = 0x6d6777;

/** The advisory lock's second key for a schema: a positive 31-bit number. */
export function writersLockKey(schema: string): number {
  return (
    createHash('sha256').update(`meetings-gateway:writers:${schema}`).digest().readUInt32BE(0) >>> 1
  );
}

/** The statement a write transaction begins with, and its parameters. */
export function lockWritersStatement(schema: string): { sql: string; params: number[] } {
  return {
    sql: 'SELECT pg_advisory_xact_lock_shared($1, $2)',
    params: [WRITERS_LOCK_CLASS, writersLockKey(schema)],
  };
}

const XID_SPACE = 4294967296;

/**
 * The horizon now (see above), as a 64-bit transaction id (pg_current_xact_id's): read it in a
 * statement of its own, before the statement that reads below it.
 */
export async function writersHorizon(manager: EntityManager): Promise<number> {
  const schema = (manager.dataSource.options as { schema?: string }).schema ?? 'public';
  const [row] = await query<{ horizon: string }>(
    manager,
    `SELECT LEAST(
       pg_snapshot_xmax(s)::text::bigint,
       (SELECT min(x::text::bigint) FROM pg_snapshot_xip(s) AS x
         WHERE x::text::bigint % ${XID_SPACE} IN (
           SELECT l.transactionid::text::bigint
             FROM pg_locks w
             JOIN pg_locks l ON l.pid = w.pid AND l.locktype = 'transactionid'
                            AND l.mode = 'ExclusiveLock' AND l.granted
            WHERE w.locktype = 'advisory' AND w.granted
              AND w.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND w.classid = ?::int8::oid AND w.objid = ?::int8::oid AND w.objsubid = 2))
     )::text AS horizon
     FROM pg_current_snapshot() AS s`,
    [WRITERS_LOCK_CLASS, writersLockKey(schema)],
  );
  return Number(row.horizon);
}
