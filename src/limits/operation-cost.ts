import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  GraphQLIncludeDirective,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  GraphQLSkipDirective,
  Kind,
  type OperationDefinitionNode,
  SchemaMetaFieldDef,
  TypeInfo,
  type SelectionNode,
  TypeMetaFieldDef,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  isAbstractType,
  isLeafType,
  isListType,
  isObjectType,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { isListCost } from './list-cost';

/**
 * The cost of an operation, counted as Shopify and GitHub count, by what the answer holds:
 *
 * - a scalar or enum field costs nothing;
 * - an object costs 1 plus what its fields cost;
 * - a list costs what its items cost: as many items as its `complexity` (list-cost.ts) counts from
 *   its arguments (ids, rows), as many as the page around it holds (a page's `meetings`, `edges`,
 *   `nodes`), or else one (a meeting's parties and agents: their number is the data's, not the
 *   query's);
 * - a field of an interface or union costs what its dearest possible type selects.
 *
 * Fields are merged by response key as execution merges them, and @skip/@include are applied, so
 * a fragment that repeats fields costs nothing more. Undefined when the operation is not in the
 * document or the variables do not coerce: execution refuses those with its own error.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
  /** costVariables(schema, document), when the caller has it already. */
  costVariableNames: readonly string[] = costVariables(schema, document),
): number | undefined {
  const operation = findOperation(document, operationName);
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return undefined;
  // Only the variables a cost reads are coerced: whether another one is of its type does not
  // change the cost, and execution answers for it.
  const read = new Set(costVariableNames);
  const definitions = (operation.variableDefinitions ?? []).filter((d) =>
    read.has(d.variable.name.value),
  );
  const coerced = getVariableValues(schema, definitions, variables, { maxErrors: 1 });
  if (coerced.errors) return undefined;
  return new CostWalk(schema, document, coerced.coerced).selectionCost(
    root,
    operation.selectionSet.selections,
    null,
  );
}

function findOperation(
  document: DocumentNode,
  name: string | null | undefined,
): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (name) return operations.find((o) => o.name?.value === name);
  return operations.length === 1 ? operations[0] : undefined;
}

class CostWalk {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  // A field of the document under a given type and page size costs the same wherever a fragment
  // puts it: remembered, so fragments that spread fragments cost a walk of the text, not of
  // every path through it.
  private readonly known = new Map<FieldNode, Map<string, number>>();

  constructor(
    private readonly schema: GraphQLSchema,
    document: DocumentNode,
    private readonly variables: Record<string, unknown>,
  ) {
    for (const d of document.definitions) {
      if (d.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(d.name.value, d);
    }
  }

  /** The selections on `type`; `pageItems` is the number of items of each list of a page. */
  selectionCost(
    type: GraphQLNamedType,
    selections: readonly SelectionNode[],
    pageItems: number | null,
  ): number {
    const runtimeTypes = isAbstractType(type)
      ? this.schema.getPossibleTypes(type)
      : isObjectType(type)
        ? [type]
        : [];
    let dearest = 0;
    for (const runtimeType of runtimeTypes) {
      const fields = new Map<string, FieldNode[]>();
      this.collectFields(runtimeType, selections, fields, new Set());
      let cost = 0;
      for (const nodes of fields.values()) cost += this.fieldCost(runtimeType, nodes, pageItems);
      dearest = Math.max(dearest, cost);
    }
    return dearest;
  }

  private fieldCost(
    parent: GraphQLObjectType,
    nodes: FieldNode[],
    pageItems: number | null,
  ): number {
    const single = nodes.length === 1 ? nodes[0] : undefined;
    const key = `${parent.name}:${pageItems}`;
    const remembered = single && this.known.get(single)?.get(key);
    if (remembered !== undefined) return remembered;
    const cost = this.computeFieldCost(parent, nodes, pageItems);
    if (single) {
      const costs = this.known.get(single) ?? new Map<string, number>();
      costs.set(key, cost);
      this.known.set(single, costs);
    }
    return cost;
  }

  private computeFieldCost(
    parent: GraphQLObjectType,
    nodes: FieldNode[],
    pageItems: number | null,
  ): number {
    const field = this.fieldDef(parent, nodes[0].name.value);
    const type = field && getNamedType(field.type);
    if (!field || !type || isLeafType(type)) return 0;
    const selections = nodes.flatMap((node) => node.selectionSet?.selections ?? []);
    const complexity = field.extensions.complexity;
    // Undefined: the field does not count its items; null: its count is out of range, and the
    // field refuses it without doing any work.
    const counted = isListCost(complexity)
      ? complexity.items(getArgumentValues(field, nodes[0], this.variables))
      : undefined;
    if (isListType(getNullableType(field.type))) {
      const items = counted === undefined ? (pageItems ?? 1) : (counted ?? 0);
      return items === 0 ? 0 : items * (1 + this.selectionCost(type, selections, null));
    }
    return 1 + this.selectionCost(type, selections, counted === undefined ? null : (counted ?? 0));
  }

  private fieldDef(
    parent: GraphQLObjectType,
    name: string,
  ): GraphQLField<unknown, unknown> | undefined {
    if (parent === this.schema.getQueryType()) {
      if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
      if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
    }
    // __typename is a leaf that is in no type's fields.
    return parent.getFields()[name];
  }

  /** As execution collects them: by response key, with fragments that apply to `runtimeType`. */
  private collectFields(
    runtimeType: GraphQLObjectType,
    selections: readonly SelectionNode[],
    fields: Map<string, FieldNode[]>,
    spread: Set<string>,
  ): void {
    for (const selection of selections) {
      if (!this.included(selection)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        fields.set(key, [...(fields.get(key) ?? []), selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (this.applies(selection.typeCondition?.name.value, runtimeType))
          this.collectFields(runtimeType, selection.selectionSet.selections, fields, spread);
      } else {
        const name = selection.name.value;
        const fragment = this.fragments.get(name);
        if (spread.has(name) || !fragment) continue;
        spread.add(name);
        if (this.applies(fragment.typeCondition.name.value, runtimeType))
          this.collectFields(runtimeType, fragment.selectionSet.selections, fields, spread);
      }
    }
  }

  private applies(condition: string | undefined, runtimeType: GraphQLObjectType): boolean {
    if (condition === undefined) return true;
    const type = this.schema.getType(condition);
    if (type === runtimeType) return true;
    return !!type && isAbstractType(type) && this.schema.isSubType(type, runtimeType);
  }

  private included(node: SelectionNode): boolean {
    if (getDirectiveValues(GraphQLSkipDirective, node, this.variables)?.if === true) return false;
    return getDirectiveValues(GraphQLIncludeDirective, node, this.variables)?.if !== false;
  }
}

/** The variables a cost estimate reads, sorted: arguments of costed fields and of directives. */
export function costVariables(schema: GraphQLSchema, document: DocumentNode): string[] {
  const names = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  const collect = (node: Parameters<typeof visit>[0]) =>
    visit(node, {
      Variable(variable) {
        names.add(variable.name.value);
      },
    });
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(field) {
        if (typeInfo.getFieldDef()?.extensions?.complexity !== undefined) {
          for (const arg of field.arguments ?? []) collect(arg);
        }
      },
      Directive(directive) {
        for (const arg of directive.arguments ?? []) collect(arg);
      },
    }),
  );
  return [...names].sort();
}
