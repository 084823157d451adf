import type { EntityManager } from 'typeorm';
import { AppError } from '../errors';
import {
  findKey,
  forgetKey,
  purgeExpiredKeys,
  recordKey,
  tryLockKey,
} from './idempotency.repository';

/**
 * Writes made at most once per Idempotency-Key. The key is claimed, checked and recorded inside the
 * write's own transaction: a write that is refused or rolled back records nothing, and a committed
 * one cannot lose its key. A repeat of the same request is answered from what the first returned
 * (its ids; the objects are read anew); the same key with another request is refused.
 */

/** A request's key, as the GraphQL layer hands it to the service that writes. */
export interface IdempotencyClaim {
  /** Whose key: the token's subject. Keys of different callers never meet. */
  readonly caller: string;
  readonly key: string;
  /** SHA-256 of the operation and its variables. */
  readonly fingerprint: string;
  /** The mutation field (createMeeting, ...). */
  readonly operation: string;
  readonly ttlMs: number;
  /** Set when the answer was replayed from the first request's result. */
  replayed: boolean;
}

/** What a write does, what of its result is kept, and how a repeat's answer is read from that. */
export interface OnceSteps<R, Kept> {
  write: () => Promise<R>;
  keep: (result: R) => Kept;
  recall: (kept: Kept) => Promise<R>;
}

/** Expired keys removed by each write that records one: the table never grows without bound. */
const PURGE_BATCH = 100;

/**
 * Runs `steps.write` unless `claim`'s key already recorded a write of the same request, in which
 * case the answer is recalled from it. Must run inside the write's transaction (`manager`).
 */
export async function once<R, Kept>(
  manager: EntityManager,
  claim: IdempotencyClaim | undefined,
  now: Date,
  steps: OnceSteps<R, Kept>,
): Promise<R> {
  if (!claim) return steps.write();
  if (!(await tryLockKey(manager, claim.caller, claim.key))) throw keyInUse();
  const stored = await findKey(manager, claim.caller, claim.key);
  if (stored && stored.expiryTime > now) {
    if (stored.fingerprint !== claim.fingerprint) throw keyReused(stored.operation);
    claim.replayed = true;
    return steps.recall(JSON.parse(stored.result) as Kept);
  }
  const result = await steps.write();
  // An expired record of this key is replaced; the purge below may not reach it.
  if (stored) await forgetKey(manager, claim.caller, claim.key);
  await purgeExpiredKeys(manager, now, PURGE_BATCH);
  await recordKey(
    manager,
    claim.caller,
    claim.key,
    {
      fingerprint: claim.fingerprint,
      operation: claim.operation,
      result: JSON.stringify(steps.keep(result)),
      expiryTime: new Date(now.getTime() + claim.ttlMs),
    },
    now,
  );
  return result;
}

export function keyInUse(): AppError {
  return new AppError(
    'IDEMPOTENCY_KEY_IN_USE',
    'A request with this Idempotency-Key is still running',
    [
      {
        target: 'Idempotency-Key',
        errorCode: 'CONFLICT',
        message: 'Retry when the first request has been answered',
      },
    ],
  );
}

function keyReused(operation: string): AppError {
  return new AppError(
    'IDEMPOTENCY_KEY_REUSED',
    'This Idempotency-Key was used for a different request',
    [
      {
        target: 'Idempotency-Key',
        errorCode: 'INVALID_VALUE',
        message: `The key was used for another ${operation} request or other variables; send a new key for a new request`,
      },
    ],
  );
}
