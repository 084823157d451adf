import type { EntityManager } from 'typeorm';
import { dialectOf, query } from '../db/sql';
import { idempotencyKeyTable } from './idempotency-key.table';

/**
 * SQL of the idempotency_key table, run with the manager of the write's own transaction, so that a
 * key is recorded if and only if its write is committed.
 */

/** What a repeat of a key reads of the write made under it. */
const STORED = idempotencyKeyTable.pick('fingerprint', 'operation', 'result', 'expiryTime');

/** A committed write made under a key: the fingerprint, operation, result (JSON of its ids), expiry. */
export type StoredKey = ReturnType<typeof STORED.read>;

/** Advisory locks of idempotency keys live in a space of their own (the first of two keys). */
export const LOCK_SPACE = 0x1d3e;

/**
 * PostgreSQL: takes the key's lock until the transaction ends, or answers false at once when
 * another transaction (of any gateway instance) holds it. SQLite: writers are serialized, always
 * true.
 */
export async function tryLockKey(
  manager: EntityManager,
  caller: string,
  key: string,
): Promise<boolean> {
  if (dialectOf(manager) !== 'postgres') return true;
  const [{ locked }]: { locked: boolean }[] = await query(
    manager,
    'SELECT pg_try_advisory_xact_lock(?, hashtext(?)) AS locked',
    [LOCK_SPACE, `${caller}\n${key}`],
  );
  return locked;
}

export async function findKey(
  manager: EntityManager,
  caller: string,
  key: string,
): Promise<StoredKey | null> {
  const rows = await query(
    manager,
    `SELECT ${STORED.sql()} FROM idempotency_key WHERE caller = ? AND idempotency_key = ?`,
    [caller, key],
  );
  return rows.length === 0 ? null : STORED.read(rows[0]);
}

/** Removes the record of a key (an expired one, before the key is recorded again). */
export async function forgetKey(
  manager: EntityManager,
  caller: string,
  key: string,
): Promise<void> {
  await query(manager, 'DELETE FROM idempotency_key WHERE caller = ? AND idempotency_key = ?', [
    caller,
    key,
  ]);
}

/** Records a committed write's key. */
export async function recordKey(
  manager: EntityManager,
  caller: string,
  key: string,
  stored: StoredKey,
  now: Date,
): Promise<void> {
  const row = idempotencyKeyTable.insert([
    { ...stored, caller, idempotencyKey: key, creationTime: now },
  ]);
  await query(manager, row.sql, row.params);
}

/**
 * Removes up to `limit` expired keys (of any caller), oldest first. PostgreSQL: rows another
 * transaction is removing are skipped, so that concurrent writes never wait for each other here.
 */
export async function purgeExpiredKeys(
  manager: EntityManager,
  now: Date,
  limit: number,
): Promise<void> {
  const skipLocked = dialectOf(manager) === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '';
  await query(
    manager,
    `DELETE FROM idempotency_key WHERE (caller, idempotency_key) IN (
       SELECT caller, idempotency_key FROM idempotency_key WHERE expiry_time <= ?
       ORDER BY expiry_time LIMIT ?${skipLocked})`,
    [now.toISOString(), limit],
  );
}
