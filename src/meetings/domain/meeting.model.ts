import type {
  MeetingSortField,
  MeetingTypeCode,
  SortDirection,
  SourceTypeCode,
  StatusCode,
} from './meeting-codes';
import type { PartyTypeCode } from '../../directory/domain/directory.model';

/** The domain's view of a meeting: what the service takes and returns, independent of storage. */

export interface Address {
  addressLine1?: string | null;
  addressLine2?: string | null;
  stairwell?: string | null;
  apartmentNumber?: string | null;
  district?: string | null;
  districtCode?: string | null;
  region?: string | null;
  regionCode?: string | null;
  postcode?: string | null;
  postalArea?: string | null;
  locality?: string | null;
  localityCode?: string | null;
  country?: string | null;
  countryCode?: string | null;
}

export interface Area {
  value?: number | null;
  areaUnitCode?: string | null;
}

export interface MeetingRealty {
  categoryCode?: string | null;
  subCategoryCode?: string | null;
  propertyTypeCode?: string | null;
  residentialTypeCode?: string | null;
  plotPropertyTypeCode?: string | null;
  estatePropertyTypeCode?: string | null;
  otherShareTypeCode?: string | null;
  commercialPropertyTypeCode?: string | null;
  address?: Address | null;
  area?: Area | null;
  floorLevel?: number | null;
  roomCountCode?: string | null;
  managementCharge?: number | null;
  constructionYear?: number | null;
  /** A secret: returned only by the single-meeting read, never logged or searched. */
  doorCode?: string | null;
  title?: string | null;
  features?: string[] | null;
}

export interface PriceEstimate {
  value?: number | null;
  currencyCode?: string | null;
}

export interface MeetingPartyRef {
  partyId: string;
  partyTypeCode: PartyTypeCode;
  /** The directory's details, when the read that loaded the meeting joined them. */
  directory?: { partyName: string; emailAddress: string | null; phoneNumber: string | null };
}

export interface MeetingAgentRef {
  agentId: string;
  /** The directory's details, when the read that loaded the meeting joined them. */
  directory?: { firstName: string; lastName: string };
}

/** A create or update request: exactly the fields of the REST body. */
export interface MeetingDraft {
  typeCode: MeetingTypeCode;
  statusCode: StatusCode;
  parties: MeetingPartyRef[];
  realtyId?: string | null;
  visitTime: Date;
  agencyOfficeId: string;
  agents: MeetingAgentRef[];
  sourceTypeCode: SourceTypeCode;
  meetingRealty: MeetingRealty;
  priceEstimate?: PriceEstimate | null;
  notes?: string | null;
}

export interface Meeting {
  meetingId: string;
  typeCode: MeetingTypeCode;
  statusCode: StatusCode;
  parties: MeetingPartyRef[];
  realtyId: string | null;
  visitTime: Date;
  agencyOfficeId: string;
  agents: MeetingAgentRef[];
  sourceTypeCode: SourceTypeCode;
  meetingRealty: MeetingRealty;
  priceEstimate: PriceEstimate | null;
  notes: string | null;
  createdByName: string | null;
  creationTime: Date;
  modificationTime: Date;
  /** 1 at create, one more on every update. */
  version: number;
}

/** A deleted meeting, as a sync client learns of it. */
export interface MeetingTombstone {
  meetingId: string;
  agencyOfficeId: string;
  deletionTime: Date;
}

export interface MeetingFilter {
  sourceTypeCode?: SourceTypeCode[] | null;
  statusCode?: StatusCode[] | null;
  agencyOfficeId?: string[] | null;
  partyId?: string[] | null;
  agentId?: string[] | null;
  typeCode?: MeetingTypeCode[] | null;
  freeTextSearch?: string | null;
  visitTimeBefore?: Date | null;
  visitTimeAfter?: Date | null;
  modifiedAfter?: Date | null;
}

export interface MeetingSort {
  field: MeetingSortField;
  direction: SortDirection;
}

export interface MeetingSearch {
  filter?: MeetingFilter | null;
  sort?: MeetingSort[] | null;
  startIndex?: number | null;
  size?: number | null;
}

export interface Page<T> {
  items: T[];
  totalCount: number;
}

/** A page of a search whose number of all matches is counted only when asked for. */
export interface SearchPage<T> {
  items: T[];
  count: () => Promise<number>;
}

/** Whether a meeting id is live, deleted (a tombstone), or unknown. */
export type MeetingPresence =
  { state: 'live'; meeting: Meeting } | { state: 'deleted' } | { state: 'unknown' };
