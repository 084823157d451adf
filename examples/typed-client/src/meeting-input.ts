import type {
  AddressInput,
  MeetingEditableFragment,
  MeetingInput,
  MeetingRealtyInput,
} from './gql/graphql';

// `updateMeeting` replaces the whole meeting: these fail to compile when the contract's input gains
// a field that the MeetingEditable fragment does not read (the error names the field).
type Unread<TInput, TRead> = Exclude<keyof TInput, keyof TRead>;
type Realty = MeetingEditableFragment['meetingRealty'];
type AssertNone<T extends never> = T;
export type EveryInputFieldIsRead = AssertNone<
  | Unread<MeetingInput, MeetingEditableFragment>
  | Unread<MeetingRealtyInput, Realty>
  | Unread<AddressInput, NonNullable<Realty['address']>>
>;

/** The input that writes a meeting back as it was read: edit it, then send it to updateMeeting. */
export function toMeetingInput(meeting: MeetingEditableFragment): MeetingInput {
  return {
    typeCode: meeting.typeCode,
    statusCode: meeting.statusCode,
    parties: meeting.parties.map(({ partyId, partyTypeCode }) => ({ partyId, partyTypeCode })),
    realtyId: meeting.realtyId,
    visitTime: meeting.visitTime,
    agencyOfficeId: meeting.agencyOfficeId,
    agents: meeting.agents.map(({ agentId }) => ({ agentId })),
    sourceTypeCode: meeting.sourceTypeCode,
    // The fragment selects exactly the input's realty fields, so the object goes back as it came.
    meetingRealty: meeting.meetingRealty,
    priceEstimate: meeting.priceEstimate,
    notes: meeting.notes,
  };
}
