/**
 * The limit's search plans: a page of meeting ids in sort order, and the exact count, each by the
 * cheapest way its indexes (bench/limit-schema.ts) allow.
 *
 * - A page is a merge of ordered runs ("arms"): one for the whole table, one per office, or one per
 *   office, status and type, each a seek in an index in the sort's order, merged by SQLite
 *   (a compound SELECT with ORDER BY is a merge of its ordered arms). No sort, and a page reads
 *   about `offset + size` index entries whatever the size of the table.
 * - A cursor page adds a leading bound to each arm: `visit_time <= t AND (visit_time < t OR
 *   meeting_id < id)` seeks to the cursor (ties in the direction of the last key, as the gateway).
 * - Counts: office, status and type alone from the table of counts the writes keep; with a
 *   visit-time range from the index alone; with free text from the trigram index.
 * - Free text: the exact count comes first (the FTS index, per office); few matches are read from
 *   the FTS index and sorted, many by walking the arms in order and testing each meeting's text,
 *   which stops after a page (offices without a match are left out).
 */
import type { LimitDb } from './limit-db';

const STATUSES = ['WAITING', 'WON', 'LOST', 'CANCELLED'];
const TYPES = ['EVALUATION_VISIT', 'SALES_MEETING'];

export interface Filter {
  statusCode?: string[];
  typeCode?: string[];
  agencyOfficeId?: string[];
  freeTextSearch?: string;
  visitTimeAfter?: string;
  visitTimeBefore?: string;
  [other: string]: unknown;
}

/** The two orders the limit serves: the default, and status ascending then visit time descending. */
export type SortKind = 'visit' | 'status-visit';

export interface SearchQuery {
  filter: Filter;
  /** The caller's offices; null for every office. */
  scope: readonly string[] | null;
  sort: SortKind;
}

export interface PageKey {
  meeting_id: string;
  visit_time: string;
}

interface Arm {
  index: string;
  equal: [column: string, value: string][];
}

/** The offices a search may see: the caller's and the filter's; null for all, [] for none. */
function offices(q: SearchQuery): string[] | null {
  const filtered = q.filter.agencyOfficeId?.length ? q.filter.agencyOfficeId : null;
  if (q.scope === null) return filtered;
  return filtered ? filtered.filter((o) => q.scope!.includes(o)) : [...q.scope];
}

function words(q: SearchQuery): string[] {
  return [...new Set((q.filter.freeTextSearch ?? '').toLowerCase().split(/\s+/u).filter(Boolean))];
}

const marks = (values: readonly unknown[]) => values.map(() => '?').join(', ');

/** The ordered runs of a search, over `only` offices when given (free text leaves some out). */
function arms(q: SearchQuery, officeList: string[] | null): Arm[] {
  const f = q.filter;
  const narrowed = Boolean(f.statusCode?.length || f.typeCode?.length);
  if (officeList === null) {
    return [{ index: q.sort === 'visit' ? 'limit_order' : 'limit_status_order', equal: [] }];
  }
  if (q.sort === 'visit' && !narrowed) {
    return officeList.map((o) => ({
      index: 'limit_office_order',
      equal: [['agency_office_id', o]],
    }));
  }
  const statuses = f.statusCode?.length ? f.statusCode : STATUSES;
  const types = f.typeCode?.length ? f.typeCode : TYPES;
  return officeList.flatMap((o) =>
    statuses.flatMap((s) =>
      types.map((t) => ({
        index: 'limit_cover',
        equal: [
          ['agency_office_id', o],
          ['status_code', s],
          ['type_code', t],
        ] as [string, string][],
      })),
    ),
  );
}

/** Conditions every arm adds: the filters its index does not fix, the range, the cursor, the text. */
function residual(
  q: SearchQuery,
  arm: Arm,
  params: unknown[],
  after: [string, string] | null,
  text: string[],
  textColumn = '(SELECT c0 FROM meeting_fts_content WHERE id = search_key)',
): string[] {
  const f = q.filter;
  const fixed = new Set(arm.equal.map(([c]) => c));
  const out: string[] = [];
  for (const [column, values] of [
    ['status_code', f.statusCode],
    ['type_code', f.typeCode],
  ] as const) {
    if (values?.length && !fixed.has(column)) {
      out.push(`${column} IN (${marks(values)})`);
      params.push(...values);
    }
  }
  if (f.visitTimeAfter) {
    out.push('visit_time > ?');
    params.push(new Date(f.visitTimeAfter).toISOString());
  }
  if (f.visitTimeBefore) {
    out.push('visit_time < ?');
    params.push(new Date(f.visitTimeBefore).toISOString());
  }
  if (after) {
    out.push('visit_time <= ? AND (visit_time < ? OR meeting_id < ?)');
    params.push(after[0], after[0], after[1]);
  }
  for (const word of text) {
    out.push(`instr(${textColumn}, ?) > 0`);
    params.push(word);
  }
  return out;
}

const ORDER: Record<SortKind, string> = {
  visit: 'visit_time DESC, meeting_id DESC',
  'status-visit': 'status_code, visit_time DESC, meeting_id DESC',
};

/** The page's keys by merging the arms; `text` words are tested on each meeting walked. */
function walk(
  db: LimitDb,
  q: SearchQuery,
  armList: Arm[],
  page: Page,
  text: string[],
  documents = false,
): PageKey[] {
  const params: unknown[] = [];
  const columns =
    q.sort === 'visit' ? 'visit_time, meeting_id' : 'status_code, visit_time, meeting_id';
  if (documents) {
    // One ordered run of the document table per office, the text tested in place.
    const selects = armList.map((arm) => {
      params.push(arm.equal[0][1]);
      const conditions = [
        'agency_office_id = ?',
        ...residual(q, { index: '', equal: [] }, params, page.after, text, 'text'),
      ];
      return `SELECT ${columns} FROM limit_document WHERE ${conditions.join(' AND ')}`;
    });
    return db.all<PageKey>(
      `${selects.join(' UNION ALL ')} ORDER BY ${ORDER[q.sort]} LIMIT ? OFFSET ?`,
      [...params, page.limit, page.offset],
    );
  }
  const selects = armList.map((arm) => {
    const conditions = ['deleted_time IS NULL', ...arm.equal.map(([c]) => `${c} = ?`)];
    params.push(...arm.equal.map(([, v]) => v));
    conditions.push(...residual(q, arm, params, page.after, text));
    return `SELECT ${columns} FROM meeting INDEXED BY ${arm.index} WHERE ${conditions.join(' AND ')}`;
  });
  return db.all<PageKey>(
    `${selects.join(' UNION ALL ')} ORDER BY ${ORDER[q.sort]} LIMIT ? OFFSET ?`,
    [...params, page.limit, page.offset],
  );
}

export interface Page {
  offset: number;
  limit: number;
  after: [visitTime: string, meetingId: string] | null;
}

/** The conditions on `m` of a search without its text (for the FTS side's join). */
function meetingConditions(q: SearchQuery, officeList: string[] | null, params: unknown[]): string {
  const f = q.filter;
  const out = ['m.deleted_time IS NULL'];
  const anyOf = (column: string, values: readonly string[] | null | undefined) => {
    if (values) {
      out.push(`m.${column} IN (${marks(values)})`);
      params.push(...values);
    }
  };
  anyOf('agency_office_id', officeList);
  anyOf('status_code', f.statusCode?.length ? f.statusCode : null);
  anyOf('type_code', f.typeCode?.length ? f.typeCode : null);
  if (f.visitTimeAfter) {
    out.push('m.visit_time > ?');
    params.push(new Date(f.visitTimeAfter).toISOString());
  }
  if (f.visitTimeBefore) {
    out.push('m.visit_time < ?');
    params.push(new Date(f.visitTimeBefore).toISOString());
  }
  return out.join(' AND ');
}

/** The count without free text: kept counts, or the index alone for a visit-time range. */
function structuredCount(db: LimitDb, q: SearchQuery, officeList: string[] | null): number {
  const f = q.filter;
  const params: unknown[] = [];
  if (!f.visitTimeAfter && !f.visitTimeBefore) {
    const conditions = meetingConditions(q, officeList, params)
      .split(' AND ')
      .filter((c) => c !== 'm.deleted_time IS NULL');
    return db.get<{ n: number }>(
      `SELECT coalesce(sum(n), 0) AS n FROM limit_count m${conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''}`,
      params,
    )!.n;
  }
  const index =
    officeList === null
      ? 'limit_order'
      : f.statusCode?.length || f.typeCode?.length
        ? 'limit_cover'
        : 'limit_office_order';
  return db.get<{ n: number }>(
    `SELECT count(*) AS n FROM meeting m INDEXED BY ${index} WHERE ${meetingConditions(q, officeList, params)}`,
    params,
  )!.n;
}

/** The FTS5 query of the words (three characters or more): each quoted, all required. */
function ftsQuery(list: readonly string[]): string {
  return list.map((w) => `"${w.replace(/"/g, '""')}"`).join(' AND ');
}

const trigramWords = (text: string[]) => text.filter((w) => w.length >= 3);

/** Matches the FTS index yields before it is called common. */
const COMMON = 200;

/** Whether the words match at least COMMON meetings: the FTS index's first rows only. */
function common(db: LimitDb, indexed: string[]): boolean {
  return (
    db.get<{ n: number }>(
      `SELECT count(*) AS n FROM (SELECT rowid FROM meeting_fts WHERE meeting_fts MATCH ? LIMIT ${COMMON})`,
      [ftsQuery(indexed)],
    )!.n >= COMMON
  );
}

/** Free-text matches counted per office (one row, office null, when nothing else narrows). */
function textCounts(
  db: LimitDb,
  q: SearchQuery,
  officeList: string[] | null,
  text: string[],
  isCommon: boolean,
): { office: string | null; n: number }[] {
  const indexed = text.filter((w) => w.length >= 3);
  const short = text.filter((w) => w.length < 3);
  const f = q.filter;
  const plain =
    officeList === null &&
    !f.statusCode?.length &&
    !f.typeCode?.length &&
    !f.visitTimeAfter &&
    !f.visitTimeBefore;
  if (indexed.length === 0) {
    // No trigram to look up: every candidate's text is read.
    const params: unknown[] = [];
    const conditions = meetingConditions(q, officeList, params);
    return db.all(
      `SELECT m.agency_office_id AS office, count(*) AS n FROM meeting m
       JOIN meeting_fts_content c ON c.id = m.search_key
       WHERE ${conditions} AND ${short.map(() => 'instr(c.c0, ?) > 0').join(' AND ')} GROUP BY 1`,
      [...params, ...short],
    );
  }
  const shortTests = short.map(() => ' AND instr(f.text, ?) > 0').join('');
  if (officeList !== null && isCommon) {
    // A common word in a few offices: their documents, read in one run each, are fewer rows
    // than the word's matches everywhere.
    const params: unknown[] = [];
    const conditions = meetingConditions(q, officeList, params).replace(
      'm.deleted_time IS NULL AND ',
      '',
    );
    return db.all(
      `SELECT m.agency_office_id AS office, count(*) AS n FROM limit_document m
       WHERE ${conditions} AND ${text.map(() => 'instr(m.text, ?) > 0').join(' AND ')} GROUP BY 1`,
      [...params, ...text],
    );
  }
  if (plain) {
    const n = db.get<{ n: number }>(
      `SELECT count(*) AS n FROM meeting_fts f WHERE meeting_fts MATCH ?${shortTests}`,
      [ftsQuery(indexed), ...short],
    )!.n;
    return [{ office: null, n }];
  }
  const params: unknown[] = [ftsQuery(indexed), ...short];
  const conditions = meetingConditions(q, officeList, params);
  return db.all(
    `SELECT m.agency_office_id AS office, count(*) AS n FROM meeting_fts f
     JOIN meeting m INDEXED BY limit_key ON m.search_key = f.rowid
     WHERE meeting_fts MATCH ?${shortTests} AND ${conditions} GROUP BY 1`,
    params,
  );
}

/** Few matches: read from the FTS index, joined to the filters, sorted. */
function textPage(
  db: LimitDb,
  q: SearchQuery,
  officeList: string[] | null,
  text: string[],
  page: Page,
): PageKey[] {
  const indexed = text.filter((w) => w.length >= 3);
  const short = text.filter((w) => w.length < 3);
  const params: unknown[] = [ftsQuery(indexed), ...short];
  const conditions = meetingConditions(q, officeList, params);
  if (page.after) params.push(page.after[0], page.after[0], page.after[1]);
  const cursor = page.after
    ? ' AND m.visit_time <= ? AND (m.visit_time < ? OR m.meeting_id < ?)'
    : '';
  return db.all<PageKey>(
    `SELECT m.status_code, m.visit_time, m.meeting_id FROM meeting_fts f
     JOIN meeting m INDEXED BY limit_key ON m.search_key = f.rowid
     WHERE meeting_fts MATCH ?${short.map(() => ' AND instr(f.text, ?) > 0').join('')} AND ${conditions}${cursor}
     ORDER BY ${ORDER[q.sort]} LIMIT ? OFFSET ?`,
    [...params, page.limit, page.offset],
  );
}

/**
 * A page of a search, and its exact count (computed when asked for, except with free text, whose
 * count chooses the plan).
 */
export function plannedSearch(
  db: LimitDb,
  q: SearchQuery,
  page: Page,
): { keys: PageKey[]; total: () => number } {
  const officeList = offices(q);
  if (officeList?.length === 0) return { keys: [], total: () => 0 };
  const text = words(q);
  if (text.length === 0) {
    const keys = walk(db, q, arms(q, officeList), page, []);
    return { keys, total: () => structuredCount(db, q, officeList) };
  }
  if (text.some((w) => w.length >= 3) && !common(db, trigramWords(text))) {
    // A rare word: its few matches read from the FTS index and sorted; counted only when the page
    // does not tell the total.
    const keys = textPage(db, q, officeList, text, page);
    const count = () => textCounts(db, q, officeList, text, false).reduce((n, c) => n + c.n, 0);
    return { keys, total: count };
  }
  const counts = textCounts(db, q, officeList, text, true);
  const total = counts.reduce((n, c) => n + c.n, 0);
  if (total === 0) return { keys: [], total: () => 0 };
  // Walk when the rows walked before a page is full are fewer than the matches the FTS side would
  // read and sort (a third of them: an FTS row costs about a third of a tested one).
  const candidates = structuredCount(db, q, officeList);
  const walked = ((page.offset + page.limit) * candidates) / total;
  const matchedOffices =
    counts[0].office === null ? officeList : counts.filter((c) => c.n > 0).map((c) => c.office!);
  const documents = officeList !== null && q.sort === 'visit';
  const keys =
    walked * 3 < total
      ? documents
        ? walk(db, q, arms({ ...q, filter: {} }, matchedOffices), page, text, true)
        : walk(db, q, arms(q, matchedOffices), page, text)
      : textPage(db, q, officeList, text, page);
  return { keys, total: () => total };
}
