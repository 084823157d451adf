import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A customer of the CRM, as the directory an operator loads knows them. */
@Entity({ name: 'party' })
export class PartyEntity {
  @PrimaryColumn({ name: 'party_id', type: 'varchar', length: 36 })
  partyId!: string;

  @Column({ name: 'party_type_code', type: 'varchar', length: 32 })
  partyTypeCode!: string;

  @Column({ name: 'party_name', type: 'varchar', length: 255 })
  partyName!: string;

  @Column({ name: 'email_address', type: 'varchar', length: 255, nullable: true })
  emailAddress!: string | null;

  @Column({ name: 'phone_number', type: 'varchar', length: 64, nullable: true })
  phoneNumber!: string | null;

  /** Lower-cased name, e-mail and phone number, for free-text search of meetings. */
  @Column({ name: 'search_text', type: 'text' })
  searchText!: string;

  @Column({ name: 'creation_time', type: 'varchar', length: 24 })
  creationTime!: string;

  @Column({ name: 'modification_time', type: 'varchar', length: 24 })
  modificationTime!: string;
}
