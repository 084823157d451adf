import { type DirectoryLoaders, createDirectoryLoaders } from './directory/directory.loaders';
import type { DirectoryService } from './directory/directory.service';
import type { Actor } from './meetings/meeting.model';

/** What each GraphQL request carries through its resolvers. */
export interface GatewayContext {
  requestId: string;
  caller: Actor;
  loaders: DirectoryLoaders;
}

export function createContext(requestId: string, directory: DirectoryService): GatewayContext {
  // Callers are anonymous until authentication lands: createdByName stays null.
  return { requestId, caller: { name: null }, loaders: createDirectoryLoaders(directory) };
}
