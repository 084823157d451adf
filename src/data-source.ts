import { DataSource, type Logger as TypeOrmLogger } from 'typeorm';
import type { DatabaseConfig } from './config';
import { applySqlitePragmas } from './db/sqlite-pragmas';
import { AgentEntity } from './directory/agent.entity';
import { PartyEntity } from './directory/party.entity';
import { HealthProbeEntity } from './db/health-probe.entity';
import { IdempotencyKeyEntity } from './idempotency/idempotency-key.entity';
import { MeetingAgentEntity } from './meetings/meeting-agent.entity';
import { MeetingPartyEntity } from './meetings/meeting-party.entity';
import { MeetingEntity } from './meetings/meeting.entity';
import * as postgres from './migrations/postgres';
import * as sqlite from './migrations/sqlite';

export const ENTITIES = [
  MeetingEntity,
  MeetingPartyEntity,
  MeetingAgentEntity,
  PartyEntity,
  AgentEntity,
  IdempotencyKeyEntity,
  HealthProbeEntity,
];

/**
 * Every migration of each dialect, oldest first: the same history (names and order) on both, each
 * written in its own dialect. A new migration is added to both folders and listed here.
 */
export const MIGRATIONS = {
  sqlite: [
    sqlite.Initial1764288000000,
    sqlite.MeetingSearchIndex1764374400000,
    sqlite.WriteSafety1764460800000,
  ],
  postgres: [
    postgres.Initial1764288000000,
    postgres.MeetingSearchIndex1764374400000,
    postgres.WriteSafety1764460800000,
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
      entities: ENTITIES,
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
    entities: ENTITIES,
    migrations: MIGRATIONS.sqlite,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logger,
    maxQueryExecutionTime: 1000,
  });
}
