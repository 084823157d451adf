import { withClient } from './postgres';

/**
 * Once per run of the "postgres" project: pg_trgm, which the search index needs, is installed in
 * the shared public schema before test files migrate their own schemas in parallel (two files
 * creating the extension at once would collide).
 */
export default async function setup(): Promise<void> {
  await withClient((c) => c.query('CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public'));
}
