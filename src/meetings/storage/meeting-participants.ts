import type { EntityManager } from 'typeorm';
import type { NewRecord, Row } from '../../db/table';
import { type Dialect, query } from '../../db/sql';
import type { Meeting, MeetingAgentRef, MeetingPartyRef } from '../domain/meeting.model';
import { type ReadMeeting, toMeeting } from './meeting.record';
import { meetingAgentTable, meetingPartyTable } from './meeting.table';

/**
 * The parties and agents of meetings (meeting_party, meeting_agent), in the order each meeting
 * lists them, read with their directory details.
 */

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

/** A party in its list: these columns, in this order (the tuple names each). */
const PARTY_COLUMNS =
  'mp.party_id, mp.party_type_code, p.party_name, p.email_address, p.phone_number';
type PartyTuple = [
  partyId: string,
  partyTypeCode: MeetingPartyRef['partyTypeCode'],
  partyName: string,
  emailAddress: string | null,
  phoneNumber: string | null,
];

/** An agent in its list: these columns, in this order. */
const AGENT_COLUMNS = 'ma.agent_id, a.first_name, a.last_name';
type AgentTuple = [agentId: string, firstName: string, lastName: string];

/**
 * The columns a read of meetings (aliased `m`) adds for their parties and agents, with their
 * directory details: `parties` and `agents`, each a JSON array in the meeting's order. The page's
 * own statement brings them: no statement per list, and fewer values cross from the database than
 * with a row per party and per agent.
 */
export function participantColumns(dialect: Dialect): string {
  return `(SELECT ${jsonList(dialect, PARTY_COLUMNS, 'mp.position')}
        FROM meeting_party mp JOIN party p ON p.party_id = mp.party_id
        WHERE mp.meeting_id = m.meeting_id) AS parties,
       (SELECT ${jsonList(dialect, AGENT_COLUMNS, 'ma.position')}
        FROM meeting_agent ma JOIN agent a ON a.agent_id = ma.agent_id
        WHERE ma.meeting_id = m.meeting_id) AS agents`;
}

/** The meeting of a record and the row it was read from, with participantColumns. */
export function withParticipants(record: ReadMeeting, row: Row): Meeting {
  const parties = parsed<PartyTuple>(row.parties).map(
    ([partyId, partyTypeCode, partyName, emailAddress, phoneNumber]): MeetingPartyRef => ({
      partyId,
      partyTypeCode,
      directory: { partyName, emailAddress, phoneNumber },
    }),
  );
  const agents = parsed<AgentTuple>(row.agents).map(
    ([agentId, firstName, lastName]): MeetingAgentRef => ({
      agentId,
      directory: { firstName, lastName },
    }),
  );
  return toMeeting(record, parties, agents);
}

/**
 * An aggregate of `columns` as a JSON array of arrays, ordered by `order`; `[]` for no rows.
 * SQLite gives the JSON as text, PostgreSQL's driver as parsed values.
 */
function jsonList(dialect: Dialect, columns: string, order: string): string {
  return dialect === 'postgres'
    ? `coalesce(json_agg(json_build_array(${columns}) ORDER BY ${order}), '[]')`
    : `json_group_array(json_array(${columns}) ORDER BY ${order})`;
}

/** A list of participantColumns. A row without it was read without them: never an empty list. */
function parsed<T>(value: unknown): T[] {
  if (typeof value === 'string') return JSON.parse(value) as T[];
  if (Array.isArray(value)) return value as T[];
  throw new Error(
    'A meeting was read without participantColumns: its parties and agents are unknown',
  );
}
