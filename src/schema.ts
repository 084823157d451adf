import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import {
  DirectoryResolver,
  MeetingAgentResolver,
  MeetingPartyResolver,
} from './directory/graphql/directory.resolver';
import type { DirectoryService } from './directory/domain/directory.service';
import { MeetingConnectionResolver } from './meetings/graphql/meeting-connection.resolver';
import { MeetingResolver } from './meetings/graphql/meeting.resolver';
import type { MeetingService } from './meetings/domain/meeting.service';
import { NodeResolver } from './relay/node.resolver';
import { DateTimeScalar } from './scalars';

export interface Services {
  meetings: MeetingService;
  directory: DirectoryService;
}

/** Builds the executable schema; resolvers are singletons holding the services. */
export async function buildGatewaySchema(services: Services): Promise<GraphQLSchema> {
  const resolvers = [
    new MeetingResolver(services.meetings),
    new DirectoryResolver(services.directory),
    new MeetingPartyResolver(),
    new MeetingAgentResolver(),
    new MeetingConnectionResolver(),
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
      NodeResolver,
    ],
    container: { get: (someClass) => byClass.get(someClass) },
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    // Inputs are checked by the services, which report every problem at once with REST codes.
    validate: false,
  });
}
