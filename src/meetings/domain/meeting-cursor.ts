import { createHash } from 'node:crypto';
import type { MeetingFilter, MeetingSort } from './meeting.model';

/**
 * Opaque cursors of meetingsConnection. A cursor carries the sort key of one meeting (its sort
 * values and meetingId) and a fingerprint of the sort and filter it was made under; a checksum makes
 * an edited cursor detectable. Keyset pagination: a deep page costs what the first page costs.
 */

export interface CursorKey {
  /** The sort values of the meeting, in sort order, then its meetingId. */
  values: string[];
}

const VERSION = 1;

/** Identifies a sort and filter: a cursor is only valid under the ones it was made under. */
export function searchFingerprint(
  sort: readonly MeetingSort[],
  filter: MeetingFilter,
  words: readonly string[],
): string {
  const normalized = {
    sort: sort.map((s) => `${s.field}:${s.direction}`),
    filter: Object.fromEntries(
      Object.entries(filter)
        .filter(([, v]) => v !== null && v !== undefined)
        .map(([k, v]) => [
          k,
          v instanceof Date ? v.toISOString() : Array.isArray(v) ? [...v].sort() : v,
        ])
        .sort(([a], [b]) => String(a).localeCompare(String(b))),
    ),
    words: [...words].sort(),
  };
  return digest(JSON.stringify(normalized)).slice(0, 16);
}

export function encodeCursor(key: CursorKey, fingerprint: string): string {
  const body = JSON.stringify([VERSION, fingerprint, key.values]);
  return Buffer.from(`${body}|${digest(body).slice(0, 12)}`, 'utf8').toString('base64url');
}

export type DecodedCursor =
  { ok: true; key: CursorKey } | { ok: false; reason: 'malformed' | 'other-search' };

/** Reads a cursor made under `fingerprint`, with `keyLength` sort values (meetingId included). */
export function decodeCursor(
  cursor: string,
  fingerprint: string,
  keyLength: number,
): DecodedCursor {
  if (!/^[A-Za-z0-9_-]{1,2048}$/.test(cursor)) return { ok: false, reason: 'malformed' };
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const split = text.lastIndexOf('|');
  if (split < 0) return { ok: false, reason: 'malformed' };
  const body = text.slice(0, split);
  if (digest(body).slice(0, 12) !== text.slice(split + 1))
    return { ok: false, reason: 'malformed' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!Array.isArray(parsed) || parsed[0] !== VERSION || typeof parsed[1] !== 'string')
    return { ok: false, reason: 'malformed' };
  const values = parsed[2];
  if (
    !Array.isArray(values) ||
    values.length !== keyLength ||
    !values.every((v) => typeof v === 'string')
  ) {
    return { ok: false, reason: 'other-search' };
  }
  if (parsed[1] !== fingerprint) return { ok: false, reason: 'other-search' };
  return { ok: true, key: { values } };
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}
