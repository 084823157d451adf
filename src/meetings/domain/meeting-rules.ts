import type { ErrorItem } from '../../errors';
import { StatusCode } from './meeting-codes';
import type { MeetingPartyRef } from './meeting.model';

/** What an update may do, by the status stored now (the REST reference's rule, as one table). */
export const STATUS_RULES: Readonly<
  Record<StatusCode, { readonly mayBecome: readonly StatusCode[]; readonly locked: boolean }>
> = {
  [StatusCode.WAITING]: {
    mayBecome: [StatusCode.WAITING, StatusCode.WON, StatusCode.LOST, StatusCode.CANCELLED],
    locked: false,
  },
  [StatusCode.WON]: { mayBecome: [StatusCode.WON, StatusCode.LOST], locked: true },
  [StatusCode.LOST]: { mayBecome: [StatusCode.LOST, StatusCode.WON], locked: true },
  [StatusCode.CANCELLED]: { mayBecome: [StatusCode.CANCELLED], locked: true },
};

/** The status-dependent part of a meeting: what an update is checked against. */
export interface StatusGuarded {
  statusCode: StatusCode;
  parties: readonly MeetingPartyRef[];
  visitTime: Date;
}

/** Whether two party lists are the same set of (partyId, partyTypeCode) pairs, in any order. */
export function sameParties(a: readonly MeetingPartyRef[], b: readonly MeetingPartyRef[]): boolean {
  const key = (p: MeetingPartyRef) => `${p.partyId.toLowerCase()}|${p.partyTypeCode}`;
  const left = new Set(a.map(key));
  const right = new Set(b.map(key));
  return left.size === right.size && [...left].every((k) => right.has(k));
}

/**
 * The items of an update that the stored status does not allow, one per offending field
 * (statusCode, parties, visitTime); empty when the update is allowed.
 */
export function statusViolations(stored: StatusGuarded, requested: StatusGuarded): ErrorItem[] {
  const rule = STATUS_RULES[stored.statusCode];
  const from = stored.statusCode;
  const items: ErrorItem[] = [];
  if (!rule.mayBecome.includes(requested.statusCode)) {
    items.push({
      target: 'input.statusCode',
      errorCode: 'INVALID_STATUS',
      message: `Meeting status ${from} does not allow changing statusCode to ${requested.statusCode}`,
    });
  }
  if (rule.locked && !sameParties(stored.parties, requested.parties)) {
    items.push({
      target: 'input.parties',
      errorCode: 'INVALID_STATUS',
      message: `Meeting status ${from} does not allow changing parties`,
    });
  }
  if (rule.locked && stored.visitTime.getTime() !== requested.visitTime.getTime()) {
    items.push({
      target: 'input.visitTime',
      errorCode: 'INVALID_STATUS',
      message: `Meeting status ${from} does not allow changing visitTime`,
    });
  }
  return items;
}

/** The message of an INVALID_STATUS error for these items: it names the stored status. */
export function statusViolationMessage(stored: StatusCode, items: readonly ErrorItem[]): string {
  if (items.length === 1) return items[0].message;
  const fields = items.map((item) => item.target.replace(/^input\./, ''));
  const list = `${fields.slice(0, -1).join(', ')} and ${fields[fields.length - 1]}`;
  return `Meeting status ${stored} does not allow changing ${list}`;
}

/** Only a WAITING meeting may be deleted. */
export function mayDelete(stored: StatusCode): boolean {
  return stored === StatusCode.WAITING;
}
