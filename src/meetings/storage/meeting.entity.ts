import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

// Times are ISO-8601 UTC text with milliseconds (2026-01-31T08:00:00.000Z): the same on every
// dialect, readable in the database, and their text order is their time order.
const LIVE = 'deleted_time IS NULL';

/** The meeting table. Deleted meetings stay as tombstones (deleted_time set). */
@Entity({ name: 'meeting' })
@Index('IDX_meeting_visit_time', ['visitTime', 'meetingId'], { where: LIVE })
@Index('IDX_meeting_creation_time', ['creationTime', 'meetingId'], { where: LIVE })
@Index('IDX_meeting_modification_time', ['modificationTime', 'meetingId'], { where: LIVE })
@Index('IDX_meeting_status', ['statusCode', 'visitTime', 'meetingId'], { where: LIVE })
@Index('IDX_meeting_type', ['typeCode', 'visitTime', 'meetingId'], { where: LIVE })
@Index('IDX_meeting_source', ['sourceTypeCode', 'visitTime', 'meetingId'], { where: LIVE })
@Index('IDX_meeting_search_key', ['searchKey'], { unique: true })
@Index('IDX_meeting_office', ['agencyOfficeId', 'visitTime', 'meetingId'], { where: LIVE })
@Index('IDX_meeting_deleted_time', ['deletedTime', 'meetingId'], {
  where: 'deleted_time IS NOT NULL',
})
export class MeetingEntity {
  @PrimaryColumn({ name: 'meeting_id', type: 'varchar', length: 36 })
  meetingId!: string;

  @Column({ name: 'type_code', type: 'varchar', length: 32 })
  typeCode!: string;

  @Column({ name: 'status_code', type: 'varchar', length: 32 })
  statusCode!: string;

  @Column({ name: 'realty_id', type: 'varchar', length: 36, nullable: true })
  realtyId!: string | null;

  @Column({ name: 'visit_time', type: 'varchar', length: 24 })
  visitTime!: string;

  @Column({ name: 'agency_office_id', type: 'varchar', length: 36 })
  agencyOfficeId!: string;

  @Column({ name: 'source_type_code', type: 'varchar', length: 32 })
  sourceTypeCode!: string;

  /** MeetingRealty as JSON, without doorCode. */
  @Column({ name: 'realty', type: 'text' })
  realty!: string;

  /** Kept apart from the realty so that listings never even read it. */
  @Column({ name: 'door_code', type: 'varchar', length: 255, nullable: true })
  doorCode!: string | null;

  @Column({ name: 'price_estimate_value', type: 'double precision', nullable: true })
  priceEstimateValue!: number | null;

  @Column({ name: 'price_estimate_currency_code', type: 'varchar', length: 3, nullable: true })
  priceEstimateCurrencyCode!: string | null;

  @Column({ name: 'notes', type: 'text', nullable: true })
  notes!: string | null;

  @Column({ name: 'created_by_name', type: 'varchar', length: 255, nullable: true })
  createdByName!: string | null;

  /** The key of the meeting's row in the free-text index meeting_fts (FTS5's rowid on SQLite). */
  @Column({ name: 'search_key', type: 'integer', nullable: true })
  searchKey!: number | null;

  /** Lower-cased searchable text of the meeting itself (never doorCode), one field a line. */
  @Column({ name: 'search_text', type: 'text' })
  searchText!: string;

  /** 1 at create, one more on every update: what `expectedVersion` is compared with. */
  @Column({ name: 'version', type: 'integer', default: 1 })
  version!: number;

  @Column({ name: 'creation_time', type: 'varchar', length: 24 })
  creationTime!: string;

  @Column({ name: 'modification_time', type: 'varchar', length: 24 })
  modificationTime!: string;

  @Column({ name: 'deleted_time', type: 'varchar', length: 24, nullable: true })
  deletedTime!: string | null;
}
