import { FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { MeetingConnection } from './meeting.types';

@Resolver(() => MeetingConnection)
export class MeetingConnectionResolver {
  @FieldResolver(() => Int, {
    description: 'The number of all matches: counted only when selected.',
  })
  totalCount(@Root() connection: MeetingConnection): Promise<number> {
    return connection.count();
  }
}
