/** The readiness check's own write: a row in health_probe, written and removed at once. */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { type Dialect, query } from './sql';

/**
 * The write probe's size: more than the largest write the gateway takes (a request body is 64 KiB
 * by default). A write that failed on a full disk leaves the space it did get in the SQLite
 * write-ahead log, and a smaller probe fits in there: readiness said 200 while the next write of
 * the same size was refused again.
 */
const PROBE_BYTES = 1024 * 1024;

/** Writes a probe row and removes it, in the caller's transaction. */
export async function writeProbe(manager: EntityManager, dialect: Dialect): Promise<void> {
  const id = randomUUID();
  // Text that takes its whole size: SQLite stores text as it is; PostgreSQL would compress
  // repeated characters, not random ones.
  const text =
    dialect === 'postgres'
      ? "(SELECT string_agg(md5(random()::text), '') FROM generate_series(1, ? / 32))"
      : 'hex(zeroblob(? / 2))';
  await query(manager, `INSERT INTO health_probe (probe_id, data) VALUES (?, ${text})`, [
    id,
    PROBE_BYTES,
  ]);
  await query(manager, 'DELETE FROM health_probe WHERE probe_id = ?', [id]);
}
