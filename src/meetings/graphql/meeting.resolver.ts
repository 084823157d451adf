import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { toGlobalId } from '../../relay/global-id';
import type { GatewayContext } from '../../context';
import { listCost, sizeArg } from '../../limits/list-cost';
import { UUIDScalar } from '../../scalars';
import { SEARCH_LIMITS } from '../domain/meeting-search';
import {
  DeleteMeetingArgs,
  MeetingInput,
  MeetingTombstonesArgs,
  MeetingsArgs,
  MeetingsConnectionArgs,
  UpdateMeetingArgs,
} from './meeting.inputs';
import type { MeetingService } from '../domain/meeting.service';
import {
  Address,
  CreateMeetingPayload,
  DeleteMeetingPayload,
  Meeting,
  MeetingConnection,
  MeetingSearchResult,
  MeetingTombstoneResult,
  UpdateMeetingPayload,
} from './meeting.types';

const pageCost = listCost(sizeArg(['size'], SEARCH_LIMITS));
const connectionCost = listCost(sizeArg(['first', 'last'], SEARCH_LIMITS));

@Resolver(() => Meeting)
export class MeetingResolver {
  constructor(private readonly service: MeetingService) {}

  @Query(() => Meeting, {
    nullable: true,
    description: 'One meeting, doorCode included. Unknown id: INVALID_ID; deleted: GONE.',
  })
  meeting(
    @Arg('meetingId', () => UUIDScalar) meetingId: string,
    @Ctx() ctx: GatewayContext,
  ): Promise<Meeting> {
    return this.service.get(ctx.caller, meetingId);
  }

  @Query(() => MeetingSearchResult, {
    complexity: pageCost,
    description:
      'The REST search. Default sort: visitTime descending; meetingId breaks ties, in the direction of the last sort key.',
  })
  async meetings(
    @Args() args: MeetingsArgs,
    @Ctx() ctx: GatewayContext,
  ): Promise<MeetingSearchResult> {
    const page = await this.service.search(ctx.caller, args);
    return { meetings: page.items, count: page.count };
  }

  @Query(() => MeetingConnection, {
    complexity: connectionCost,
    description:
      'The search as a Relay connection with keyset cursors: first/after forward, last/before backward.',
  })
  async meetingsConnection(
    @Args() args: MeetingsConnectionArgs,
    @Ctx() ctx: GatewayContext,
  ): Promise<MeetingConnection> {
    const page = await this.service.connection(ctx.caller, args);
    return { ...page, nodes: page.edges.map((e) => e.node) };
  }

  @Query(() => MeetingTombstoneResult, {
    complexity: pageCost,
    description:
      'Deleted meetings, oldest deletion first, so that a sync client can drop its copies.',
    deprecationReason: 'Use meetingChanges: its DELETED changes never skip one.',
  })
  async meetingTombstones(
    @Args() args: MeetingTombstonesArgs,
    @Ctx() ctx: GatewayContext,
  ): Promise<MeetingTombstoneResult> {
    const page = await this.service.tombstones(
      ctx.caller,
      args.deletedAfter ?? null,
      args.startIndex ?? 0,
      args.size ?? 50,
    );
    return { tombstones: page.items, totalCount: page.totalCount };
  }

  @Mutation(() => CreateMeetingPayload)
  async createMeeting(
    @Arg('input', () => MeetingInput) input: MeetingInput,
    @Ctx() ctx: GatewayContext,
  ): Promise<CreateMeetingPayload> {
    const meeting = await this.service.create(ctx.caller, input, {
      idempotency: ctx.idempotency,
    });
    return { meetingId: meeting.meetingId, meeting };
  }

  @Mutation(() => UpdateMeetingPayload, {
    description:
      'Replaces the whole meeting. WON, LOST and CANCELLED meetings keep their parties and visitTime.',
  })
  async updateMeeting(
    @Args() { meetingId, input, expectedVersion }: UpdateMeetingArgs,
    @Ctx() ctx: GatewayContext,
  ): Promise<UpdateMeetingPayload> {
    const meeting = await this.service.update(ctx.caller, meetingId, input, {
      expectedVersion,
      idempotency: ctx.idempotency,
    });
    return { meeting };
  }

  @Mutation(() => DeleteMeetingPayload, { description: 'Deletes a WAITING meeting.' })
  async deleteMeeting(
    @Args() { meetingId, expectedVersion }: DeleteMeetingArgs,
    @Ctx() ctx: GatewayContext,
  ): Promise<DeleteMeetingPayload> {
    const deleted = await this.service.delete(ctx.caller, meetingId, {
      expectedVersion,
      idempotency: ctx.idempotency,
    });
    return { meetingId: deleted };
  }

  @FieldResolver(() => ID, { description: 'The global id (Relay).' })
  id(@Root() meeting: Meeting): string {
    return toGlobalId('Meeting', meeting.meetingId);
  }

  @FieldResolver(() => Address, {
    nullable: true,
    description: "The realty's address, as search results show it.",
  })
  address(@Root() meeting: Meeting): Address | null {
    return meeting.meetingRealty.address ?? null;
  }
}
