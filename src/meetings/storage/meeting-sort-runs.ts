import type { OfficeScope } from '../../auth/caller';
import type { Dialect, SqlFragment } from '../../db/sql';
import {
  MeetingSortField,
  MeetingTypeCode,
  SortDirection,
  SourceTypeCode,
  StatusCode,
} from '../domain/meeting-codes';
import type { CheckedSearch } from '../domain/meeting-search';
import type { MeetingFilter } from '../domain/meeting.model';
import type { FreeTextForm } from './meeting-search-index';
import {
  keysetClause,
  orderByKeys,
  readOffices,
  searchWhere,
  sortKeys,
} from './meeting-search-sql';

/**
 * The matches of a search in sort order, as one SELECT of their meeting_id (and more columns) that
 * ends with its ORDER BY; the caller adds LIMIT and OFFSET.
 *
 * A sort led by a code (few values, all known) then visit time the other way round, say status
 * ascending then visit time descending, is served by no index read forwards or backwards: the
 * code's index (code, visit_time, meeting_id) holds visit time in the code's direction. So it is
 * read as runs, one per value of the code, each a seek in that index in the visit time's own
 * direction (`code = value`, so the index gives the rest of the order), merged in the code's
 * order by SQLite: a compound SELECT whose ORDER BY every arm already follows is a MERGE (UNION
 * ALL), which reads each run only as far as the page goes, a deep offset skipping index entries as
 * a single index would.
 * PostgreSQL (15) plans no Merge Append over the arms of a UNION ALL (arms with a WHERE clause
 * are not pulled up into one append relation): each run there is limited to the rows the page
 * reaches (offset + size), read in order from the same index, and the top of those few ids is
 * sorted: at most runs x reach ids, whatever the size of the table.
 * When the offices are few and known (a filter or the caller's), a status or type run is split
 * further by office and by the other of the two, so that each run is a seek in the covering index
 * (agency_office_id, status_code, type_code, visit_time, ...) instead of a range of it sorted.
 * Each run is the search itself with its filter narrowed to the run's values (so that each list
 * a run fixes is one value, an equality the index seeks on: PostgreSQL 15 reads no `= ANY` list
 * in index order). The values are the domain's closed code lists: the gateway stores no other,
 * and GraphQL could not return one.
 */
export function orderedMatches(
  search: CheckedSearch,
  scope: OfficeScope,
  dialect: Dialect,
  read: {
    position: readonly string[] | null;
    forward: boolean;
    /** How far into the matches the page reads: its offset plus its size. */
    reach: number;
  },
  options: { freeText?: FreeTextForm; columns?: readonly string[] } = {},
): SqlFragment {
  const keys = sortKeys(search);
  const columns = options.columns ?? [];
  const code = runCode(search);
  if (!code) {
    const where = searchWhere(search, scope, dialect, options.freeText);
    const params = [...where.params];
    const bind = (value: unknown) => (params.push(value), '?');
    const after = read.position
      ? ` AND ${keysetClause(keys, read.position, read.forward, bind)}`
      : '';
    return {
      sql: `SELECT ${['m.meeting_id', ...columns].join(', ')} FROM meeting m WHERE ${where.sql}${after} ORDER BY ${orderByKeys(keys, !read.forward)}`,
      params,
    };
  }
  const selected = unique(['m.meeting_id', ...keys.map((k) => k.column), ...columns]);
  const select = `SELECT ${selected.join(', ')} FROM meeting m WHERE `;
  const rest = keys.slice(1);
  const params: unknown[] = [];
  const bind = (value: unknown) => (params.push(value), '?');
  const arms = runs(search, scope, code, read).map((run) => {
    const where = searchWhere(run.search, run.scope, dialect, options.freeText);
    params.push(...where.params);
    const after =
      run.value === read.position?.[0]
        ? ` AND ${keysetClause(rest, read.position.slice(1), read.forward, bind)}`
        : '';
    const arm = `${select}${where.sql}${after}`;
    return dialect === 'postgres'
      ? `(${arm} ORDER BY ${orderByKeys(rest, !read.forward)} LIMIT ${bind(read.reach)})`
      : arm;
  });
  // No run left (a position past the filter's last value): nothing, and nothing to sort.
  if (arms.length === 0) return { sql: `${select}1 = 0`, params };
  const named = (column: string) => column.replace(/^m\./, '');
  const names = selected.map(named);
  const order = orderByKeys(
    keys.map((k) => ({ ...k, column: named(k.column) })),
    !read.forward,
  );
  // PostgreSQL's arms carry an ORDER BY of their own: the merge orders their union from outside.
  const union =
    dialect === 'postgres'
      ? `SELECT ${names.join(', ')} FROM (${arms.join(' UNION ALL ')}) runs`
      : arms.join(' UNION ALL ');
  return { sql: `${union} ORDER BY ${order}`, params };
}

type CodeFilter = 'statusCode' | 'typeCode' | 'sourceTypeCode';

/** A code of few known values: what a run is one value of. */
interface RunCode {
  filter: CodeFilter;
  values: readonly string[];
}

const RUN_CODES: Partial<Record<MeetingSortField, RunCode>> = {
  [MeetingSortField.STATUS_CODE]: { filter: 'statusCode', values: Object.values(StatusCode) },
  [MeetingSortField.TYPE_CODE]: { filter: 'typeCode', values: Object.values(MeetingTypeCode) },
  [MeetingSortField.SOURCE_TYPE_CODE]: {
    filter: 'sourceTypeCode',
    values: Object.values(SourceTypeCode),
  },
};

// The most runs split by office, status and type; more offices than that sort their ranges.
const MAX_SPLIT_RUNS = 32;

/**
 * The code whose runs serve the search's sort: a code, then visit time the other way round (the
 * code's index serves the same directions by itself, read forwards or backwards). Null for any
 * other sort.
 */
export function runCode(search: CheckedSearch): RunCode | null {
  const [first, second, ...more] = search.sort;
  const code = RUN_CODES[first.field];
  if (!code || !second || more.length > 0) return null;
  if (second.field !== MeetingSortField.VISIT_TIME || second.direction === first.direction)
    return null;
  return code;
}

interface Run {
  /** The value of the sort's code in this run. */
  value: string;
  /** The search narrowed to the run, and the offices it may see. */
  search: CheckedSearch;
  scope: OfficeScope;
}

/**
 * The runs of a page in the order it reads them: from the position's value on (that run bounded
 * by the rest of the position, the later ones whole), or all of them.
 */
function runs(
  search: CheckedSearch,
  scope: OfficeScope,
  code: RunCode,
  read: { position: readonly string[] | null; forward: boolean },
): Run[] {
  const ascending = (search.sort[0].direction === SortDirection.ASC) === read.forward;
  const start = read.position?.[0];
  const values = listed(code.values, search.filter[code.filter])
    .sort()
    .filter((v) => start === undefined || (ascending ? v >= start : v <= start));
  if (!ascending) values.reverse();
  const split = splitting(search, scope, code);
  return values.flatMap((value) =>
    split.map((part) => ({
      value,
      search: { ...search, filter: { ...search.filter, [code.filter]: [value], ...part.filter } },
      scope: part.scope,
    })),
  );
}

/**
 * How each value's run is split: by office, and by type under a status (or status under a type),
 * when the offices are few and known; not at all otherwise. An office outside the caller's has
 * no run.
 */
function splitting(
  search: CheckedSearch,
  scope: OfficeScope,
  code: RunCode,
): { filter: MeetingFilter; scope: OfficeScope }[] {
  const f = search.filter;
  const whole = [{ filter: {}, scope }];
  const offices = readOffices(search, scope);
  if (!offices || code.filter === 'sourceTypeCode') return whole;
  const other =
    RUN_CODES[
      code.filter === 'statusCode' ? MeetingSortField.TYPE_CODE : MeetingSortField.STATUS_CODE
    ]!;
  const others = listed(other.values, f[other.filter]);
  if (offices.length * others.length * listed(code.values, f[code.filter]).length > MAX_SPLIT_RUNS)
    return whole;
  return offices.flatMap((office) =>
    others.map((value) => ({
      filter: { agencyOfficeId: [office], [other.filter]: [value] },
      scope: scope === null ? null : [office],
    })),
  );
}

/** The values a filter leaves of a code (all of them without one). */
function listed(values: readonly string[], filter: readonly string[] | null | undefined): string[] {
  return values.filter((v) => !filter || filter.length === 0 || filter.includes(v));
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
