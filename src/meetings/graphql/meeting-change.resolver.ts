import { Args, Ctx, FieldResolver, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { GatewayContext } from '../../context';
import { listCost, sizeArg } from '../../limits/list-cost';
import { CHANGE_LIMITS, type LiveMeetingChange } from '../domain/meeting-changes';
import type { MeetingService } from '../domain/meeting.service';
import {
  MeetingChange,
  MeetingChangeConnection,
  MeetingChangedArgs,
  MeetingChangesArgs,
} from './meeting-change.types';
import { Meeting } from './meeting.types';

const changesCost = listCost(sizeArg(['first'], CHANGE_LIMITS));

@Resolver(() => MeetingChange)
export class MeetingChangeResolver {
  constructor(private readonly service: MeetingService) {}

  @Query(() => MeetingChangeConnection, {
    complexity: changesCost,
    description:
      "Every create, update and delete of the caller's offices' meetings after a cursor, none ever skipped; each meeting's changes in commit order. An expired cursor: SYNC_CURSOR_EXPIRED.",
  })
  meetingChanges(
    @Args() args: MeetingChangesArgs,
    @Ctx() ctx: GatewayContext,
  ): Promise<MeetingChangeConnection> {
    return this.service.changes(ctx.caller, args);
  }

  @Query(() => String, {
    description:
      'A cursor at the present end of the change feed: meetingChanges after it starts from now.',
  })
  latestChangeCursor(): Promise<string> {
    return this.service.latestChangeCursor();
  }

  @Subscription(() => MeetingChange, {
    description:
      "Each create, update and delete of the caller's offices' meetings as it commits, over WebSocket (graphql-ws): in commit order, each with its cursor to resume after.",
    subscribe: ({ args, context }) =>
      (context as GatewayContext).services.meetings.watchChanges(
        (context as GatewayContext).caller,
        args as MeetingChangedArgs,
      ),
  })
  meetingChanged(
    @Root() change: LiveMeetingChange,
    // Declares the arguments; `subscribe` reads them.
    @Args() _args: MeetingChangedArgs,
  ): LiveMeetingChange {
    return change;
  }

  @FieldResolver(() => Meeting, {
    nullable: true,
    description: 'The meeting as it is now; null when op is DELETED (or it is gone since).',
  })
  async meeting(
    @Root() change: MeetingChange,
    @Ctx() ctx: GatewayContext,
  ): Promise<Meeting | null> {
    if (change.op === 'DELETED') return null;
    // Live: read once for every subscriber the change goes to.
    if ('meetingNow' in change) return (change as LiveMeetingChange).meetingNow();
    return ctx.entities.meeting.load(change.meetingId);
  }
}
