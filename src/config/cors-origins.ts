/** CORS_ORIGINS: the browser origins allowed to call the GraphQL endpoints. */

/** Origins as a browser sends them in `Origin`: compared as exact strings. */
export function parseCorsOrigins(raw: string | undefined, problems: string[]): string[] {
  if (raw === undefined) return [];
  const origins = raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  for (const origin of origins) {
    let expected: string | undefined;
    try {
      const url = new URL(origin);
      if (url.protocol === 'http:' || url.protocol === 'https:') expected = url.origin;
    } catch {
      // Not a URL: reported below.
    }
    if (expected === origin) continue;
    problems.push(
      `CORS_ORIGINS must list origins as a browser sends them, scheme://host[:port] separated by commas (got "${origin}"${expected ? `; did you mean "${expected}"?` : ''})`,
    );
  }
  return origins;
}
