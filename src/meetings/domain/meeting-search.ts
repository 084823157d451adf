import type { Dialect } from '../../db/sql';
import { freeTextCondition } from '../storage/meeting-search-index';
import { AppError } from '../../errors';
import { Problems, normalizeUuid } from '../../validation';
import {
  MeetingSortField,
  MeetingTypeCode,
  SortDirection,
  SourceTypeCode,
  StatusCode,
} from './meeting-codes';
import type { MeetingFilter, MeetingSearch, MeetingSort } from './meeting.model';

export const SEARCH_LIMITS = {
  defaultSize: 50,
  maxSize: 100,
  freeTextLength: 200,
  filterValues: 100,
} as const;

export const DEFAULT_SORT: readonly MeetingSort[] = [
  { field: MeetingSortField.VISIT_TIME, direction: SortDirection.DESC },
];

const SORT_COLUMNS: Record<MeetingSortField, string> = {
  [MeetingSortField.VISIT_TIME]: 'm.visit_time',
  [MeetingSortField.CREATION_TIME]: 'm.creation_time',
  [MeetingSortField.MODIFICATION_TIME]: 'm.modification_time',
  [MeetingSortField.STATUS_CODE]: 'm.status_code',
  [MeetingSortField.TYPE_CODE]: 'm.type_code',
  [MeetingSortField.SOURCE_TYPE_CODE]: 'm.source_type_code',
};

/** A search whose arguments have been checked, with defaults applied. */
export interface CheckedSearch {
  filter: MeetingFilter;
  /** Lower-cased words of freeTextSearch; each must match somewhere. */
  words: string[];
  sort: MeetingSort[];
  startIndex: number;
  size: number;
}

/**
 * Checks the search arguments, all at once: BAD_REQUEST_PARAMETERS with an item naming each bad
 * argument (`size`, `filter.freeTextSearch`, `sort[1].field` ...).
 */
export function checkSearch(search: MeetingSearch): CheckedSearch {
  const p = new Problems();
  const startIndex = search.startIndex ?? 0;
  const size = search.size ?? SEARCH_LIMITS.defaultSize;
  if (p.integer('startIndex', startIndex) && startIndex < 0) {
    p.add('startIndex', 'INVALID_VALUE', 'startIndex must be 0 or greater');
  }
  if (p.integer('size', size) && (size < 1 || size > SEARCH_LIMITS.maxSize)) {
    p.add('size', 'INVALID_VALUE', `size must be from 1 to ${SEARCH_LIMITS.maxSize}`);
  }

  const raw = search.filter ?? {};
  const filter: MeetingFilter = {
    sourceTypeCode: codeList(p, 'filter.sourceTypeCode', raw.sourceTypeCode, SourceTypeCode),
    statusCode: codeList(p, 'filter.statusCode', raw.statusCode, StatusCode),
    typeCode: codeList(p, 'filter.typeCode', raw.typeCode, MeetingTypeCode),
    agencyOfficeId: uuidList(p, 'filter.agencyOfficeId', raw.agencyOfficeId),
    partyId: uuidList(p, 'filter.partyId', raw.partyId),
    agentId: uuidList(p, 'filter.agentId', raw.agentId),
    visitTimeBefore: optionalDate(p, 'filter.visitTimeBefore', raw.visitTimeBefore),
    visitTimeAfter: optionalDate(p, 'filter.visitTimeAfter', raw.visitTimeAfter),
    modifiedAfter: optionalDate(p, 'filter.modifiedAfter', raw.modifiedAfter),
  };
  let words: string[] = [];
  const text = raw.freeTextSearch;
  if (
    text !== undefined &&
    text !== null &&
    p.text('filter.freeTextSearch', text, SEARCH_LIMITS.freeTextLength)
  ) {
    words = [
      ...new Set(
        text
          .toLowerCase()
          .split(/\s+/u)
          .filter((w) => w.length > 0),
      ),
    ];
  }

  const sort = search.sort && search.sort.length > 0 ? search.sort : DEFAULT_SORT;
  const fields = new Set<string>();
  sort.forEach((s, i) => {
    if (p.oneOf(`sort[${i}].field`, s.field, MeetingSortField)) {
      if (fields.has(s.field))
        p.add(`sort[${i}].field`, 'INVALID_VALUE', `sort names ${s.field} twice`);
      fields.add(s.field);
    }
    p.oneOf(`sort[${i}].direction`, s.direction, SortDirection);
  });

  if (!p.isEmpty) throw new AppError('BAD_REQUEST_PARAMETERS', undefined, p.items);
  return { filter, words, sort: [...sort], startIndex, size };
}

function codeList<T extends string>(
  p: Problems,
  target: string,
  values: readonly T[] | null | undefined,
  allowed: Record<string, T>,
): T[] | null {
  if (!values) return null;
  if (!tooMany(p, target, values)) values.forEach((v, i) => p.oneOf(`${target}[${i}]`, v, allowed));
  return [...new Set(values)];
}

function uuidList(
  p: Problems,
  target: string,
  values: readonly string[] | null | undefined,
): string[] | null {
  if (!values) return null;
  if (!tooMany(p, target, values)) values.forEach((v, i) => p.uuid(`${target}[${i}]`, v));
  return [...new Set(values.map((v) => (typeof v === 'string' ? normalizeUuid(v) : v)))];
}

function tooMany(p: Problems, target: string, values: readonly unknown[]): boolean {
  if (values.length <= SEARCH_LIMITS.filterValues) return false;
  p.add(target, 'INVALID_VALUE', `${target} can list at most ${SEARCH_LIMITS.filterValues} values`);
  return true;
}

function optionalDate(p: Problems, target: string, value: Date | null | undefined): Date | null {
  if (value === undefined || value === null) return null;
  return p.date(target, value) ? value : null;
}

/** The agency offices a query is limited to; null for every office. */
export type OfficeScope = readonly string[] | null;

/** The condition that limits `column` to the scope: nothing at all for an empty scope. */
export function scopeClause(
  column: string,
  scope: OfficeScope,
  bind: (value: unknown) => string,
): string[] {
  if (scope === null) return [];
  if (scope.length === 0) return ['0 = 1'];
  return [`${column} IN (${scope.map(bind).join(', ')})`];
}

/** A WHERE clause with its bound parameters, in order. */
export interface SqlFragment {
  sql: string;
  params: unknown[];
}

/**
 * The WHERE clause of a checked search over `meeting m`: live meetings of the caller's offices
 * only, every filter ANDed,
 * list filters matching any value, and each free-text word found in the meeting's own text or in
 * the directory text of one of its parties or agents.
 */
export function searchWhere(
  search: CheckedSearch,
  scope: OfficeScope,
  dialect: Dialect = 'sqlite',
): SqlFragment {
  const clauses = ['m.deleted_time IS NULL'];
  const params: unknown[] = [];
  const bind = (value: unknown): string => {
    params.push(value);
    return '?';
  };
  const anyOf = (column: string, values: readonly string[] | null | undefined): void => {
    if (values && values.length > 0) clauses.push(`${column} IN (${values.map(bind).join(', ')})`);
  };
  const f = search.filter;
  clauses.push(...scopeClause('m.agency_office_id', scope, bind));
  anyOf('m.source_type_code', f.sourceTypeCode);
  anyOf('m.status_code', f.statusCode);
  anyOf('m.type_code', f.typeCode);
  anyOf('m.agency_office_id', f.agencyOfficeId);
  if (f.partyId && f.partyId.length > 0) {
    clauses.push(
      `EXISTS (SELECT 1 FROM meeting_party mp WHERE mp.meeting_id = m.meeting_id AND mp.party_id IN (${f.partyId.map(bind).join(', ')}))`,
    );
  }
  if (f.agentId && f.agentId.length > 0) {
    clauses.push(
      `EXISTS (SELECT 1 FROM meeting_agent ma WHERE ma.meeting_id = m.meeting_id AND ma.agent_id IN (${f.agentId.map(bind).join(', ')}))`,
    );
  }
  if (f.visitTimeBefore) clauses.push(`m.visit_time < ${bind(f.visitTimeBefore.toISOString())}`);
  if (f.visitTimeAfter) clauses.push(`m.visit_time > ${bind(f.visitTimeAfter.toISOString())}`);
  if (f.modifiedAfter) clauses.push(`m.modification_time > ${bind(f.modifiedAfter.toISOString())}`);
  if (search.words.length > 0) clauses.push(freeTextCondition(search.words, dialect, bind));
  return { sql: clauses.join(' AND '), params };
}

/** A column of the sort key, with its direction. */
export interface SortKey {
  column: string;
  direction: SortDirection;
}

/** The sort key of a checked search: its sort, then meetingId ascending. */
export function sortKeys(search: CheckedSearch): SortKey[] {
  return [
    ...search.sort.map((s) => ({ column: SORT_COLUMNS[s.field], direction: s.direction })),
    { column: 'm.meeting_id', direction: SortDirection.ASC },
  ];
}

/**
 * The rows strictly after (`forward`) or before a key in sort order, for keyset pagination: with
 * mixed directions, (k1 > v1) OR (k1 = v1 AND k2 < v2) OR ... as each key's direction says.
 */
export function keysetClause(
  keys: readonly SortKey[],
  values: readonly string[],
  forward: boolean,
  bind: (value: unknown) => string,
): string {
  const alternatives = keys.map((key, i) => {
    const equal = keys.slice(0, i).map((k, j) => `${k.column} = ${bind(values[j])}`);
    const op = (key.direction === SortDirection.ASC) === forward ? '>' : '<';
    return `(${[...equal, `${key.column} ${op} ${bind(values[i])}`].join(' AND ')})`;
  });
  return `(${alternatives.join(' OR ')})`;
}

/** ORDER BY of sort keys, or of their reverse (to walk backwards from a cursor). */
export function orderByKeys(keys: readonly SortKey[], reversed: boolean): string {
  const flip = (d: SortDirection) =>
    d === SortDirection.ASC ? SortDirection.DESC : SortDirection.ASC;
  return keys.map((k) => `${k.column} ${reversed ? flip(k.direction) : k.direction}`).join(', ');
}

/** The ORDER BY of a checked search, with meetingId last as the unique tie-breaker. */
export function searchOrderBy(search: CheckedSearch): string {
  const keys = search.sort.map((s) => `${SORT_COLUMNS[s.field]} ${s.direction}`);
  return [...keys, 'm.meeting_id ASC'].join(', ');
}
