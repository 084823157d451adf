import { isUUID } from 'class-validator';
import type { ErrorItem, ItemCode } from './errors';

// Every text field passes Problems.text. NUL is refused by PostgreSQL and breaks SQLite's
// full-text queries; the other control characters are invisible and no part of text a person
// writes. Tab and line breaks are.
const CONTROL_CHARACTER = /(?![\t\n\r])\p{Cc}/u;
// A lone UTF-16 surrogate has no UTF-8 form: either database would store U+FFFD in its place.
const LONE_SURROGATE = /\p{Cs}/u;

/** Whether both databases store `value` as it is (what Problems.text checks besides length). */
export function isStorableText(value: string): boolean {
  return !CONTROL_CHARACTER.test(value) && !LONE_SURROGATE.test(value);
}

/**
 * Collects every problem of an input at once, each with the path of its field. Checks return the
 * value when it passed, so callers can go on with typed values.
 */
export class Problems {
  readonly items: ErrorItem[] = [];

  add(target: string, errorCode: ItemCode, message: string): void {
    this.items.push({ target, errorCode, message });
  }

  get isEmpty(): boolean {
    return this.items.length === 0;
  }

  /** A required value: reports VALUE_REQUIRED when it is null, undefined or blank text. */
  required(target: string, value: unknown): boolean {
    if (
      value === undefined ||
      value === null ||
      (typeof value === 'string' && value.trim() === '')
    ) {
      this.add(target, 'VALUE_REQUIRED', `${label(target)} is required`);
      return false;
    }
    return true;
  }

  uuid(target: string, value: unknown): value is string {
    if (typeof value === 'string' && isUUID(value, 'loose')) return true;
    this.add(target, 'INVALID_TYPE', `${label(target)} must be a UUID`);
    return false;
  }

  oneOf<T extends string>(target: string, value: unknown, allowed: Record<string, T>): value is T {
    if (typeof value === 'string' && Object.values(allowed).includes(value as T)) return true;
    this.add(
      target,
      'INVALID_VALUE',
      `${label(target)} must be one of ${Object.values(allowed).join(', ')}`,
    );
    return false;
  }

  /**
   * Text of at most `maxLength` UTF-16 units that both databases store as it is: no control
   * characters but tab and line breaks, no lone surrogates.
   */
  text(target: string, value: unknown, maxLength: number): value is string {
    if (typeof value !== 'string') {
      this.add(target, 'INVALID_TYPE', `${label(target)} must be a string`);
      return false;
    }
    if (value.length > maxLength) {
      this.add(target, 'INVALID_VALUE', `${label(target)} must be at most ${maxLength} characters`);
      return false;
    }
    if (CONTROL_CHARACTER.test(value)) {
      this.add(
        target,
        'INVALID_VALUE',
        `${label(target)} must not contain control characters (tab and line breaks are allowed)`,
      );
      return false;
    }
    if (LONE_SURROGATE.test(value)) {
      this.add(
        target,
        'INVALID_VALUE',
        `${label(target)} must be valid Unicode text (it has a lone surrogate)`,
      );
      return false;
    }
    return true;
  }

  date(target: string, value: unknown): value is Date {
    if (value instanceof Date && !Number.isNaN(value.getTime())) return true;
    this.add(target, 'INVALID_TYPE', `${label(target)} must be a date-time`);
    return false;
  }

  number(target: string, value: unknown): value is number {
    if (typeof value === 'number' && Number.isFinite(value)) return true;
    this.add(target, 'INVALID_TYPE', `${label(target)} must be a number`);
    return false;
  }

  integer(target: string, value: unknown): value is number {
    if (typeof value === 'number' && Number.isSafeInteger(value)) return true;
    this.add(target, 'INVALID_TYPE', `${label(target)} must be an integer`);
    return false;
  }

  array(target: string, value: unknown): value is unknown[] {
    if (Array.isArray(value)) return true;
    this.add(target, 'INVALID_TYPE', `${label(target)} must be a list`);
    return false;
  }
}

/** A path as messages name it: `input.parties[0].partyId` -> `parties[0].partyId`. */
function label(target: string): string {
  return target.replace(/^input\./, '');
}

/** UUIDs are compared and stored in lower case. */
export function normalizeUuid(value: string): string {
  return value.toLowerCase();
}

/** The distinct well-formed UUIDs of a list, normalized: what a lookup by id asks the database for. */
export function wellFormedIds(ids: readonly string[]): string[] {
  return [...new Set(ids.filter((id) => isUUID(id, 'loose')).map(normalizeUuid))];
}

/** The rows found for `ids`, in their order: null for an id not found or not well formed. */
export function inIdOrder<T>(
  ids: readonly string[],
  found: readonly T[],
  key: (row: T) => string,
): (T | null)[] {
  const byId = new Map(found.map((row) => [key(row), row]));
  return ids.map((id) => (isUUID(id, 'loose') ? (byId.get(normalizeUuid(id)) ?? null) : null));
}
