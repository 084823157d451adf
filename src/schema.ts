import type { GraphQLSchema } from 'graphql';
import { type PubSub, buildSchema } from 'type-graphql';
import { DirectoryResolver } from './directory/graphql/directory.resolver';
import { MeetingChangeResolver } from './meetings/graphql/meeting-change.resolver';
import {
  MeetingConnectionResolver,
  MeetingSearchResultResolver,
} from './meetings/graphql/meeting-connection.resolver';
import {
  MeetingAgentResolver,
  MeetingPartyResolver,
} from './meetings/graphql/meeting-participants.resolver';
import { MeetingResolver } from './meetings/graphql/meeting.resolver';
import { NodeResolver } from './relay/node.resolver';
import type { Services } from './context';
import { DateTimeScalar } from './scalars';

/** Builds the executable schema; resolvers are singletons holding the services. */
export async function buildGatewaySchema(services: Services): Promise<GraphQLSchema> {
  const resolvers = [
    new MeetingResolver(services.meetings),
    new DirectoryResolver(services.directory),
    new MeetingPartyResolver(),
    new MeetingAgentResolver(),
    new MeetingConnectionResolver(),
    new MeetingSearchResultResolver(),
    new MeetingChangeResolver(services.meetings),
    new NodeResolver(services.meetings),
  ];
  const byClass = new Map<unknown, unknown>(resolvers.map((r) => [r.constructor, r]));
  return buildSchema({
    resolvers: [
      MeetingResolver,
      DirectoryResolver,
      MeetingPartyResolver,
      MeetingAgentResolver,
      MeetingConnectionResolver,
      MeetingSearchResultResolver,
      MeetingChangeResolver,
      NodeResolver,
    ],
    container: { get: (someClass) => byClass.get(someClass) },
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    // Inputs are checked by the services, which report every problem at once with REST codes.
    validate: false,
    // Subscriptions bring their own source (`subscribe`): no topics are published.
    pubSub: NO_TOPICS,
    // type-graphql's check runs the whole introspection query (a twentieth of the start); graphql-js
    // validates the schema anyway before Apollo serves it, and schema.graphql's test prints it.
    skipCheck: true,
  });
}

const NO_TOPICS: PubSub = {
  publish() {
    throw new Error('Subscriptions here read the change feed; nothing is published to topics');
  },
  subscribe() {
    throw new Error('Subscriptions here read the change feed; nothing is published to topics');
  },
};
