import { Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Node } from '../../relay/node.types';
import { DateTimeScalar, UUIDScalar } from '../../scalars';
import {
  MeetingSortField,
  MeetingTypeCode,
  SortDirection,
  SourceTypeCode,
  StatusCode,
} from '../domain/meeting-codes';
import { PartyTypeCode } from '../../directory/domain/directory.model';

registerEnumType(MeetingTypeCode, { name: 'MeetingTypeCode', description: 'The type of meeting.' });
registerEnumType(StatusCode, {
  name: 'StatusCode',
  description:
    'The status of the meeting. A WAITING meeting may become anything; WON and LOST may switch between each other; CANCELLED is final.',
});
registerEnumType(SourceTypeCode, {
  name: 'SourceTypeCode',
  description: 'Where the meeting came from.',
});
registerEnumType(PartyTypeCode, {
  name: 'PartyTypeCode',
  description: 'The kind of party (customer).',
});
registerEnumType(MeetingSortField, {
  name: 'MeetingSortField',
  description: 'A field meetings can be sorted by.',
});
registerEnumType(SortDirection, { name: 'SortDirection' });

// The realty's parts read and write the same fields: one class is both the output and the input type.
@ObjectType({
  simpleResolvers: true,
  description: 'A postal address of a realty. Every field at most 255 characters.',
})
@InputType('AddressInput', {
  description: 'A postal address. Every field is optional, at most 255 characters.',
})
export class Address {
  @Field(() => String, { nullable: true, description: 'Example: Yliopistonkatu 55' })
  addressLine1?: string | null;
  @Field(() => String, { nullable: true })
  addressLine2?: string | null;
  @Field(() => String, { nullable: true, description: 'Example: C' })
  stairwell?: string | null;
  @Field(() => String, { nullable: true, description: 'Example: 55' })
  apartmentNumber?: string | null;
  @Field(() => String, { nullable: true, description: 'Example: Hervanta' })
  district?: string | null;
  @Field(() => String, { nullable: true, description: 'Example: FI_PIRKANMAA_TAMPERE_HERVANTA' })
  districtCode?: string | null;
  @Field(() => String, { nullable: true, description: 'Example: Pirkanmaa' })
  region?: string | null;
  @Field(() => String, { nullable: true, description: 'Example: FI_PIRKANMAA' })
  regionCode?: string | null;
  @Field(() => String, { nullable: true, description: 'Example: 33100' })
  postcode?: string | null;
  @Field(() => String, { nullable: true, description: 'Example: Tampere' })
  postalArea?: string | null;
  @Field(() => String, { nullable: true, description: 'Example: Tampere' })
  locality?: string | null;
  @Field(() => String, { nullable: true, description: 'Example: FI_PIRKANMAA_TAMPERE' })
  localityCode?: string | null;
  @Field(() => String, { nullable: true, description: 'Example: Suomi' })
  country?: string | null;
  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2. Example: FI' })
  countryCode?: string | null;
}

@ObjectType({ simpleResolvers: true, description: 'The floor area of a realty.' })
@InputType('AreaInput', {
  description: 'A floor area: both fields are required when the area is given.',
})
export class Area {
  @Field(() => Float, { nullable: true, description: 'Greater than 0. Example: 2.3' })
  value?: number | null;
  @Field(() => String, { nullable: true, description: 'A code. Example: M2' })
  areaUnitCode?: string | null;
}

@ObjectType({ simpleResolvers: true, description: 'A price estimate of the realty.' })
@InputType('PriceEstimateInput', {
  description: 'A price estimate: both fields are required when the estimate is given.',
})
export class PriceEstimate {
  @Field(() => Float, { nullable: true, description: 'At least 0. Example: 100000' })
  value?: number | null;
  @Field(() => String, { nullable: true, description: 'ISO 4217. Example: EUR' })
  currencyCode?: string | null;
}

@ObjectType({
  simpleResolvers: true,
  description:
    'The realty the meeting is about. Codes are strings of capital letters, digits and underscores (the CRM owns their lists).',
})
@InputType('MeetingRealtyInput', {
  description:
    'The realty of a meeting. Codes are capital letters, digits and underscores, at most 64 characters.',
})
export class MeetingRealty {
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
  @Field(() => Address, { nullable: true })
  address?: Address | null;
  @Field(() => Area, { nullable: true })
  area?: Area | null;
  @Field(() => Int, { nullable: true, description: 'May be negative. Example: 3' })
  floorLevel?: number | null;
  @Field(() => String, { nullable: true, description: 'Example: 3H' })
  roomCountCode?: string | null;
  @Field(() => Float, { nullable: true, description: 'At least 0. Example: 300' })
  managementCharge?: number | null;
  @Field(() => Int, { nullable: true, description: 'From 1600 to 10 years ahead. Example: 1990' })
  constructionYear?: number | null;
  @Field(() => String, {
    nullable: true,
    description:
      'The door code: a secret, never searched or logged. Returned only by `meeting` and the mutation payloads; null in lists.',
  })
  doorCode?: string | null;
  @Field(() => String, { nullable: true, description: 'Example: 2h, k, s, wc' })
  title?: string | null;
  @Field(() => [String], { nullable: true, description: 'Codes. Example: BALCONY' })
  features?: string[] | null;
}

@ObjectType({
  simpleResolvers: true,
  description: 'A party (customer) of a meeting, with their directory details.',
})
export class MeetingParty {
  @Field(() => UUIDScalar)
  partyId!: string;
  @Field(() => PartyTypeCode)
  partyTypeCode!: PartyTypeCode;
}

@ObjectType({
  simpleResolvers: true,
  description: 'An agent of a meeting, with their directory details.',
})
export class MeetingAgent {
  @Field(() => UUIDScalar)
  agentId!: string;
}

@ObjectType({
  simpleResolvers: true,
  description: 'An appointment of agents with parties about a realty.',
  implements: Node,
})
export class Meeting {
  @Field(() => UUIDScalar)
  meetingId!: string;
  @Field(() => MeetingTypeCode)
  typeCode!: MeetingTypeCode;
  @Field(() => StatusCode)
  statusCode!: StatusCode;
  @Field(() => [MeetingParty])
  parties!: MeetingParty[];
  @Field(() => UUIDScalar, { nullable: true })
  realtyId!: string | null;
  @Field(() => DateTimeScalar)
  visitTime!: Date;
  @Field(() => UUIDScalar)
  agencyOfficeId!: string;
  @Field(() => [MeetingAgent])
  agents!: MeetingAgent[];
  @Field(() => SourceTypeCode)
  sourceTypeCode!: SourceTypeCode;
  @Field(() => MeetingRealty)
  meetingRealty!: MeetingRealty;
  @Field(() => PriceEstimate, { nullable: true })
  priceEstimate!: PriceEstimate | null;
  @Field(() => String, { nullable: true })
  notes!: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Display name of the caller who created the meeting.',
  })
  createdByName!: string | null;
  @Field(() => DateTimeScalar)
  creationTime!: Date;
  @Field(() => DateTimeScalar, { description: 'Changes on every successful update.' })
  modificationTime!: Date;
  @Field(() => Int, {
    description:
      '1 at create, one more on every successful update: send it as `expectedVersion` to update or delete only what you saw.',
  })
  version!: number;
}

@ObjectType({ simpleResolvers: true, description: 'One page of a meeting search.' })
export class MeetingSearchResult {
  @Field(() => [Meeting])
  meetings!: Meeting[];
  /** Counts all matches when asked (see MeetingSearchResultResolver). */
  count!: () => Promise<number>;
}

@ObjectType({
  simpleResolvers: true,
  description: 'A deleted meeting. Sync clients drop their copy of it.',
})
export class MeetingTombstone {
  @Field(() => UUIDScalar)
  meetingId!: string;
  @Field(() => UUIDScalar)
  agencyOfficeId!: string;
  @Field(() => DateTimeScalar)
  deletionTime!: Date;
}

@ObjectType({ simpleResolvers: true })
export class MeetingTombstoneResult {
  @Field(() => [MeetingTombstone])
  tombstones!: MeetingTombstone[];
  @Field(() => Int)
  totalCount!: number;
}

@ObjectType({ simpleResolvers: true })
export class CreateMeetingPayload {
  @Field(() => UUIDScalar)
  meetingId!: string;
  @Field(() => Meeting)
  meeting!: Meeting;
}

@ObjectType({ simpleResolvers: true })
export class UpdateMeetingPayload {
  @Field(() => Meeting)
  meeting!: Meeting;
}

@ObjectType({ simpleResolvers: true })
export class DeleteMeetingPayload {
  @Field(() => UUIDScalar)
  meetingId!: string;
}

@ObjectType({ simpleResolvers: true, description: 'Where a page of a connection stands (Relay).' })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;
  @Field(() => Boolean)
  hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true })
  startCursor!: string | null;
  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

@ObjectType({ simpleResolvers: true })
export class MeetingEdge {
  @Field(() => String, { description: 'Opaque; valid for the same sort and filter only.' })
  cursor!: string;
  @Field(() => Meeting)
  node!: Meeting;
}

@ObjectType({
  simpleResolvers: true,
  description: 'A page of meetings with keyset cursors: a deep page costs what the first costs.',
})
export class MeetingConnection {
  @Field(() => [MeetingEdge])
  edges!: MeetingEdge[];
  @Field(() => [Meeting])
  nodes!: Meeting[];
  @Field(() => PageInfo)
  pageInfo!: PageInfo;
  /** Counts all matches when asked (see MeetingConnectionResolver). */
  count!: () => Promise<number>;
}
