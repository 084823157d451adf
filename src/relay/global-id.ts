/** Relay global ids: opaque, base64url of `<Type>:<id>`. */

export function toGlobalId(type: string, id: string): string {
  return Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');
}

/** The type and id of a global id; null for anything that is not one. */
export function fromGlobalId(globalId: string): { type: string; id: string } | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(globalId)) return null;
  const text = Buffer.from(globalId, 'base64url').toString('utf8');
  const split = text.indexOf(':');
  if (split <= 0) return null;
  return { type: text.slice(0, split), id: text.slice(split + 1) };
}
