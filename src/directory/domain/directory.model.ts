/** The kind of a party: a person, an estate or an organization. */
export enum PartyTypeCode {
  PERSON_PARTY = 'PERSON_PARTY',
  ESTATE_PARTY = 'ESTATE_PARTY',
  ORGANIZATION_PARTY = 'ORGANIZATION_PARTY',
}

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
