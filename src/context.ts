import { type DirectoryLoaders, createDirectoryLoaders } from './directory/directory.loaders';
import type { DirectoryService } from './directory/directory.service';
import type { Caller } from './auth/caller';

/** What each GraphQL request carries through its resolvers. */
export interface GatewayContext {
  requestId: string;
  caller: Caller;
  loaders: DirectoryLoaders;
}

export function createContext(
  requestId: string,
  caller: Caller,
  directory: DirectoryService,
): GatewayContext {
  return { requestId, caller, loaders: createDirectoryLoaders(directory) };
}
