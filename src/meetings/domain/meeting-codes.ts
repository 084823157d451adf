/** The closed code lists of the meetings domain, as the REST reference gives them. */

export enum MeetingTypeCode {
  SALES_MEETING = 'SALES_MEETING',
  EVALUATION_VISIT = 'EVALUATION_VISIT',
}

export enum StatusCode {
  WAITING = 'WAITING',
  WON = 'WON',
  LOST = 'LOST',
  CANCELLED = 'CANCELLED',
}

export enum SourceTypeCode {
  ETUOVI = 'ETUOVI',
  OIKOTIE = 'OIKOTIE',
  ASUNTOJENMYYNTI_FI = 'ASUNTOJENMYYNTI_FI',
  ASUNTOJENHINNAT_FI = 'ASUNTOJENHINNAT_FI',
  NELIOHINTA_FI = 'NELIOHINTA_FI',
  ASUNTOARVIO_FI = 'ASUNTOARVIO_FI',
  HOME_PAGE = 'HOME_PAGE',
  CHATBOT = 'CHATBOT',
  BANK_COOPERATION = 'BANK_COOPERATION',
  SHOWING = 'SHOWING',
  BOUGHT_FROM_US = 'BOUGHT_FROM_US',
  OLD_CUSTOMER = 'OLD_CUSTOMER',
  RECOMMENDATION = 'RECOMMENDATION',
  DIRECT_CONTACT = 'DIRECT_CONTACT',
  AGENT_CONTACT = 'AGENT_CONTACT',
}

export enum MeetingSortField {
  VISIT_TIME = 'VISIT_TIME',
  CREATION_TIME = 'CREATION_TIME',
  MODIFICATION_TIME = 'MODIFICATION_TIME',
  STATUS_CODE = 'STATUS_CODE',
  TYPE_CODE = 'TYPE_CODE',
  SOURCE_TYPE_CODE = 'SOURCE_TYPE_CODE',
}

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}

/**
 * Realty codes are open lists (the reference shows only examples), so they are validated by shape.
 */
export const CODE_PATTERN = /^[A-Z0-9][A-Z0-9_]*$/;
export const CODE_MAX_LENGTH = 64;

export function isCode(value: unknown): value is string {
  return typeof value === 'string' && value.length <= CODE_MAX_LENGTH && CODE_PATTERN.test(value);
}
