import DataLoader from 'dataloader';
import type { Agent, Party } from '../domain/directory.model';
import type { DirectoryService } from '../domain/directory.service';

export interface DirectoryLoaders {
  party: DataLoader<string, Party | null>;
  agent: DataLoader<string, Agent | null>;
}

// Bounds the IN (...) list of one statement.
const MAX_BATCH = 500;

/** A fresh set for each request: one statement per kind for all the names a response needs. */
export function createDirectoryLoaders(directory: DirectoryService): DirectoryLoaders {
  return {
    party: new DataLoader((ids) => directory.partiesByIds(ids), { maxBatchSize: MAX_BATCH }),
    agent: new DataLoader((ids) => directory.agentsByIds(ids), { maxBatchSize: MAX_BATCH }),
  };
}
