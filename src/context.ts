import DataLoader from 'dataloader';
import type { Caller } from './auth/caller';
import {
  type DirectoryLoaders,
  createDirectoryLoaders,
} from './directory/graphql/directory.loaders';
import type { Agent, Party } from './directory/domain/directory.model';
import type { DirectoryService } from './directory/domain/directory.service';
import type { IdempotencyClaim } from './idempotency/idempotency';
import type { Meeting } from './meetings/domain/meeting.model';
import type { MeetingService } from './meetings/domain/meeting.service';
import { SEARCH_LIMITS } from './meetings/domain/meeting-search';

/** The services the resolvers call: the domain, free of GraphQL. */
export interface Services {
  meetings: MeetingService;
  directory: DirectoryService;
}

/** Loaders of the objects other services refer to by key (federation entities), scoped to the caller. */
export interface EntityLoaders {
  meeting: DataLoader<string, Meeting | null>;
  party: DataLoader<string, Party | null>;
  agent: DataLoader<string, Agent | null>;
}

/** What each GraphQL request carries through its resolvers. */
export interface GatewayContext {
  requestId: string;
  caller: Caller;
  /** For what a resolver class cannot hold: a subscription's source stream. */
  services: Services;
  loaders: DirectoryLoaders;
  entities: EntityLoaders;
  /** The request's Idempotency-Key, once the operation is known to be one mutation field. */
  idempotency?: IdempotencyClaim;
}

export function createContext(
  requestId: string,
  caller: Caller,
  services: Services,
): GatewayContext {
  let entities: EntityLoaders | undefined;
  return {
    requestId,
    caller,
    services,
    loaders: createDirectoryLoaders(services.directory),
    // Only federation's entity references use these: made on first use, not for every request.
    get entities() {
      // A batch is one statement; meetings by id take at most a page's worth of ids at a time.
      const batch = { maxBatchSize: SEARCH_LIMITS.maxSize };
      entities ??= {
        meeting: new DataLoader((ids) => services.meetings.getMany(caller, ids), batch),
        party: new DataLoader((ids) => services.directory.partiesFor(caller, ids), batch),
        agent: new DataLoader((ids) => services.directory.agentsFor(caller, ids), batch),
      };
      return entities;
    },
  };
}
