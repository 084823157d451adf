import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import { UUIDScalar } from '../scalars';
import {
  MeetingInput,
  MeetingTombstonesArgs,
  MeetingsArgs,
  UpdateMeetingArgs,
} from './meeting.inputs';
import type { MeetingService } from './meeting.service';
import {
  Address,
  CreateMeetingPayload,
  DeleteMeetingPayload,
  Meeting,
  MeetingSearchResult,
  MeetingTombstoneResult,
  UpdateMeetingPayload,
} from './meeting.types';

@Resolver(() => Meeting)
export class MeetingResolver {
  constructor(private readonly service: MeetingService) {}

  @Query(() => Meeting, {
    nullable: true,
    description: 'One meeting, doorCode included. Unknown id: INVALID_ID; deleted: GONE.',
  })
  meeting(@Arg('meetingId', () => UUIDScalar) meetingId: string): Promise<Meeting> {
    return this.service.get(meetingId);
  }

  @Query(() => MeetingSearchResult, {
    description: 'The REST search. Default sort: visitTime descending; meetingId breaks ties.',
  })
  async meetings(@Args() args: MeetingsArgs): Promise<MeetingSearchResult> {
    const page = await this.service.search(args);
    return { meetings: page.items, totalCount: page.totalCount };
  }

  @Query(() => MeetingTombstoneResult, {
    description:
      'Deleted meetings, oldest deletion first, so that a sync client can drop its copies.',
  })
  async meetingTombstones(@Args() args: MeetingTombstonesArgs): Promise<MeetingTombstoneResult> {
    const page = await this.service.tombstones(
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
    const meeting = await this.service.create(input, ctx.caller);
    return { meetingId: meeting.meetingId, meeting };
  }

  @Mutation(() => UpdateMeetingPayload, {
    description:
      'Replaces the whole meeting. WON, LOST and CANCELLED meetings keep their parties and visitTime.',
  })
  async updateMeeting(
    @Args() { meetingId, input }: UpdateMeetingArgs,
  ): Promise<UpdateMeetingPayload> {
    return { meeting: await this.service.update(meetingId, input) };
  }

  @Mutation(() => DeleteMeetingPayload, { description: 'Deletes a WAITING meeting.' })
  async deleteMeeting(
    @Arg('meetingId', () => UUIDScalar) meetingId: string,
  ): Promise<DeleteMeetingPayload> {
    return { meetingId: await this.service.delete(meetingId) };
  }

  @FieldResolver(() => Address, {
    nullable: true,
    description: "The realty's address, as search results show it.",
  })
  address(@Root() meeting: Meeting): Address | null {
    return meeting.meetingRealty.address ?? null;
  }
}
