import type { EntityManager } from 'typeorm';
import { type Caller, mayAccessOffice } from '../../auth/caller';
import type { DirectoryService } from '../../directory/domain/directory.service';
import { AppError, ERROR_CODES, type ErrorItem, throwIfItems } from '../../errors';
import { Problems, normalizeUuid } from '../../validation';
import { validateMeetingDraft } from './meeting-validation';
import type { Meeting, MeetingDraft, MeetingPresence } from './meeting.model';

/**
 * The checks of the meeting service's operations, each throwing the REST error of the contract:
 * ids, versions, offices, drafts and the directory references a meeting makes.
 */

export function checkMeetingId(meetingId: string): string {
  const p = new Problems();
  p.uuid('meetingId', meetingId);
  throwIfItems('BAD_REQUEST_PARAMETERS', ERROR_CODES.BAD_REQUEST_PARAMETERS.message, p.items);
  return normalizeUuid(meetingId);
}

export function checkExpectedVersion(expectedVersion: number | null | undefined): void {
  if (expectedVersion === undefined || expectedVersion === null || expectedVersion >= 1) return;
  throw new AppError('BAD_REQUEST_PARAMETERS', ERROR_CODES.BAD_REQUEST_PARAMETERS.message, [
    { target: 'expectedVersion', errorCode: 'INVALID_VALUE', message: 'A version is 1 or more' },
  ]);
}

/** CONFLICT when the caller expected another version than the stored one. */
export function requireVersion(stored: Meeting, expectedVersion: number | null | undefined): void {
  if (expectedVersion === undefined || expectedVersion === null) return;
  if (stored.version === expectedVersion) return;
  throw new AppError(
    'CONFLICT',
    `Meeting ${stored.meetingId} is at version ${stored.version}, not ${expectedVersion}`,
    [
      {
        target: 'expectedVersion',
        errorCode: 'CONFLICT',
        message: `The current version is ${stored.version}`,
      },
    ],
  );
}

/** A meeting may only be put in an office of the caller's. */
export function checkOfficeAccess(caller: Caller, officeId: string): void {
  if (!mayAccessOffice(caller, officeId)) {
    throw new AppError('UNAUTHORIZED', 'The agency office is not one of yours', [
      {
        target: 'input.agencyOfficeId',
        errorCode: 'UNAUTHORIZED',
        message: 'You may not act in this agency office',
      },
    ]);
  }
}

export function requireLive(found: MeetingPresence, meetingId: string): Meeting {
  if (found.state === 'live') return found.meeting;
  if (found.state === 'deleted') {
    throw new AppError('GONE', `Meeting ${meetingId} has been deleted`, [
      {
        target: 'meetingId',
        errorCode: 'INVALID_ID',
        message: 'The meeting is no longer available',
      },
    ]);
  }
  throw new AppError('INVALID_ID', `Meeting ${meetingId} does not exist`, [
    { target: 'meetingId', errorCode: 'INVALID_ID', message: 'No meeting has this id' },
  ]);
}

export function checkDraft(draft: MeetingDraft, now: Date): void {
  throwIfItems('BAD_REQUEST_BODY', 'Invalid meeting input', validateMeetingDraft(draft, now));
}

/** The draft as it is stored: ids in lower case, optional values null, no unknown keys. */
export function normalizeDraft(
  draft: MeetingDraft,
): Omit<Meeting, 'meetingId' | 'createdByName' | 'creationTime' | 'modificationTime' | 'version'> {
  const realty = { ...draft.meetingRealty };
  return {
    typeCode: draft.typeCode,
    statusCode: draft.statusCode,
    parties: draft.parties.map((p) => ({
      partyId: normalizeUuid(p.partyId),
      partyTypeCode: p.partyTypeCode,
    })),
    realtyId: draft.realtyId ? normalizeUuid(draft.realtyId) : null,
    visitTime: new Date(draft.visitTime.getTime()),
    agencyOfficeId: normalizeUuid(draft.agencyOfficeId),
    agents: draft.agents.map((a) => ({ agentId: normalizeUuid(a.agentId) })),
    sourceTypeCode: draft.sourceTypeCode,
    meetingRealty: withoutEmpty(realty),
    priceEstimate: draft.priceEstimate
      ? { value: draft.priceEstimate.value, currencyCode: draft.priceEstimate.currencyCode }
      : null,
    notes: draft.notes ?? null,
  };
}

/** Drops undefined and null members, so the stored JSON holds only what was given. */
function withoutEmpty<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined || v === null) continue;
    out[key] = v !== null && typeof v === 'object' && !Array.isArray(v) ? withoutEmpty(v) : v;
  }
  return out as T;
}

/**
 * Every party and agent the meeting names must be known to the directory (INVALID_ID), and each
 * party must have the type the directory gives it (BAD_REQUEST_BODY).
 */
export async function checkDirectoryReferences(
  m: EntityManager,
  directory: DirectoryService,
  meeting: Pick<Meeting, 'parties' | 'agents'>,
): Promise<void> {
  const known = await directory.known(
    m,
    meeting.parties.map((p) => p.partyId),
    meeting.agents.map((a) => a.agentId),
  );
  const parties = new Map(known.parties.map((p) => [p.partyId, p]));
  const agents = new Set(known.agents.map((a) => a.agentId));
  const unknown: ErrorItem[] = [];
  const mismatched: ErrorItem[] = [];
  meeting.parties.forEach((ref, i) => {
    const party = parties.get(ref.partyId);
    if (!party) {
      unknown.push({
        target: `input.parties[${i}].partyId`,
        errorCode: 'INVALID_ID',
        message: `Party ${ref.partyId} is not in the directory`,
      });
    } else if (party.partyTypeCode !== ref.partyTypeCode) {
      mismatched.push({
        target: `input.parties[${i}].partyTypeCode`,
        errorCode: 'INVALID_VALUE',
        message: `Party ${ref.partyId} is a ${party.partyTypeCode}, not a ${ref.partyTypeCode}`,
      });
    }
  });
  meeting.agents.forEach((ref, i) => {
    if (!agents.has(ref.agentId)) {
      unknown.push({
        target: `input.agents[${i}].agentId`,
        errorCode: 'INVALID_ID',
        message: `Agent ${ref.agentId} is not in the directory`,
      });
    }
  });
  throwIfItems('INVALID_ID', 'Unknown parties or agents', unknown);
  throwIfItems('BAD_REQUEST_BODY', 'Invalid meeting input', mismatched);
}
