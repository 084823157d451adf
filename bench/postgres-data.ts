import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Client } from 'pg';
import { Database } from '../src/db/database';
import { numberedPlaceholders } from '../src/db/sql';
import type { Columns, NewRecord, Table } from '../src/db/table';
import { agentTable, partyTable } from '../src/directory/storage/directory.table';
import { createLogger } from '../src/logger';
import { fillSearchIndexSql } from '../src/meetings/storage/meeting-search-index';
import {
  meetingAgentTable,
  meetingPartyTable,
  meetingTable,
} from '../src/meetings/storage/meeting.table';

/**
 * The generated SQLite data, loaded once into a PostgreSQL database that serves as a template:
 * every bench run gets a fresh copy of it (CREATE DATABASE ... TEMPLATE), as the SQLite side gets a
 * fresh copy of its file. The template is built under a temporary name and renamed when complete.
 */

/** A database URL on the same server as `serverUrl`, naming another database. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  url.searchParams.delete('schema');
  return url.toString();
}

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function exists(serverUrl: string, database: string): Promise<boolean> {
  return withClient(serverUrl, async (c) => {
    const res = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    return (res.rowCount ?? 0) > 0;
  });
}

/** The template database of `sqliteFile`'s data, built if it is not there yet; returns its name. */
export async function postgresTemplate(
  serverUrl: string,
  sqliteFile: string,
  log: (line: string) => void,
): Promise<string> {
  const name = `meetings_bench_${path.basename(sqliteFile, '.sqlite').replace(/[^a-z0-9]+/gi, '_')}`;
  if (await exists(serverUrl, name)) return name;
  const building = `${name}_building`;
  const started = Date.now();
  log(`loading ${path.basename(sqliteFile)} into PostgreSQL database ${name}`);
  await withClient(serverUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${building}"`);
    await c.query(`CREATE DATABASE "${building}"`);
  });
  const url = databaseUrl(serverUrl, building);
  // The gateway's own migrations make the tables.
  const db = await Database.open(
    {
      type: 'postgres',
      url,
      schema: 'public',
      poolSize: 2,
      statementTimeoutMs: 600_000,
      connectTimeoutMs: 5000,
    },
    createLogger('silent'),
  );
  await db.close();
  const sqlite = new BetterSqlite3(sqliteFile, { readonly: true });
  await withClient(url, async (c) => {
    // Parents first. Each row is read as the table declaration's record of SQLite's row and
    // written as PostgreSQL stores that record (times: ISO text to timestamptz).
    await copyTable(sqlite, c, agentTable);
    await copyTable(sqlite, c, partyTable);
    await copyTable(sqlite, c, meetingTable);
    await copyTable(sqlite, c, meetingPartyTable);
    await copyTable(sqlite, c, meetingAgentTable);
    await c.query(
      `SELECT setval('meeting_search_key_seq', (SELECT coalesce(max(search_key), 0) + 1 FROM meeting), false)`,
    );
    // Statistics first: without them the planner joins each meeting's parties by hashing the
    // whole party table, once per meeting.
    await c.query('ANALYZE');
    // The trigram index is built once over the filled table, as the migration does.
    const [{ indexdef }] = (
      await c.query<{ indexdef: string }>(
        `SELECT indexdef FROM pg_indexes WHERE indexname = 'IDX_meeting_fts_text'`,
      )
    ).rows;
    await c.query('DROP INDEX "IDX_meeting_fts_text"');
    await c.query(fillSearchIndexSql('postgres'));
    await c.query(indexdef);
    await c.query('VACUUM ANALYZE');
  });
  sqlite.close();
  await withClient(serverUrl, (c) => c.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`));
  log(`loaded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return name;
}

/** Copies every row of a declared table from the SQLite file into PostgreSQL, in one transaction. */
async function copyTable<C extends Columns>(
  sqlite: BetterSqlite3.Database,
  c: Client,
  table: Table<C>,
): Promise<void> {
  const rows = sqlite
    .prepare(`SELECT ${table.all.sql()} FROM ${table.name}`)
    .iterate() as IterableIterator<Record<string, unknown>>;
  const batch = Math.floor(20_000 / table.all.properties.length);
  let records: ReturnType<typeof table.all.read>[] = [];
  const flush = async () => {
    if (records.length === 0) return;
    // A record of every column is a whole new row.
    const { sql, params } = table.insert(records as NewRecord<C>[]);
    await c.query(numberedPlaceholders(sql), params);
    records = [];
  };
  await c.query('BEGIN');
  for (const row of rows) {
    records.push(table.all.read(row));
    if (records.length === batch) await flush();
  }
  await flush();
  await c.query('COMMIT');
}

/** A fresh copy of the template, replacing any earlier copy of that name; returns its URL. */
export async function postgresCopy(
  serverUrl: string,
  template: string,
  name: string,
): Promise<string> {
  await withClient(serverUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  });
  return databaseUrl(serverUrl, name);
}

export async function dropPostgresCopy(serverUrl: string, name: string): Promise<void> {
  await withClient(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** The server's version, for the report. */
export function postgresVersion(serverUrl: string): Promise<string> {
  return withClient(serverUrl, async (c) => {
    const res = await c.query<{ server_version: string }>('SHOW server_version');
    return res.rows[0].server_version;
  });
}
