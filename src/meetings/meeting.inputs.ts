import { ArgsType, Field, Float, InputType, Int } from 'type-graphql';
import { DateTimeScalar, UUIDScalar } from '../scalars';
import {
  MeetingSortField,
  MeetingTypeCode,
  PartyTypeCode,
  SortDirection,
  SourceTypeCode,
  StatusCode,
} from './meeting-codes';

@InputType({ description: 'A postal address. Every field is optional, at most 255 characters.' })
export class AddressInput {
  @Field(() => String, { nullable: true })
  addressLine1?: string | null;
  @Field(() => String, { nullable: true })
  addressLine2?: string | null;
  @Field(() => String, { nullable: true })
  stairwell?: string | null;
  @Field(() => String, { nullable: true })
  apartmentNumber?: string | null;
  @Field(() => String, { nullable: true })
  district?: string | null;
  @Field(() => String, { nullable: true })
  districtCode?: string | null;
  @Field(() => String, { nullable: true })
  region?: string | null;
  @Field(() => String, { nullable: true })
  regionCode?: string | null;
  @Field(() => String, { nullable: true })
  postcode?: string | null;
  @Field(() => String, { nullable: true })
  postalArea?: string | null;
  @Field(() => String, { nullable: true })
  locality?: string | null;
  @Field(() => String, { nullable: true })
  localityCode?: string | null;
  @Field(() => String, { nullable: true })
  country?: string | null;
  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2, such as FI.' })
  countryCode?: string | null;
}

@InputType({ description: 'A floor area: both fields are required when the area is given.' })
export class AreaInput {
  @Field(() => Float, { nullable: true, description: 'Greater than 0.' })
  value?: number | null;
  @Field(() => String, { nullable: true, description: 'A code, such as M2.' })
  areaUnitCode?: string | null;
}

@InputType({
  description: 'A price estimate: both fields are required when the estimate is given.',
})
export class PriceEstimateInput {
  @Field(() => Float, { nullable: true, description: 'At least 0.' })
  value?: number | null;
  @Field(() => String, { nullable: true, description: 'ISO 4217, such as EUR.' })
  currencyCode?: string | null;
}

@InputType({
  description:
    'The realty of a meeting. Codes are capital letters, digits and underscores, at most 64 characters.',
})
export class MeetingRealtyInput {
  @Field(() => String, { nullable: true, description: 'Example: SALE' })
  categoryCode?: string | null;
  @Field(() => String, { nullable: true, description: 'Example: SHARE' })
  subCategoryCode?: string | null;
  @Field(() => String, { nullable: true, description: 'Example: RESIDENTIAL' })
  propertyTypeCode?: string | null;
  @Field(() => String, { nullable: true, description: 'Example: APARTMENT_HOUSE' })
  residentialTypeCode?: string | null;
  @Field(() => String, { nullable: true, description: 'Example: HOLIDAY_PLOT' })
  plotPropertyTypeCode?: string | null;
  @Field(() => String, { nullable: true, description: 'Example: ARABLE' })
  estatePropertyTypeCode?: string | null;
  @Field(() => String, { nullable: true, description: 'Example: GARAGE' })
  otherShareTypeCode?: string | null;
  @Field(() => String, { nullable: true, description: 'Example: OFFICE_SPACE' })
  commercialPropertyTypeCode?: string | null;
  @Field(() => AddressInput, { nullable: true })
  address?: AddressInput | null;
  @Field(() => AreaInput, { nullable: true })
  area?: AreaInput | null;
  @Field(() => Int, { nullable: true })
  floorLevel?: number | null;
  @Field(() => String, { nullable: true, description: 'Example: 3H' })
  roomCountCode?: string | null;
  @Field(() => Float, { nullable: true })
  managementCharge?: number | null;
  @Field(() => Int, { nullable: true })
  constructionYear?: number | null;
  @Field(() => String, { nullable: true, description: 'A secret: never searched, never logged.' })
  doorCode?: string | null;
  @Field(() => String, { nullable: true })
  title?: string | null;
  @Field(() => [String], { nullable: true, description: 'Codes, such as BALCONY.' })
  features?: string[] | null;
}

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
  @Field(() => MeetingRealtyInput)
  meetingRealty!: MeetingRealtyInput;
  @Field(() => PriceEstimateInput, { nullable: true })
  priceEstimate?: PriceEstimateInput | null;
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

@InputType({ description: 'One sort key. meetingId is always applied last, as a tie-breaker.' })
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

@ArgsType()
export class UpdateMeetingArgs {
  @Field(() => UUIDScalar)
  meetingId!: string;
  @Field(() => MeetingInput)
  input!: MeetingInput;
}
