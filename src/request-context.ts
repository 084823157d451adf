import { AsyncLocalStorage } from 'node:async_hooks';

/** What every piece of code that runs for one HTTP request may know about it. */
export interface RequestScope {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestScope>();

/** Runs `fn` with `scope` visible to the logger and error formatter, however deep the call. */
export function runInRequestScope<T>(scope: RequestScope, fn: () => T): T {
  return storage.run(scope, fn);
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
