import type { PartyTypeCode } from '../../directory/domain/directory.model';
import { column } from '../../db/column';
import { Table } from '../../db/table';
import type { MeetingChangeOp } from '../domain/meeting-changes';
import type { MeetingTypeCode, SourceTypeCode, StatusCode } from '../domain/meeting-codes';

/**
 * The storage shape of meetings and of the parties and agents they list, on both dialects. The
 * free-text index meeting_fts is not declared here: it is an FTS5 virtual table on SQLite and a
 * table with a pg_trgm GIN index on PostgreSQL, which TypeORM cannot describe; the migrations make
 * it and meeting-search-index.ts writes it.
 */

const LIVE = 'deleted_time IS NULL';

/** The meeting table. Deleted meetings stay as tombstones (deleted_time set). */
export const meetingTable = new Table({
  name: 'meeting',
  columns: {
    meetingId: column.id().primary(),
    typeCode: column.code<MeetingTypeCode>(),
    statusCode: column.code<StatusCode>(),
    realtyId: column.id().nullable(),
    visitTime: column.time(),
    agencyOfficeId: column.id(),
    sourceTypeCode: column.code<SourceTypeCode>(),
    /** MeetingRealty as JSON, without doorCode. */
    realty: column.text(),
    /** Kept apart from the realty so that listings never even read it. */
    doorCode: column.varchar(255).nullable(),
    priceEstimateValue: column.double().nullable(),
    priceEstimateCurrencyCode: column.varchar(3).nullable(),
    notes: column.text().nullable(),
    createdByName: column.varchar(255).nullable(),
    /** Lower-cased searchable text of the meeting itself (never doorCode), one field a line. */
    searchText: column.text(),
    creationTime: column.time(),
    modificationTime: column.time(),
    deletedTime: column.time().nullable(),
    /** The key of the meeting's row in the free-text index meeting_fts (FTS5's rowid on SQLite). */
    searchKey: column.serial().nullable(),
    /** 1 at create, one more on every update: what `expectedVersion` is compared with. */
    version: column.integer().default(1),
  },
  indices: [
    // The walks of free text read each row's search key from these two, never the row itself;
    // deleted_time since SQLite takes an index as covering only when it holds every column named.
    {
      name: 'IDX_meeting_visit_time',
      columns: ['visitTime', 'meetingId', 'searchKey', 'deletedTime'],
      where: LIVE,
    },
    { name: 'IDX_meeting_creation_time', columns: ['creationTime', 'meetingId'], where: LIVE },
    {
      name: 'IDX_meeting_modification_time',
      columns: ['modificationTime', 'meetingId'],
      where: LIVE,
    },
    { name: 'IDX_meeting_status', columns: ['statusCode', 'visitTime', 'meetingId'], where: LIVE },
    { name: 'IDX_meeting_type', columns: ['typeCode', 'visitTime', 'meetingId'], where: LIVE },
    {
      name: 'IDX_meeting_source',
      columns: ['sourceTypeCode', 'visitTime', 'meetingId'],
      where: LIVE,
    },
    { name: 'IDX_meeting_search_key', columns: ['searchKey'], unique: true },
    {
      name: 'IDX_meeting_office',
      columns: ['agencyOfficeId', 'visitTime', 'meetingId', 'searchKey', 'deletedTime'],
      where: LIVE,
    },
    // A sort on a code alone: the code, then meetingId, in index order.
    { name: 'IDX_meeting_status_order', columns: ['statusCode', 'meetingId'], where: LIVE },
    { name: 'IDX_meeting_type_order', columns: ['typeCode', 'meetingId'], where: LIVE },
    { name: 'IDX_meeting_source_order', columns: ['sourceTypeCode', 'meetingId'], where: LIVE },
    // What agents run: their offices with status and type (and source) over visit time. The
    // source comes after the order so that a source filter is answered from the index as well;
    // deleted_time (always NULL here) because SQLite takes an index as covering only when it
    // holds every column the statement names, the partial index's own condition included.
    {
      name: 'IDX_meeting_office_status_type',
      columns: [
        'agencyOfficeId',
        'statusCode',
        'typeCode',
        'visitTime',
        'meetingId',
        'sourceTypeCode',
        'deletedTime',
      ],
      where: LIVE,
    },
    {
      name: 'IDX_meeting_deleted_time',
      columns: ['deletedTime', 'meetingId'],
      where: 'deleted_time IS NOT NULL',
    },
  ],
});

/**
 * How many live meetings each office has in each status, type and source: what a count filtered
 * on those alone sums. Triggers on meeting keep it (migration SearchPlans), in the transaction of
 * every write of the table, whoever writes it: the gateway, a bulk load, a restore.
 */
export const meetingTallyTable = new Table({
  name: 'meeting_tally',
  columns: {
    agencyOfficeId: column.id().primary(),
    statusCode: column.code<StatusCode>().primary(),
    typeCode: column.code<MeetingTypeCode>().primary(),
    sourceTypeCode: column.code<SourceTypeCode>().primary(),
    liveCount: column.integer(),
  },
});

/** A party of a meeting, in the order the meeting lists them. */
export const meetingPartyTable = new Table({
  name: 'meeting_party',
  columns: {
    meetingId: column.id().primary(),
    position: column.integer().primary(),
    partyId: column.id(),
    partyTypeCode: column.code<PartyTypeCode>(),
  },
  indices: [{ name: 'IDX_meeting_party_party', columns: ['partyId', 'meetingId'] }],
  references: [
    { columns: ['meetingId'], table: 'meeting', onDelete: 'CASCADE' },
    { columns: ['partyId'], table: 'party', onDelete: 'RESTRICT' },
  ],
});

/** An agent of a meeting, in the order the meeting lists them. */
export const meetingAgentTable = new Table({
  name: 'meeting_agent',
  columns: {
    meetingId: column.id().primary(),
    position: column.integer().primary(),
    agentId: column.id(),
  },
  indices: [{ name: 'IDX_meeting_agent_agent', columns: ['agentId', 'meetingId'] }],
  references: [
    { columns: ['meetingId'], table: 'meeting', onDelete: 'CASCADE' },
    { columns: ['agentId'], table: 'agent', onDelete: 'RESTRICT' },
  ],
});

/**
 * The change feed's outbox: one row per create, update and delete of a meeting, written in the
 * write's transaction. A reader follows it in (xact, changeId) order: on SQLite xact is 0 and the
 * changeId alone is the commit order (one writer at a time); on PostgreSQL xact is the writing
 * transaction's id (pg_current_xact_id) and readers only read rows of transactions below the
 * oldest write of the gateway still running (writers-horizon.ts), so a change that commits late is
 * never skipped.
 */
export const meetingChangeTable = new Table({
  name: 'meeting_change',
  columns: {
    changeId: column.serial().primary(),
    /** The writing transaction's id on PostgreSQL; 0 on SQLite. */
    xact: column.bigint(),
    meetingId: column.id(),
    /** CREATED, UPDATED or DELETED, as a caller who sees every office sees it. */
    op: column.code<MeetingChangeOp>(),
    /** The meeting's office after the change. */
    agencyOfficeId: column.id(),
    /** The office before an update that moved the meeting; null otherwise. */
    previousOfficeId: column.id().nullable(),
    /** The meeting's version after the change. */
    version: column.integer(),
    changedAt: column.time(),
  },
  indices: [
    { name: 'IDX_meeting_change_position', columns: ['xact', 'changeId'], unique: true },
    { name: 'IDX_meeting_change_changed_at', columns: ['changedAt'] },
  ],
});
