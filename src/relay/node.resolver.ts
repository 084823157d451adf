import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { GatewayContext } from '../context';
import { lengthOf, listCost } from '../limits/list-cost';
import type { Meeting as MeetingModel } from '../meetings/domain/meeting.model';
import { SEARCH_LIMITS } from '../meetings/domain/meeting-search';
import type { MeetingService } from '../meetings/domain/meeting.service';
import { Meeting } from '../meetings/graphql/meeting.types';
import { UUIDScalar } from '../scalars';
import { fromGlobalId } from './global-id';
import { Node } from './node.types';

/** Meetings by id for Relay (global ids) and for schema stitching (meeting ids), in one batch. */
@Resolver()
export class NodeResolver {
  constructor(private readonly meetings: MeetingService) {}

  @Query(() => Node, {
    nullable: true,
    description: 'The object of a global id; null when it is not yours or not there.',
  })
  async node(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: GatewayContext,
  ): Promise<MeetingModel | null> {
    return (await this.byGlobalIds(ctx, [id]))[0];
  }

  @Query(() => [Node], {
    nullable: 'items',
    complexity: listCost(lengthOf('ids', SEARCH_LIMITS.maxSize)),
    description: 'Objects of global ids, in their order; at most 100.',
  })
  nodes(
    @Arg('ids', () => [ID]) ids: string[],
    @Ctx() ctx: GatewayContext,
  ): Promise<(MeetingModel | null)[]> {
    return this.byGlobalIds(ctx, ids);
  }

  @Query(() => [Meeting], {
    nullable: 'items',
    complexity: listCost(lengthOf('meetingIds', SEARCH_LIMITS.maxSize)),
    description:
      'Meetings in the order of the ids: null for an unknown, deleted or foreign id. At most 100 ids, one batch (for schema stitching).',
  })
  meetingsByIds(
    @Arg('meetingIds', () => [UUIDScalar]) meetingIds: string[],
    @Ctx() ctx: GatewayContext,
  ): Promise<(MeetingModel | null)[]> {
    return this.meetings.getMany(ctx.caller, meetingIds);
  }

  private byGlobalIds(ctx: GatewayContext, ids: string[]): Promise<(MeetingModel | null)[]> {
    // Only meetings have global ids; anything else resolves to null.
    const meetingIds = ids.map((id) => {
      const decoded = fromGlobalId(id);
      return decoded?.type === 'Meeting' ? decoded.id : '';
    });
    return this.meetings.getMany(ctx.caller, meetingIds);
  }
}
