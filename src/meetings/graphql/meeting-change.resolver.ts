import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../../context';
import { listCost, sizeArg } from '../../limits/list-cost';
import { CHANGE_LIMITS } from '../domain/meeting-changes';
import type { MeetingService } from '../domain/meeting.service';
import { MeetingChange, MeetingChangeConnection, MeetingChangesArgs } from './meeting-change.types';
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

  @FieldResolver(() => Meeting, {
    nullable: true,
    description: 'The meeting as it is now; null when op is DELETED (or it is gone since).',
  })
  async meeting(
    @Root() change: MeetingChange,
    @Ctx() ctx: GatewayContext,
  ): Promise<Meeting | null> {
    if (change.op === 'DELETED') return null;
    return ctx.entities.meeting.load(change.meetingId);
  }
}
