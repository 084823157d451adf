import { createHash } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import {
  type DocumentNode,
  type FieldNode,
  GraphQLError,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  print,
} from 'graphql';
import type { Caller } from '../auth/caller';
import { AppError } from '../errors';
import { type IdempotencyClaim, keyInUse } from './idempotency';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'idempotent-replayed';

/** What the plugin needs of a request's context: who asks, and where to leave the claim. */
export interface IdempotencyContext {
  caller: Pick<Caller, 'subject'>;
  idempotency?: IdempotencyClaim;
}

/** 1 to 255 printable ASCII characters. */
const WELL_FORMED_KEY = /^[\x20-\x7e]{1,255}$/;

/**
 * Keys whose request runs in this process now. A repeat that arrives meanwhile is answered
 * IDEMPOTENCY_KEY_IN_USE at once; across instances (PostgreSQL) the key's lock in the write
 * transaction does the same.
 */
export class RunningKeys {
  private readonly running = new Set<string>();

  claim(id: string): boolean {
    if (this.running.has(id)) return false;
    this.running.add(id);
    return true;
  }

  release(id: string): void {
    this.running.delete(id);
  }
}

/**
 * The Idempotency-Key header of the contract: checked (well formed, on an operation with exactly one
 * mutation field), fingerprinted (the operation and its variables), and handed to the resolver in
 * the context; a replayed answer carries `Idempotent-Replayed: true`.
 */
export function idempotencyPlugin(
  running: RunningKeys,
  ttlMs: number,
): ApolloServerPlugin<IdempotencyContext> {
  return {
    async requestDidStart({ request }) {
      const header = request.http?.headers.get(IDEMPOTENCY_KEY_HEADER);
      if (header === undefined) return;
      let held: string | undefined;
      return {
        async didResolveOperation({ operation, document, request, contextValue }) {
          const key = checkKey(header);
          const field = onlyMutationField(operation, document);
          const claim: IdempotencyClaim = {
            caller: contextValue.caller.subject,
            key,
            fingerprint: fingerprintOf(field, request.variables),
            operation: field.name.value,
            ttlMs,
            replayed: false,
          };
          const id = `${claim.caller}\n${key}`;
          if (!running.claim(id)) throw requestError(keyInUse());
          held = id;
          contextValue.idempotency = claim;
        },
        async willSendResponse({ response, contextValue }) {
          if (held !== undefined) running.release(held);
          if (contextValue.idempotency?.replayed)
            response.http.headers.set(REPLAYED_HEADER, 'true');
          // Refused in the mutation by another instance's hold on the key: the same status as
          // a refusal before it runs.
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : [];
          if (errors?.some((e) => e.extensions?.code === 'IDEMPOTENCY_KEY_IN_USE')) {
            response.http.status = keyInUse().status;
          }
        },
      };
    },
  };
}

function checkKey(header: string): string {
  if (WELL_FORMED_KEY.test(header)) return header;
  throw badKey('An Idempotency-Key is 1 to 255 printable ASCII characters');
}

/** The operation's one mutation field; anything else may not carry a key. */
function onlyMutationField(
  operation: OperationDefinitionNode | undefined,
  document: DocumentNode,
): FieldNode {
  if (operation?.operation !== 'mutation') {
    throw badKey('An Idempotency-Key is sent with a mutation only');
  }
  const fields = rootFields(operation.selectionSet, document, new Set());
  if (fields.length !== 1) {
    throw badKey('An Idempotency-Key is sent with an operation of exactly one mutation field');
  }
  return fields[0];
}

function rootFields(set: SelectionSetNode, document: DocumentNode, seen: Set<string>): FieldNode[] {
  return set.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [selection];
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      return rootFields(selection.selectionSet, document, seen);
    }
    const name = selection.name.value;
    if (seen.has(name)) return [];
    seen.add(name);
    const fragment = document.definitions.find(
      (d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === name,
    );
    return fragment && fragment.kind === Kind.FRAGMENT_DEFINITION
      ? rootFields(fragment.selectionSet, document, seen)
      : [];
  });
}

/**
 * The request as a write: the mutation field, its arguments and the variables (in any key order).
 * What it selects, its aliases, the operation's name and the query's layout may differ in a
 * repeat: they change the answer's shape, not the write. (Bodies nest at most 64 levels: the
 * variables are shallow enough to walk.)
 */
function fingerprintOf(field: FieldNode, variables: Record<string, unknown> | undefined): string {
  const args = (field.arguments ?? [])
    .map((arg) => `${arg.name.value}:${print(arg.value)}`)
    .sort()
    .join(',');
  return createHash('sha256')
    .update(field.name.value)
    .update('\0')
    .update(args)
    .update('\0')
    .update(JSON.stringify(sortedKeys(variables ?? {})))
    .digest('hex');
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortedKeys((value as Record<string, unknown>)[k])]),
  );
}

function badKey(message: string): GraphQLError {
  return requestError(
    new AppError('BAD_REQUEST_PARAMETERS', 'Invalid Idempotency-Key', [
      { target: 'Idempotency-Key', errorCode: 'INVALID_VALUE', message },
    ]),
  );
}

/** A refusal before any resolver runs: the HTTP status is the error's own. */
function requestError(error: AppError): GraphQLError {
  return new GraphQLError(error.message, {
    originalError: error,
    extensions: { http: { status: error.status } },
  });
}
