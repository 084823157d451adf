import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  type DocumentNode,
  type GraphQLSchema,
  Kind,
  execute,
  isObjectType,
  parse,
  printSchema,
  visit,
} from 'graphql';
import { createResolversMap } from 'type-graphql';
import type { GatewayContext } from '../context';
import { lengthOf, listCost } from '../limits/list-cost';
import type { Services } from '../context';
import { buildGatewaySchema } from '../schema';

/** The entities of this subgraph and their keys: what other subgraphs may refer to. */
export const ENTITY_KEYS = {
  Meeting: 'meetingId',
  Party: 'partyId',
  Agent: 'agentId',
} as const;

const FEDERATION_LINK = `extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
`;

/** The core schema's SDL with a Federation 2 link and the @key of each entity. */
function subgraphTypeDefs(core: GraphQLSchema): DocumentNode {
  const document = parse(`${FEDERATION_LINK}\n${printSchema(core)}`);
  return visit(document, {
    ObjectTypeDefinition(node) {
      // Subscriptions are served over WebSocket at /graphql; this HTTP endpoint has none to offer.
      if (node.name.value === 'Subscription') return null;
      const key = ENTITY_KEYS[node.name.value as keyof typeof ENTITY_KEYS];
      if (!key) return undefined;
      return {
        ...node,
        directives: [
          ...(node.directives ?? []),
          {
            kind: Kind.DIRECTIVE,
            name: { kind: Kind.NAME, value: 'key' },
            arguments: [
              {
                kind: Kind.ARGUMENT,
                name: { kind: Kind.NAME, value: 'fields' },
                value: { kind: Kind.STRING, value: key },
              },
            ],
          },
        ],
      };
    },
  });
}

type Reference = Record<string, unknown>;

/** Resolves an entity reference through a per-request loader: one batch, scoped to the caller. */
function byKey(
  key: string,
  loader: (ctx: GatewayContext) => { load(id: string): Promise<unknown> },
) {
  return {
    __resolveReference: (reference: Reference, ctx: GatewayContext) => {
      const id = reference[key];
      return typeof id === 'string' ? loader(ctx).load(id) : null;
    },
  };
}

/**
 * The gateway as an Apollo Federation 2 subgraph of the built core schema (its resolvers are
 * reused, not rebuilt): the core unchanged, plus `@key` on
 * Meeting, Party and Agent, `_service` and `_entities`. The core's resolvers and cost estimates
 * are kept; an `_entities` call costs like a list of its representations.
 */
export function buildSubgraph(core: GraphQLSchema): GraphQLSchema {
  const resolvers = createResolversMap(core) as Record<string, Record<string, unknown>>;
  const references = {
    Meeting: byKey(ENTITY_KEYS.Meeting, (ctx) => ctx.entities.meeting),
    Party: byKey(ENTITY_KEYS.Party, (ctx) => ctx.entities.party),
    Agent: byKey(ENTITY_KEYS.Agent, (ctx) => ctx.entities.agent),
  };
  for (const [type, reference] of Object.entries(references)) {
    resolvers[type] = { ...resolvers[type], ...reference };
  }
  const subgraph = buildSubgraphSchema({
    typeDefs: subgraphTypeDefs(core),
    // The map holds scalars and enums as well as field resolvers, as graphql-tools' maps do.
    resolvers: resolvers as never,
  });
  copyFieldExtensions(core, subgraph);
  const entities = subgraph.getQueryType()?.getFields()._entities;
  if (entities) setExtensions(entities, { complexity: listCost(lengthOf('representations')) });
  return subgraph;
}

/** The subgraph SDL as a federation router reads it from `_service { sdl }`. */
export async function printSubgraph(): Promise<string> {
  // _service needs no service: it prints the SDL the schema was built from.
  const schema = buildSubgraph(await buildGatewaySchema({} as Services));
  const result = await execute({ schema, document: parse('{ _service { sdl } }') });
  const sdl = (result.data as { _service: { sdl: string } } | null)?._service.sdl;
  if (!sdl) throw new Error(`No subgraph SDL: ${JSON.stringify(result.errors)}`);
  return `${sdl}\n`;
}

function setExtensions(field: { extensions: unknown }, extensions: Record<string, unknown>) {
  field.extensions = { ...(field.extensions as object), ...extensions };
}

/** Field extensions (cost estimates) are lost in SDL; copy them from the core schema. */
function copyFieldExtensions(from: GraphQLSchema, to: GraphQLSchema): void {
  for (const type of Object.values(from.getTypeMap())) {
    const target = to.getType(type.name);
    if (!isObjectType(type) || !isObjectType(target)) continue;
    const targetFields = target.getFields();
    for (const [name, field] of Object.entries(type.getFields())) {
      if (targetFields[name]) setExtensions(targetFields[name], field.extensions);
    }
  }
}
