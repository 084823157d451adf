import { ArgsType, Field, InputType, Int } from 'type-graphql';
import { DateTimeScalar, UUIDScalar } from '../../scalars';
import { MeetingRealty, PriceEstimate } from './meeting.types';
import {
  MeetingSortField,
  MeetingTypeCode,
  SortDirection,
  SourceTypeCode,
  StatusCode,
} from '../domain/meeting-codes';
import { PartyTypeCode } from '../../directory/domain/directory.model';

@InputType()
export class MeetingPartyInput {
  @Field(() => UUIDScalar, { description: 'A party the directory knows.' })
  partyId!: string;
  @Field(() => PartyTypeCode)
  partyTypeCode!: PartyTypeCode;
}

@InputType()
export class MeetingAgentInput {
  @Field(() => UUIDScalar, { description: 'An agent the directory knows.' })
  agentId!: string;
}

@InputType({
  description: 'A meeting to create, or the whole new state of one to update: the REST body.',
})
export class MeetingInput {
  @Field(() => MeetingTypeCode)
  typeCode!: MeetingTypeCode;
  @Field(() => StatusCode)
  statusCode!: StatusCode;
  @Field(() => [MeetingPartyInput], { description: 'At least one; each party once.' })
  parties!: MeetingPartyInput[];
  @Field(() => UUIDScalar, { nullable: true })
  realtyId?: string | null;
  @Field(() => DateTimeScalar, { description: 'Any offset; stored and returned in UTC.' })
  visitTime!: Date;
  @Field(() => UUIDScalar)
  agencyOfficeId!: string;
  @Field(() => [MeetingAgentInput], { description: 'At least one; each agent once.' })
  agents!: MeetingAgentInput[];
  @Field(() => SourceTypeCode)
  sourceTypeCode!: SourceTypeCode;
  @Field(() => MeetingRealty)
  meetingRealty!: MeetingRealty;
  @Field(() => PriceEstimate, { nullable: true })
  priceEstimate?: PriceEstimate | null;
  @Field(() => String, { nullable: true, description: 'At most 10,000 characters.' })
  notes?: string | null;
}

@InputType({ description: 'Search filters, combined with AND; a list matches any of its values.' })
export class MeetingFilter {
  @Field(() => [SourceTypeCode], { nullable: true })
  sourceTypeCode?: SourceTypeCode[] | null;
  @Field(() => [StatusCode], { nullable: true })
  statusCode?: StatusCode[] | null;
  @Field(() => [UUIDScalar], { nullable: true })
  agencyOfficeId?: string[] | null;
  @Field(() => [UUIDScalar], { nullable: true })
  partyId?: string[] | null;
  @Field(() => [UUIDScalar], { nullable: true })
  agentId?: string[] | null;
  @Field(() => [MeetingTypeCode], { nullable: true })
  typeCode?: MeetingTypeCode[] | null;
  @Field(() => String, {
    nullable: true,
    description:
      'Case-insensitive words, each of which must appear in the notes, realty title, address, party or agent names, e-mails, phone numbers, or createdByName. At most 200 characters.',
  })
  freeTextSearch?: string | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'visitTime < this' })
  visitTimeBefore?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'visitTime > this' })
  visitTimeAfter?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'modificationTime > this' })
  modifiedAfter?: Date | null;
}

@InputType({
  description:
    'One sort key. meetingId is always applied last, as a tie-breaker, in the direction of the last key.',
})
export class MeetingSort {
  @Field(() => MeetingSortField)
  field!: MeetingSortField;
  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  direction!: SortDirection;
}

@ArgsType()
export class MeetingsArgs {
  @Field(() => MeetingFilter, { nullable: true })
  filter?: MeetingFilter | null;
  @Field(() => [MeetingSort], {
    nullable: true,
    description: 'Sort keys, most significant first. Default: visitTime DESC.',
  })
  sort?: MeetingSort[] | null;
  @Field(() => Int, { nullable: true, defaultValue: 0, description: 'At least 0.' })
  startIndex?: number | null;
  @Field(() => Int, { nullable: true, defaultValue: 50, description: 'From 1 to 100.' })
  size?: number | null;
}

@ArgsType()
export class MeetingTombstonesArgs {
  @Field(() => DateTimeScalar, { nullable: true, description: 'Only meetings deleted after this.' })
  deletedAfter?: Date | null;
  @Field(() => Int, { nullable: true, defaultValue: 0, description: 'At least 0.' })
  startIndex?: number | null;
  @Field(() => Int, { nullable: true, defaultValue: 50, description: 'From 1 to 100.' })
  size?: number | null;
}

const EXPECTED_VERSION =
  "The meeting's version you saw: when it is not the current one, nothing changes and the error is CONFLICT.";

@ArgsType()
export class UpdateMeetingArgs {
  @Field(() => UUIDScalar)
  meetingId!: string;
  @Field(() => MeetingInput)
  input!: MeetingInput;
  @Field(() => Int, { nullable: true, description: EXPECTED_VERSION })
  expectedVersion?: number | null;
}

@ArgsType()
export class DeleteMeetingArgs {
  @Field(() => UUIDScalar)
  meetingId!: string;
  @Field(() => Int, { nullable: true, description: EXPECTED_VERSION })
  expectedVersion?: number | null;
}

@ArgsType()
export class MeetingsConnectionArgs {
  @Field(() => MeetingFilter, { nullable: true })
  filter?: MeetingFilter | null;
  @Field(() => [MeetingSort], {
    nullable: true,
    description:
      'Default: visitTime DESC; meetingId breaks ties (in the direction of the last key).',
  })
  sort?: MeetingSort[] | null;
  @Field(() => Int, {
    nullable: true,
    description: 'The first n after `after`: 1 to 100, default 50.',
  })
  first?: number | null;
  @Field(() => String, { nullable: true })
  after?: string | null;
  @Field(() => Int, { nullable: true, description: 'The last n before `before`: 1 to 100.' })
  last?: number | null;
  @Field(() => String, { nullable: true })
  before?: string | null;
}
