import { DataSource, type Logger as TypeOrmLogger } from 'typeorm';
import type { DatabaseConfig } from './config';
import { applySqlitePragmas } from './db/sqlite-pragmas';
import { AgentEntity } from './directory/agent.entity';
import { PartyEntity } from './directory/party.entity';
import { MeetingAgentEntity } from './meetings/meeting-agent.entity';
import { MeetingPartyEntity } from './meetings/meeting-party.entity';
import { MeetingEntity } from './meetings/meeting.entity';
import { Initial1764288000000 } from './migrations/1764288000000-initial';
import { MeetingSearchIndex1764374400000 } from './migrations/1764374400000-meeting-search-index';

export const ENTITIES = [
  MeetingEntity,
  MeetingPartyEntity,
  MeetingAgentEntity,
  PartyEntity,
  AgentEntity,
];

/** Every migration, oldest first. A new migration file is added here. */
export const MIGRATIONS = [Initial1764288000000, MeetingSearchIndex1764374400000];

/** Builds (does not open) the TypeORM DataSource for a database configuration. */
export function createDataSource(config: DatabaseConfig, logger?: TypeOrmLogger): DataSource {
  return new DataSource({
    type: 'better-sqlite3',
    database: config.path,
    timeout: config.busyTimeoutMs,
    prepareDatabase: (db) => applySqlitePragmas(db, config.busyTimeoutMs),
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logger,
    maxQueryExecutionTime: 1000,
  });
}
