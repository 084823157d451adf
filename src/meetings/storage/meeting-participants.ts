import type { EntityManager } from 'typeorm';
import { type Row, type NewRecord } from '../../db/table';
import { query } from '../../db/sql';
import type { Meeting, MeetingAgentRef, MeetingPartyRef } from '../domain/meeting.model';
import { type ReadMeeting, toMeeting } from './meeting.record';
import { meetingAgentTable, meetingPartyTable } from './meeting.table';

/**
 * The parties and agents of meetings (meeting_party, meeting_agent), in the order each meeting
 * lists them, read with their directory details.
 */

const PARTY_REFS = meetingPartyTable.pick('meetingId', 'partyId', 'partyTypeCode');
const AGENT_REFS = meetingAgentTable.pick('meetingId', 'agentId');

/** The directory's columns a read joins (the directory declares them; only text is read). */
interface PartyDetails {
  party_name: string;
  email_address: string | null;
  phone_number: string | null;
}
interface AgentDetails {
  first_name: string;
  last_name: string;
}

/** The rows of a meeting's parties and agents, positions in the meeting's order. */
export function participantRecords(meeting: Meeting): {
  parties: NewRecord<typeof meetingPartyTable.columns>[];
  agents: NewRecord<typeof meetingAgentTable.columns>[];
} {
  const { meetingId } = meeting;
  return {
    parties: meeting.parties.map((p, position) => ({
      meetingId,
      position,
      partyId: p.partyId,
      partyTypeCode: p.partyTypeCode,
    })),
    agents: meeting.agents.map((a, position) => ({ meetingId, position, agentId: a.agentId })),
  };
}

/** Writes a meeting's parties and agents (it has at least one of each). */
export async function insertParticipants(manager: EntityManager, meeting: Meeting): Promise<void> {
  const { parties, agents } = participantRecords(meeting);
  const partyRows = meetingPartyTable.insert(parties);
  await query(manager, partyRows.sql, partyRows.params);
  const agentRows = meetingAgentTable.insert(agents);
  await query(manager, agentRows.sql, agentRows.params);
}

/**
 * Maps meeting records to meetings, loading the parties and agents of all of them, with their
 * directory details, in two statements.
 */
export async function withParticipants(
  manager: EntityManager,
  records: ReadMeeting[],
): Promise<Meeting[]> {
  if (records.length === 0) return [];
  const ids = records.map((r) => r.meetingId);
  const marks = ids.map(() => '?').join(', ');
  const partyRows = await query<Row & PartyDetails>(
    manager,
    `SELECT ${PARTY_REFS.sql('mp')}, p.party_name, p.email_address, p.phone_number
     FROM meeting_party mp JOIN party p ON p.party_id = mp.party_id
     WHERE mp.meeting_id IN (${marks}) ORDER BY mp.meeting_id, mp.position`,
    ids,
  );
  const agentRows = await query<Row & AgentDetails>(
    manager,
    `SELECT ${AGENT_REFS.sql('ma')}, a.first_name, a.last_name
       FROM meeting_agent ma JOIN agent a ON a.agent_id = ma.agent_id
       WHERE ma.meeting_id IN (${marks}) ORDER BY ma.meeting_id, ma.position`,
    ids,
  );
  const parties = groupBy(partyRows, (row): [string, MeetingPartyRef] => {
    const ref = PARTY_REFS.read(row);
    return [
      ref.meetingId,
      {
        partyId: ref.partyId,
        partyTypeCode: ref.partyTypeCode,
        directory: {
          partyName: row.party_name,
          emailAddress: row.email_address,
          phoneNumber: row.phone_number,
        },
      },
    ];
  });
  const agents = groupBy(agentRows, (row): [string, MeetingAgentRef] => {
    const ref = AGENT_REFS.read(row);
    return [
      ref.meetingId,
      { agentId: ref.agentId, directory: { firstName: row.first_name, lastName: row.last_name } },
    ];
  });
  return records.map((r) =>
    toMeeting(r, parties.get(r.meetingId) ?? [], agents.get(r.meetingId) ?? []),
  );
}

/** Items by meeting id, in the order of the rows. */
function groupBy<R, T>(rows: R[], map: (row: R) => [string, T]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const [meetingId, item] = map(row);
    const group = groups.get(meetingId);
    if (group) group.push(item);
    else groups.set(meetingId, [item]);
  }
  return groups;
}
