import type { EntityManager } from 'typeorm';
import { dialectOf, query } from '../db/sql';

/**
 * SQL of the idempotency_key table, run with the manager of the write's own transaction, so that a
 * key is recorded if and only if its write is committed.
 */

/** A committed write made under a key. */
export interface StoredKey {
  fingerprint: string;
  operation: string;
  /** JSON of the write's result (its ids). */
  result: string;
  expiryTime: Date;
}

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
  const rows: {
    fingerprint: string;
    operation: string;
    result: string;
    expiry_time: string | Date;
  }[] = await query(
    manager,
    'SELECT fingerprint, operation, result, expiry_time FROM idempotency_key WHERE caller = ? AND idempotency_key = ?',
    [caller, key],
  );
  if (rows.length === 0) return null;
  const [row] = rows;
  return {
    fingerprint: row.fingerprint,
    operation: row.operation,
    result: row.result,
    expiryTime: new Date(row.expiry_time),
  };
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
  await query(
    manager,
    `INSERT INTO idempotency_key (caller, idempotency_key, fingerprint, operation, result, creation_time, expiry_time)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
    [
      caller,
      key,
      stored.fingerprint,
      stored.operation,
      stored.result,
      now.toISOString(),
      stored.expiryTime.toISOString(),
    ],
  );
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
