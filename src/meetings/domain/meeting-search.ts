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
