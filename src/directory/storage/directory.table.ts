import { column } from '../../db/column';
import { Table } from '../../db/table';
import type { PartyTypeCode } from '../domain/directory.model';

/** The storage shape of the directory, on both dialects. */

/** A customer of the CRM, as the directory an operator loads knows them. */
export const partyTable = new Table({
  name: 'party',
  columns: {
    partyId: column.id().primary(),
    partyTypeCode: column.code<PartyTypeCode>(),
    partyName: column.varchar(255),
    emailAddress: column.varchar(255).nullable(),
    phoneNumber: column.varchar(64).nullable(),
    /** Lower-cased name, e-mail and phone number, for free-text search of meetings. */
    searchText: column.text(),
    creationTime: column.time(),
    modificationTime: column.time(),
  },
});

/** An agent of the agency, as the directory an operator loads knows them. */
export const agentTable = new Table({
  name: 'agent',
  columns: {
    agentId: column.id().primary(),
    firstName: column.varchar(255),
    lastName: column.varchar(255),
    /** Lower-cased first and last name, for free-text search of meetings. */
    searchText: column.text(),
    creationTime: column.time(),
    modificationTime: column.time(),
  },
});
