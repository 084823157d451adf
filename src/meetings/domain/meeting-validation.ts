import { isISO31661Alpha2, isISO4217CurrencyCode } from 'class-validator';
import type { ErrorItem } from '../../errors';
import { Problems } from '../../validation';
import {
  CODE_MAX_LENGTH,
  MeetingTypeCode,
  SourceTypeCode,
  StatusCode,
  isCode,
} from './meeting-codes';
import { PartyTypeCode } from '../../directory/domain/directory.model';
import type { MeetingDraft, MeetingRealty } from './meeting.model';

export const LIMITS = {
  notes: 10_000,
  addressField: 255,
  title: 255,
  doorCode: 64,
  listItems: 100,
  earliestConstructionYear: 1600,
  constructionYearsAhead: 10,
} as const;

const REALTY_CODE_FIELDS = [
  'categoryCode',
  'subCategoryCode',
  'propertyTypeCode',
  'residentialTypeCode',
  'plotPropertyTypeCode',
  'estatePropertyTypeCode',
  'otherShareTypeCode',
  'commercialPropertyTypeCode',
  'roomCountCode',
] as const;

const ADDRESS_FIELDS = [
  'addressLine1',
  'addressLine2',
  'stairwell',
  'apartmentNumber',
  'district',
  'districtCode',
  'region',
  'regionCode',
  'postcode',
  'postalArea',
  'locality',
  'localityCode',
  'country',
  'countryCode',
] as const;

const present = (value: unknown): boolean => value !== undefined && value !== null;

/**
 * Every problem of a create or update input, all at once, each with its input path; empty when the
 * input is valid. Directory references and status rules are checked later, against the database.
 */
export function validateMeetingDraft(draft: MeetingDraft, now: Date): ErrorItem[] {
  const p = new Problems();
  const input = draft as unknown as Record<string, unknown>;

  if (p.required('input.typeCode', input.typeCode)) {
    p.oneOf('input.typeCode', input.typeCode, MeetingTypeCode);
  }
  if (p.required('input.statusCode', input.statusCode)) {
    p.oneOf('input.statusCode', input.statusCode, StatusCode);
  }
  checkParties(p, input.parties);
  if (present(input.realtyId)) p.uuid('input.realtyId', input.realtyId);
  if (p.required('input.visitTime', input.visitTime)) p.date('input.visitTime', input.visitTime);
  if (p.required('input.agencyOfficeId', input.agencyOfficeId)) {
    p.uuid('input.agencyOfficeId', input.agencyOfficeId);
  }
  checkAgents(p, input.agents);
  if (p.required('input.sourceTypeCode', input.sourceTypeCode)) {
    p.oneOf('input.sourceTypeCode', input.sourceTypeCode, SourceTypeCode);
  }
  if (p.required('input.meetingRealty', input.meetingRealty)) {
    checkRealty(p, input.meetingRealty as MeetingRealty, now);
  }
  if (present(input.priceEstimate))
    checkPriceEstimate(p, input.priceEstimate as Record<string, unknown>);
  if (present(input.notes)) p.text('input.notes', input.notes, LIMITS.notes);
  return p.items;
}

function checkParties(p: Problems, parties: unknown): void {
  if (!checkNonEmptyList(p, 'input.parties', parties, 'party')) return;
  const seen = new Set<string>();
  parties.forEach((party, i) => {
    const at = `input.parties[${i}]`;
    const { partyId, partyTypeCode } = (party ?? {}) as Record<string, unknown>;
    if (p.required(`${at}.partyId`, partyId) && p.uuid(`${at}.partyId`, partyId)) {
      checkUnique(p, seen, `${at}.partyId`, partyId, 'party');
    }
    if (p.required(`${at}.partyTypeCode`, partyTypeCode)) {
      p.oneOf(`${at}.partyTypeCode`, partyTypeCode, PartyTypeCode);
    }
  });
}

function checkAgents(p: Problems, agents: unknown): void {
  if (!checkNonEmptyList(p, 'input.agents', agents, 'agent')) return;
  const seen = new Set<string>();
  agents.forEach((agent, i) => {
    const target = `input.agents[${i}].agentId`;
    const { agentId } = (agent ?? {}) as Record<string, unknown>;
    if (p.required(target, agentId) && p.uuid(target, agentId)) {
      checkUnique(p, seen, target, agentId, 'agent');
    }
  });
}

function checkNonEmptyList(
  p: Problems,
  target: string,
  list: unknown,
  noun: string,
): list is unknown[] {
  if (!p.required(target, list) || !p.array(target, list)) return false;
  if (list.length === 0) {
    p.add(
      target,
      'VALUE_REQUIRED',
      `${target.replace(/^input\./, '')} must name at least one ${noun}`,
    );
    return false;
  }
  if (list.length > LIMITS.listItems) {
    p.add(
      target,
      'INVALID_VALUE',
      `A meeting can have at most ${LIMITS.listItems} ${noun} entries`,
    );
    return false;
  }
  return true;
}

function checkUnique(
  p: Problems,
  seen: Set<string>,
  target: string,
  id: string,
  noun: string,
): void {
  const key = id.toLowerCase();
  if (seen.has(key)) p.add(target, 'INVALID_VALUE', `The same ${noun} ${key} is listed twice`);
  seen.add(key);
}

function checkRealty(p: Problems, realty: MeetingRealty, now: Date): void {
  const at = 'input.meetingRealty';
  for (const field of REALTY_CODE_FIELDS) checkCode(p, `${at}.${field}`, realty[field]);
  if (present(realty.address)) {
    const address = realty.address as Record<string, unknown>;
    for (const field of ADDRESS_FIELDS) {
      if (present(address[field]))
        p.text(`${at}.address.${field}`, address[field], LIMITS.addressField);
    }
    const countryCode = address.countryCode;
    if (typeof countryCode === 'string' && countryCode.length <= LIMITS.addressField) {
      if (!isISO31661Alpha2(countryCode) || countryCode !== countryCode.toUpperCase()) {
        p.add(
          `${at}.address.countryCode`,
          'INVALID_VALUE',
          'countryCode must be an ISO 3166-1 alpha-2 code, such as FI',
        );
      }
    }
  }
  if (present(realty.area)) {
    const { value, areaUnitCode } = realty.area as Record<string, unknown>;
    if (
      p.required(`${at}.area.value`, value) &&
      p.number(`${at}.area.value`, value) &&
      value <= 0
    ) {
      p.add(`${at}.area.value`, 'INVALID_VALUE', 'area.value must be greater than 0');
    }
    if (p.required(`${at}.area.areaUnitCode`, areaUnitCode))
      checkCode(p, `${at}.area.areaUnitCode`, areaUnitCode);
  }
  if (present(realty.floorLevel)) p.integer(`${at}.floorLevel`, realty.floorLevel);
  if (present(realty.managementCharge)) {
    const target = `${at}.managementCharge`;
    if (p.number(target, realty.managementCharge) && realty.managementCharge < 0) {
      p.add(target, 'INVALID_VALUE', 'managementCharge must not be negative');
    }
  }
  if (present(realty.constructionYear)) {
    const target = `${at}.constructionYear`;
    const latest = now.getUTCFullYear() + LIMITS.constructionYearsAhead;
    const year = realty.constructionYear;
    if (p.integer(target, year) && (year < LIMITS.earliestConstructionYear || year > latest)) {
      p.add(
        target,
        'INVALID_VALUE',
        `constructionYear must be from ${LIMITS.earliestConstructionYear} to ${latest}`,
      );
    }
  }
  if (present(realty.doorCode)) p.text(`${at}.doorCode`, realty.doorCode, LIMITS.doorCode);
  if (present(realty.title)) p.text(`${at}.title`, realty.title, LIMITS.title);
  if (present(realty.features) && p.array(`${at}.features`, realty.features)) {
    if (realty.features.length > LIMITS.listItems) {
      p.add(
        `${at}.features`,
        'INVALID_VALUE',
        `features can have at most ${LIMITS.listItems} codes`,
      );
    } else {
      realty.features.forEach((code, i) => checkCode(p, `${at}.features[${i}]`, code));
    }
  }
}

function checkPriceEstimate(p: Problems, estimate: Record<string, unknown>): void {
  const at = 'input.priceEstimate';
  const { value, currencyCode } = estimate;
  if (p.required(`${at}.value`, value) && p.number(`${at}.value`, value) && value < 0) {
    p.add(`${at}.value`, 'INVALID_VALUE', 'priceEstimate.value must not be negative');
  }
  if (p.required(`${at}.currencyCode`, currencyCode)) {
    if (
      typeof currencyCode !== 'string' ||
      !/^[A-Z]{3}$/.test(currencyCode) ||
      !isISO4217CurrencyCode(currencyCode)
    ) {
      p.add(
        `${at}.currencyCode`,
        'INVALID_VALUE',
        'currencyCode must be an ISO 4217 currency code, such as EUR',
      );
    }
  }
}

function checkCode(p: Problems, target: string, value: unknown): void {
  if (!present(value)) return;
  if (!isCode(value)) {
    p.add(
      target,
      'INVALID_VALUE',
      `${target.replace(/^input\./, '')} must be a code of capital letters, digits and underscores, at most ${CODE_MAX_LENGTH} characters`,
    );
  }
}
