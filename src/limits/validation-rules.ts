import {
  type ASTVisitor,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

/**
 * Validation rules that refuse a document before anything runs: too deep, too many aliases, too many
 * directives. Fragments count where they are spread.
 */

function limitError(what: string, actual: number, max: number): GraphQLError {
  return new GraphQLError(`The query has ${what} ${actual}; at most ${max} are allowed`, {
    extensions: { limit: what, max, actual },
  });
}

/** The deepest field nesting of the operation, with fragments expanded; `ofType` does not count. */
export function maxDepthRule(max: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION)
        fragments.set(definition.name.value, definition);
    }
    const depthOf = (
      set: SelectionSetNode | undefined,
      depth: number,
      seen: Set<string>,
    ): number => {
      if (!set || depth > max) return depth;
      let deepest = depth;
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          // Unwrapping a type reference (NonNull, List) is bounded by the schema, not a level of
          // data: GraphiQL's own introspection query nests ofType seven times.
          const level = selection.name.value === 'ofType' ? depth : depth + 1;
          deepest = Math.max(
            deepest,
            selection.selectionSet ? depthOf(selection.selectionSet, level, seen) : level,
          );
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, depthOf(selection.selectionSet, depth, seen));
        } else {
          const name = selection.name.value;
          const fragment = fragments.get(name);
          if (fragment && !seen.has(name))
            deepest = Math.max(
              deepest,
              depthOf(fragment.selectionSet, depth, new Set([...seen, name])),
            );
        }
      }
      return deepest;
    };
    return {
      OperationDefinition(node) {
        const depth = depthOf(node.selectionSet, 0, new Set());
        if (depth > max) context.reportError(limitError('depth', depth, max));
      },
    };
  };
}

/** Counts the aliases of the whole document. */
export function maxAliasesRule(max: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    let count = 0;
    return {
      Field(node) {
        if (node.alias) count += 1;
      },
      Document: {
        leave() {
          if (count > max) context.reportError(limitError('aliases', count, max));
        },
      },
    };
  };
}

/** Counts the directives of the whole document. */
export function maxDirectivesRule(max: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    let count = 0;
    return {
      Directive() {
        count += 1;
      },
      Document: {
        leave() {
          if (count > max) context.reportError(limitError('directives', count, max));
        },
      },
    };
  };
}
