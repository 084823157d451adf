/** What the limit adds to its copy of the data: its own indexes and a table of counts. */
import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';

/**
 * The limit's additions, made once on a copy of the generated file (cached beside it). All are
 * partial indexes of live meetings, in the order the searches read them (visit time descending,
 * meeting id ascending, so that no page needs a sort), covering what the plans read: the search key
 * (to test the free text) and the columns of the filters.
 */
export const LIMIT_INDEXES = [
  // The default order, and a free-text walk in that order.
  'CREATE INDEX limit_order ON meeting (visit_time DESC, meeting_id DESC, search_key) WHERE deleted_time IS NULL',
  // An office-scoped caller's meetings, in that order: one ordered run per office, merged.
  'CREATE INDEX limit_office_order ON meeting (agency_office_id, visit_time DESC, meeting_id DESC, search_key) WHERE deleted_time IS NULL',
  // Office, status and type: one ordered run per combination, merged; counts from the index.
  'CREATE INDEX limit_cover ON meeting (agency_office_id, status_code, type_code, visit_time DESC, meeting_id DESC, search_key) WHERE deleted_time IS NULL',
  // Status ascending, then visit time descending (the mixed-direction sort) without a sort.
  'CREATE INDEX limit_status_order ON meeting (status_code, visit_time DESC, meeting_id DESC, search_key) WHERE deleted_time IS NULL',
  // From a free-text match (the FTS rowid) to the meeting's filter columns, without the table.
  'CREATE INDEX limit_key ON meeting (search_key, agency_office_id, status_code, type_code, visit_time, meeting_id) WHERE deleted_time IS NULL',
];

/**
 * Live meetings counted by office, status and type, kept by the limit's writes in their
 * transaction: an unfiltered or office/status/type count is a sum of a few rows.
 */
const COUNTS = [
  `CREATE TABLE limit_count (agency_office_id TEXT NOT NULL, status_code TEXT NOT NULL,
     type_code TEXT NOT NULL, n INTEGER NOT NULL,
     PRIMARY KEY (agency_office_id, status_code, type_code)) WITHOUT ROWID`,
  `INSERT INTO limit_count SELECT agency_office_id, status_code, type_code, count(*) FROM meeting
     WHERE deleted_time IS NULL GROUP BY 1, 2, 3`,
];

/**
 * Each live meeting's whole searchable text (the FTS document: its own, its parties' and agents'),
 * clustered by office and visit time: an office's common-word page or count reads its rows in
 * order, one contiguous run, instead of a lookup per meeting. Kept by the limit's writes.
 */
const DOCUMENTS = [
  `CREATE TABLE limit_document (agency_office_id TEXT NOT NULL, visit_time TEXT NOT NULL,
     meeting_id TEXT NOT NULL, status_code TEXT NOT NULL, type_code TEXT NOT NULL, text TEXT NOT NULL,
     PRIMARY KEY (agency_office_id, visit_time DESC, meeting_id DESC)) WITHOUT ROWID`,
  'CREATE INDEX limit_document_meeting ON limit_document (meeting_id)',
  `INSERT INTO limit_document SELECT m.agency_office_id, m.visit_time, m.meeting_id, m.status_code,
     m.type_code, c.c0 FROM meeting m JOIN meeting_fts_content c ON c.id = m.search_key
     WHERE m.deleted_time IS NULL`,
];

/** Bump when the additions change: cached copies of another version are made anew. */
const LIMIT_VERSION = 3;

/** The limit's copy of `dataFile`, with its additions: made once, then reused. */
export function limitDatabase(dataFile: string, log: (line: string) => void): string {
  const file = dataFile.replace(/\.sqlite$/, `.limit-v${LIMIT_VERSION}.sqlite`);
  if (existsSync(file)) return file;
  const started = Date.now();
  const building = `${file}.building`;
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${building}${suffix}`, { force: true });
  copyFileSync(dataFile, building);
  const db = new BetterSqlite3(building);
  db.pragma('journal_mode = OFF');
  db.pragma('cache_size = -262144');
  db.exec('BEGIN');
  for (const sql of [...LIMIT_INDEXES, ...COUNTS, ...DOCUMENTS]) db.exec(sql);
  db.exec('COMMIT');
  db.exec('ANALYZE');
  db.pragma('journal_mode = WAL');
  db.close();
  renameSync(building, file);
  log(`the limit's indexes and counts made in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return file;
}
