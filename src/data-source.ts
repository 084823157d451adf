import { DataSource, type Logger as TypeOrmLogger } from 'typeorm';
import type { DatabaseConfig } from './config/database-url';
import { applySqlitePragmas } from './db/sqlite-pragmas';
import { agentTable, partyTable } from './directory/storage/directory.table';
import { healthProbeTable } from './db/health-probe.table';
import type { Dialect } from './db/sql';
import { idempotencyKeyTable } from './idempotency/idempotency-key.table';
import {
  meetingAgentTable,
  meetingChangeTable,
  meetingPartyTable,
  meetingTable,
  meetingTallyTable,
} from './meetings/storage/meeting.table';
import { Initial1764288000000 as PostgresInitial } from './migrations/postgres/1764288000000-initial';
import { MeetingSearchIndex1764374400000 as PostgresMeetingSearchIndex } from './migrations/postgres/1764374400000-meeting-search-index';
import { WriteSafety1764460800000 as PostgresWriteSafety } from './migrations/postgres/1764460800000-write-safety';
import { MeetingChanges1764547200000 as PostgresMeetingChanges } from './migrations/postgres/1764547200000-meeting-changes';
import { SearchPlans1764633600000 as PostgresSearchPlans } from './migrations/postgres/1764633600000-search-plans';
import { Initial1764288000000 as SqliteInitial } from './migrations/sqlite/1764288000000-initial';
import { MeetingSearchIndex1764374400000 as SqliteMeetingSearchIndex } from './migrations/sqlite/1764374400000-meeting-search-index';
import { WriteSafety1764460800000 as SqliteWriteSafety } from './migrations/sqlite/1764460800000-write-safety';
import { MeetingChanges1764547200000 as SqliteMeetingChanges } from './migrations/sqlite/1764547200000-meeting-changes';
import { SearchPlans1764633600000 as SqliteSearchPlans } from './migrations/sqlite/1764633600000-search-plans';

/** Every table the gateway declares (meeting_fts, made by the migrations alone, is not one). */
export const TABLES = [
  meetingTable,
  meetingPartyTable,
  meetingAgentTable,
  meetingChangeTable,
  meetingTallyTable,
  partyTable,
  agentTable,
  idempotencyKeyTable,
  healthProbeTable,
];

/** The TypeORM entities of a dialect, built from the table declarations. */
export function entities(dialect: Dialect) {
  return TABLES.map((table) => table.entity(dialect));
}

/**
 * Every migration of each dialect, oldest first: the same history (names and order) on both, each
 * written in its own dialect. A new migration is added to both folders and listed here.
 */
export const MIGRATIONS = {
  sqlite: [
    SqliteInitial,
    SqliteMeetingSearchIndex,
    SqliteWriteSafety,
    SqliteMeetingChanges,
    SqliteSearchPlans,
  ],
  postgres: [
    PostgresInitial,
    PostgresMeetingSearchIndex,
    PostgresWriteSafety,
    PostgresMeetingChanges,
    PostgresSearchPlans,
  ],
};

/** Builds (does not open) the TypeORM DataSource for a database configuration. */
export function createDataSource(config: DatabaseConfig, logger?: TypeOrmLogger): DataSource {
  if (config.type === 'postgres') {
    return new DataSource({
      type: 'postgres',
      url: config.url,
      schema: config.schema,
      poolSize: config.poolSize,
      connectTimeoutMS: config.connectTimeoutMs,
      applicationName: 'meetings-gateway',
      extra: {
        statement_timeout: config.statementTimeoutMs,
        // Unqualified names are the gateway's tables; extensions (pg_trgm) are found in public.
        options: `-c search_path=${config.schema},public`,
        idleTimeoutMillis: 30_000,
      },
      entities: entities('postgres'),
      migrations: MIGRATIONS.postgres,
      migrationsTransactionMode: 'each',
      synchronize: false,
      logger,
      maxQueryExecutionTime: 1000,
    });
  }
  return new DataSource({
    type: 'better-sqlite3',
    database: config.path,
    timeout: config.busyTimeoutMs,
    prepareDatabase: (db) => applySqlitePragmas(db, config.busyTimeoutMs),
    entities: entities('sqlite'),
    migrations: MIGRATIONS.sqlite,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logger,
    maxQueryExecutionTime: 1000,
  });
}
