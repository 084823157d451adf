import type { NewRecord, TableRecord } from '../../db/table';
import type {
  Meeting,
  MeetingAgentRef,
  MeetingPartyRef,
  MeetingRealty,
} from '../domain/meeting.model';
import { meetingTable } from './meeting.table';

/**
 * A meeting as the meeting table stores it, and back: the realty as JSON apart from its doorCode,
 * the price estimate in two columns, the searchable text. Column names, order and stored value
 * types are the table declaration's (meeting.table.ts).
 */

type MeetingRecord = TableRecord<typeof meetingTable>;

/** What listings read: every column but doorCode (never even read), search and tombstone columns. */
export const LISTED = meetingTable.omit('doorCode', 'searchText', 'searchKey', 'deletedTime');

/** What the single-meeting read reads: the listed columns, doorCode and the deletion time. */
export const WHOLE = meetingTable.omit('searchText', 'searchKey');

/**
 * What an update replaces: every column but the meeting's identity, its creation and its index
 * key (and the deletion time, which only a deletion sets).
 */
export const REPLACED = meetingTable.omit(
  'meetingId',
  'createdByName',
  'creationTime',
  'searchKey',
  'deletedTime',
);

/** A read meeting's record: the listed columns, with doorCode when the read took it. */
export type ReadMeeting = Pick<MeetingRecord, (typeof LISTED.properties)[number]> & {
  doorCode?: string | null;
};

/** The record of a meeting: every column a write sets (the search key is the database's). */
export function meetingRecord(
  meeting: Meeting,
): NewRecord<typeof meetingTable.columns> & Omit<MeetingRecord, 'searchKey' | 'deletedTime'> {
  const { doorCode, ...realty } = meeting.meetingRealty;
  return {
    meetingId: meeting.meetingId,
    typeCode: meeting.typeCode,
    statusCode: meeting.statusCode,
    realtyId: meeting.realtyId,
    visitTime: meeting.visitTime,
    agencyOfficeId: meeting.agencyOfficeId,
    sourceTypeCode: meeting.sourceTypeCode,
    realty: JSON.stringify(realty),
    doorCode: doorCode ?? null,
    priceEstimateValue: meeting.priceEstimate?.value ?? null,
    priceEstimateCurrencyCode: meeting.priceEstimate?.currencyCode ?? null,
    notes: meeting.notes,
    createdByName: meeting.createdByName,
    searchText: meetingSearchText(meeting),
    creationTime: meeting.creationTime,
    modificationTime: meeting.modificationTime,
    version: meeting.version,
  };
}

/** The meeting of a record, with the parties and agents read for it. */
export function toMeeting(
  record: ReadMeeting,
  parties: MeetingPartyRef[],
  agents: MeetingAgentRef[],
): Meeting {
  const realty = JSON.parse(record.realty) as MeetingRealty;
  if (record.doorCode !== undefined) realty.doorCode = record.doorCode;
  return {
    meetingId: record.meetingId,
    typeCode: record.typeCode,
    statusCode: record.statusCode,
    parties,
    realtyId: record.realtyId,
    visitTime: record.visitTime,
    agencyOfficeId: record.agencyOfficeId,
    agents,
    sourceTypeCode: record.sourceTypeCode,
    meetingRealty: realty,
    priceEstimate:
      record.priceEstimateValue === null && record.priceEstimateCurrencyCode === null
        ? null
        : { value: record.priceEstimateValue, currencyCode: record.priceEstimateCurrencyCode },
    notes: record.notes,
    createdByName: record.createdByName,
    creationTime: record.creationTime,
    modificationTime: record.modificationTime,
    version: record.version,
  };
}

/**
 * The meeting's own searchable text, lower-cased, one field a line so that no word spans two
 * fields. Directory names are searched in their own tables, so a rename is found at once.
 * doorCode is never part of it.
 */
function meetingSearchText(meeting: Meeting): string {
  const realty = meeting.meetingRealty;
  const address = realty.address ?? {};
  return [
    meeting.notes,
    realty.title,
    address.addressLine1,
    address.addressLine2,
    address.district,
    address.postcode,
    address.postalArea,
    address.locality,
    address.region,
    meeting.createdByName,
  ]
    .filter((v): v is string => typeof v === 'string' && v.length > 0)
    .join('\n')
    .toLowerCase();
}
