/** The gateway's connection cursors as the bench writes them: the same bytes for the same key. */
import { createHash } from 'node:crypto';

// The gateway's cursor: base64url of `[1, fingerprint, values]|checksum`, the checksum the first 12
// characters of the body's SHA-256 in base64url. The bench compares the limit's cursors with the
// gateway's byte for byte, and the gateway refuses a cursor whose layout or checksum differ, so a
// change on either side stops the bench at its first check.
const VERSION = 1;

export function encodeCursor(values: string[], fingerprint: string): string {
  const body = JSON.stringify([VERSION, fingerprint, values]);
  return Buffer.from(`${body}|${digest(body).slice(0, 12)}`, 'utf8').toString('base64url');
}

/** The fingerprint and sort values a cursor carries (not checked: the limit validates nothing). */
export function decodeCursor(cursor: string): { fingerprint: string; values: string[] } {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const [, fingerprint, values] = JSON.parse(text.slice(0, text.lastIndexOf('|'))) as [
    number,
    string,
    string[],
  ];
  return { fingerprint, values };
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}
