import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The PostgreSQL server of the tests, when there is one (TEST_DATABASE_URL). */
export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL must name a PostgreSQL database');
  return url;
}

/** Whether this test file's gateways run on PostgreSQL (the "postgres" Jest project). */
export function onPostgres(): boolean {
  return process.env.TEST_DIALECT === 'postgres';
}

/** Runs statements on the test server with a connection of its own. */
export async function withClient<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Resolves once another connection of the test server waits for a lock that backend `pid` holds.
 * PostgreSQL announces no such wait, so pg_locks is polled; a wait that never comes fails with a
 * message after `withinMs`.
 */
export async function lockAwaited(pid: number, withinMs = 10_000): Promise<void> {
  await withClient(async (client) => {
    const deadline = Date.now() + withinMs;
    for (;;) {
      const { rows } = await client.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY (pg_blocking_pids(pid))',
        [pid],
      );
      if (rows[0].n > 0) return;
      if (Date.now() > deadline)
        throw new Error(`no connection waited for a lock of backend ${pid} within ${withinMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  });
}

/** A new, empty schema with a unique name: one per test gateway, so runs never meet. */
export async function createSchema(): Promise<string> {
  const schema = `test_${randomBytes(8).toString('hex')}`;
  await withClient((c) => c.query(`CREATE SCHEMA "${schema}"`));
  return schema;
}

export async function dropSchema(schema: string): Promise<void> {
  await withClient((c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
}

/** DATABASE_URL of a schema on the test server. */
export function schemaUrl(schema: string): string {
  const url = new URL(testDatabaseUrl());
  url.searchParams.set('schema', schema);
  return url.toString();
}
