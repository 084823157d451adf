import { FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { MeetingConnection, MeetingSearchResult } from './meeting.types';

@Resolver(() => MeetingConnection)
export class MeetingConnectionResolver {
  @FieldResolver(() => Int, {
    description: 'The number of all matches: counted only when selected.',
  })
  totalCount(@Root() connection: MeetingConnection): Promise<number> {
    return connection.count();
  }
}

@Resolver(() => MeetingSearchResult)
export class MeetingSearchResultResolver {
  @FieldResolver(() => Int, {
    description:
      'The number of all meetings that match, on every page: counted only when selected.',
  })
  totalCount(@Root() result: MeetingSearchResult): Promise<number> {
    return result.count();
  }
}
