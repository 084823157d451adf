import { AsyncLocalStorage } from 'node:async_hooks';

/** What every piece of code that runs for one HTTP request may know about it. */
export interface RequestScope {
  requestId: string;
  /** When the request must be answered by (ms since the epoch), if it has a time limit. */
  deadline?: number;
  /** Who the request is from, once its token is verified. */
  caller?: string;
  /** The operation's name for metrics (its root field), once Apollo has resolved it. */
  operation?: string;
  /** The error code the request was answered with (the first one), if any. */
  errorCode?: string;
  /** The request's trace id, when it is traced. */
  traceId?: string;
}

const storage = new AsyncLocalStorage<RequestScope>();

/** Runs `fn` with `scope` visible to the logger and error formatter, however deep the call. */
export function runInRequestScope<T>(scope: RequestScope, fn: () => T): T {
  return storage.run(scope, fn);
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

export function currentDeadline(): number | undefined {
  return storage.getStore()?.deadline;
}

/** The running request's scope itself, to note what is learnt about the request as it goes. */
export function currentScope(): RequestScope | undefined {
  return storage.getStore();
}

/** Gives the running request a deadline, `ms` from now. */
export function setDeadline(ms: number): void {
  const scope = storage.getStore();
  if (scope) scope.deadline = Date.now() + ms;
}
