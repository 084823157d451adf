import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Database } from '../src/db/database';
import type { SqlFragment } from '../src/db/sql';
import { agentTable, partyTable } from '../src/directory/storage/directory.table';
import { agentRecord, partyRecord } from '../src/directory/storage/directory.repository';
import { DEMO_VOCABULARY, random } from '../src/demo/demo-data';
import { createLogger } from '../src/logger';
import { MeetingTypeCode, SourceTypeCode, StatusCode } from '../src/meetings/domain/meeting-codes';
import { PartyTypeCode } from '../src/directory/domain/directory.model';
import { fillSearchIndexSql } from '../src/meetings/storage/meeting-search-index';
import type { Meeting } from '../src/meetings/domain/meeting.model';
import { meetingRecord } from '../src/meetings/storage/meeting.record';
import { participantRecords } from '../src/meetings/storage/meeting-participants';
import {
  meetingAgentTable,
  meetingPartyTable,
  meetingTable,
} from '../src/meetings/storage/meeting.table';

/**
 * The benchmark's deterministic data: offices, agents, customers and meetings in realistic
 * proportions (about 3 parties and 2 agents a meeting, 5,000 meetings an office), written through
 * the gateway's own migrations and row format (its table declarations and record builders), then
 * kept in bench/.data for the next run.
 */

/** Bump when the generated data changes: cached files of another version are made anew. */
const GENERATOR_VERSION = 1;
// npm scripts run from the project's root.
const DATA_DIR = path.join(process.cwd(), 'bench', '.data');

/** A rare word (in about one meeting of 10,000) and a common one (a city of a quarter). */
export const RARE_WORD = 'kummitusmaja';
export const COMMON_WORD = 'helsinki';
const CITIES = Object.keys(DEMO_VOCABULARY.streets);

export function uuid(kind: number, n: number): string {
  const hex = n.toString(16).padStart(12, '0');
  return `be0c${kind.toString(16).padStart(4, '0')}-0000-4000-8000-${hex}`;
}

export const officeId = (i: number) => uuid(1, i + 1);
export const agentId = (i: number) => uuid(2, i + 1);
export const partyId = (i: number) => uuid(3, i + 1);
export const meetingId = (i: number) => uuid(4, i + 1);

export interface DataShape {
  meetings: number;
  offices: number;
  agents: number;
  parties: number;
}

export function shapeOf(meetings: number): DataShape {
  const offices = Math.max(4, Math.round(meetings / 5000));
  return { meetings, offices, agents: offices * 12, parties: Math.round(meetings * 0.8) };
}

/** The path of a database of `meetings` meetings, generated when not yet there. */
export async function benchDatabase(
  meetings: number,
  log: (line: string) => void,
): Promise<string> {
  mkdirSync(DATA_DIR, { recursive: true });
  const file = path.join(DATA_DIR, `meetings-${meetings}-v${GENERATOR_VERSION}.sqlite`);
  if (existsSync(file)) return file;
  const building = `${file}.building`;
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${building}${suffix}`, { force: true });
  const started = Date.now();
  log(
    `generating ${meetings.toLocaleString('en')} meetings into ${path.relative(process.cwd(), file)}`,
  );
  const db = await Database.open(
    { type: 'sqlite', path: building, busyTimeoutMs: 5000 },
    createLogger('silent'),
  );
  await db.close();
  fill(building, shapeOf(meetings));
  renameSync(building, file);
  log(`generated in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return file;
}

function fill(file: string, shape: DataShape): void {
  const rnd = random(20261128);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
  const { streets, firstNames, lastNames, organizations, notes, rooms, features } = DEMO_VOCABULARY;
  const sqlite = new BetterSqlite3(file);
  // A fresh file nobody reads until it is renamed: no journal, no syncs, a large page cache.
  // (The migrations left the file in WAL mode, which must be left before the journal can be off.)
  sqlite.pragma('journal_mode = DELETE');
  sqlite.pragma('journal_mode = OFF');
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('cache_size = -262144');
  sqlite.pragma('temp_store = MEMORY');
  // The migrations' indexes are built once over the loaded rows (sorted), not row by row.
  const indexes = (
    sqlite
      .prepare(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('agent', 'party', 'meeting', 'meeting_party', 'meeting_agent')",
      )
      .all() as { name: string; sql: string }[]
  ).map((index) => {
    sqlite.exec(`DROP INDEX "${index.name}"`);
    return index.sql;
  });
  const now = new Date('2026-11-01T00:00:00.000Z');
  const day = 24 * 3600 * 1000;

  // Rows are written by the gateway's own record builders; statements are prepared once each.
  const prepared = new Map<string, BetterSqlite3.Statement>();
  const write = ({ sql, params }: SqlFragment) => {
    let statement = prepared.get(sql);
    if (!statement) prepared.set(sql, (statement = sqlite.prepare(sql)));
    statement.run(...params);
  };

  const agents = Array.from({ length: shape.agents }, (_, i) => ({
    id: agentId(i),
    firstName: pick(firstNames),
    lastName: pick(lastNames),
    office: i % shape.offices,
  }));
  const agentsOf = Array.from({ length: shape.offices }, (_, office) =>
    agents.filter((_, k) => k % shape.offices === office),
  );
  const partyTypes: PartyTypeCode[] = [];
  // One transaction for the whole load.
  sqlite.exec('BEGIN');
  for (const a of agents) {
    write(
      agentTable.insert([
        agentRecord({ agentId: a.id, firstName: a.firstName, lastName: a.lastName }, now),
      ]),
    );
  }
  for (let i = 0; i < shape.parties; i++) {
    const kind = rnd();
    const type =
      kind < 0.9
        ? PartyTypeCode.PERSON_PARTY
        : kind < 0.95
          ? PartyTypeCode.ESTATE_PARTY
          : PartyTypeCode.ORGANIZATION_PARTY;
    partyTypes.push(type);
    const first = pick(firstNames);
    const last = pick(lastNames);
    const name =
      type === PartyTypeCode.ORGANIZATION_PARTY
        ? `${pick(organizations)} ${i}`
        : type === PartyTypeCode.ESTATE_PARTY
          ? `${first} ${last} kuolinpesä`
          : `${first} ${last}`;
    const email = type === PartyTypeCode.ESTATE_PARTY ? null : `asiakas${i}@example.fi`;
    const phone = `040 ${String(1000000 + i).padStart(7, '0')}`;
    write(
      partyTable.insert([
        partyRecord(
          {
            partyId: partyId(i),
            partyTypeCode: type,
            partyName: name,
            emailAddress: email,
            phoneNumber: phone,
          },
          now,
        ),
      ]),
    );
  }

  const statuses = Object.values(StatusCode);
  const sources = Object.values(SourceTypeCode);
  for (let i = 0; i < shape.meetings; i++) {
    const office = i % shape.offices;
    const city = CITIES[office % CITIES.length];
    const street = pick(streets[city]);
    const officeAgents = agentsOf[office];
    const agentCount = 1 + Math.floor(rnd() * 3); // 1..3, 2 on average
    const chosenAgents = [...new Set(Array.from({ length: agentCount }, () => pick(officeAgents)))];
    const partyCount = 1 + Math.floor(rnd() * 5); // 1..5, 3 on average
    const chosenParties = [
      ...new Set(Array.from({ length: partyCount }, () => Math.floor(rnd() * shape.parties))),
    ];
    const visitTime = new Date(
      Math.floor((now.getTime() - 4 * 365 * day + rnd() * 5 * 365 * day) / (15 * 60000)) *
        15 *
        60000,
    );
    const creationTime = new Date(visitTime.getTime() - (1 + rnd() * 30) * day);
    const apartment = rnd() < 0.7;
    const roomCount = pick(rooms);
    const area = Math.round((25 + rnd() * 120) * 10) / 10;
    const note = rnd() < 0.0001 ? `Vanha ${RARE_WORD} pihan perällä.` : pick(notes);
    const first = chosenAgents[0];
    const meeting: Meeting = {
      meetingId: meetingId(i),
      typeCode: rnd() < 0.6 ? MeetingTypeCode.EVALUATION_VISIT : MeetingTypeCode.SALES_MEETING,
      statusCode: pick(statuses),
      parties: chosenParties.map((p) => ({
        partyId: partyId(p),
        partyTypeCode: partyTypes[p],
      })),
      realtyId: rnd() < 0.5 ? uuid(5, i + 1) : null,
      visitTime,
      agencyOfficeId: officeId(office),
      agents: chosenAgents.map((a) => ({ agentId: a.id })),
      sourceTypeCode: pick(sources),
      meetingRealty: {
        categoryCode: 'SALE',
        subCategoryCode: apartment ? 'SHARE' : 'PROPERTY',
        propertyTypeCode: 'RESIDENTIAL',
        residentialTypeCode: apartment ? 'APARTMENT_HOUSE' : 'DETACHED_HOUSE',
        address: {
          addressLine1: `${street.street} ${1 + Math.floor(rnd() * 60)}`,
          district: street.district,
          postcode: street.postcode,
          postalArea: city,
          locality: city,
          country: 'Suomi',
          countryCode: 'FI',
        },
        area: { value: area, areaUnitCode: 'M2' },
        floorLevel: apartment ? Math.floor(rnd() * 8) : 1,
        roomCountCode: roomCount,
        constructionYear: 1950 + Math.floor(rnd() * 74),
        doorCode: apartment ? String(1000 + Math.floor(rnd() * 9000)) : null,
        title: `${roomCount.replace('H', 'h')}, k, s`,
        features: features.filter(() => rnd() < 0.35),
      },
      priceEstimate: rnd() < 0.6 ? { value: Math.round(area * 3500), currencyCode: 'EUR' } : null,
      notes: note,
      createdByName: `${first.firstName} ${first.lastName}`,
      creationTime,
      modificationTime: creationTime,
      version: 1,
    };
    write(meetingTable.insert([{ ...meetingRecord(meeting), searchKey: i + 1 }]));
    const { parties, agents: meetingAgents } = participantRecords(meeting);
    write(meetingPartyTable.insert(parties));
    write(meetingAgentTable.insert(meetingAgents));
  }
  sqlite.exec('COMMIT');
  for (const sql of indexes) sqlite.exec(sql);
  sqlite.exec(fillSearchIndexSql('sqlite'));
  sqlite.exec("INSERT INTO meeting_fts (meeting_fts) VALUES ('optimize')");
  sqlite.exec('ANALYZE');
  sqlite.pragma('journal_mode = WAL');
  sqlite.close();
}
