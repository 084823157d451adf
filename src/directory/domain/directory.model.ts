import type { PartyTypeCode } from '../../meetings/domain/meeting-codes';

/** A customer as the directory knows them. */
export interface Party {
  partyId: string;
  partyTypeCode: PartyTypeCode;
  partyName: string;
  emailAddress: string | null;
  phoneNumber: string | null;
}

/** An agent as the directory knows them. */
export interface Agent {
  agentId: string;
  firstName: string;
  lastName: string;
}
