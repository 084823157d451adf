import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { PartyEntity } from '../../directory/storage/party.entity';
import { MeetingEntity } from './meeting.entity';

/** A party of a meeting, in the order the meeting lists them. */
@Entity({ name: 'meeting_party' })
@Index('IDX_meeting_party_party', ['partyId', 'meetingId'])
export class MeetingPartyEntity {
  @PrimaryColumn({ name: 'meeting_id', type: 'varchar', length: 36 })
  meetingId!: string;

  @PrimaryColumn({ name: 'position', type: 'integer' })
  position!: number;

  @Column({ name: 'party_id', type: 'varchar', length: 36 })
  partyId!: string;

  @Column({ name: 'party_type_code', type: 'varchar', length: 32 })
  partyTypeCode!: string;

  @ManyToOne(() => MeetingEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'meeting_id' })
  meeting?: MeetingEntity;

  @ManyToOne(() => PartyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'party_id' })
  party?: PartyEntity;
}
