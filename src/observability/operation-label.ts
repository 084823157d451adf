import {
  type DocumentNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** A request that ended before its operation was known (refused, not parsed, not valid). */
export const UNKNOWN_OPERATION = 'unknown';
/** Several root fields in one operation. */
export const MULTIPLE_OPERATION = 'multiple';
/** Past the cap of distinct values of a label. */
export const OTHER_VALUE = 'other';

/**
 * The name of a validated operation for metrics: its root field (`meeting`, `createMeeting`),
 * `introspection` for __schema/__type alone, `multiple` for several root fields. Root fields are
 * the schema's, never a client's string (operation names are: they are not used).
 */
export function operationLabel(operation: OperationDefinitionNode, document: DocumentNode): string {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    }
  }
  const fields = new Set<string>();
  const visited = new Set<string>();
  const collect = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value !== '__typename') fields.add(selection.name.value);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        collect(selection.selectionSet);
      } else if (!visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) collect(fragment.selectionSet);
      }
    }
  };
  collect(operation.selectionSet);
  if (fields.size === 0) return UNKNOWN_OPERATION;
  if ([...fields].every((name) => name === '__schema' || name === '__type')) {
    return 'introspection';
  }
  return fields.size === 1 ? [...fields][0] : MULTIPLE_OPERATION;
}

/**
 * The values a label has taken, at most `max` distinct ones: later new values are `other`, so that
 * no input, however varied, grows the number of series past a bound.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(private readonly max: number) {}

  of(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.max) return OTHER_VALUE;
    this.seen.add(value);
    return value;
  }
}
