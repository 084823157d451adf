import { mintToken } from '../../src/auth/tokens';

/** JWT settings for gateway processes that must accept one token (several on one database). */
export const PROCESS_JWT = {
  JWT_SECRET: 'process-test-secret-of-at-least-32-bytes',
  JWT_ISSUER: 'https://login.example.fi/',
  JWT_AUDIENCE: 'meetings',
};

/** An admin token every process started with PROCESS_JWT accepts (for `subject`, as a caller). */
export function processAdminToken(subject = 'ops'): Promise<string> {
  return mintToken(
    {
      keys: {
        kind: 'secret',
        secret: new TextEncoder().encode(PROCESS_JWT.JWT_SECRET),
        generated: false,
      },
      issuer: PROCESS_JWT.JWT_ISSUER,
      audience: PROCESS_JWT.JWT_AUDIENCE,
      officesClaim: 'offices',
    },
    { subject, name: 'Operaattori', admin: true },
  );
}

/** Sends one GraphQL operation to a gateway process: the response body. */
export async function postGraphQL(
  url: string,
  token: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<{ data?: Record<string, unknown> | null; errors?: { extensions: { code: string } }[] }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as {
    data?: Record<string, unknown> | null;
    errors?: { extensions: { code: string } }[];
  };
}
