/** The demo's directory (agents and customers) and its meetings, built from its words. */
import { type Agent, type Party, PartyTypeCode } from '../directory/domain/directory.model';
import { MeetingTypeCode, SourceTypeCode, StatusCode } from '../meetings/domain/meeting-codes';
import type { Meeting } from '../meetings/domain/meeting.model';
import {
  DEMO_OFFICES,
  FEATURES,
  FIRST_NAMES,
  LAST_NAMES,
  NOTES,
  ORGANIZATIONS,
  ROOMS,
  STREETS,
  random,
} from './demo-data';
import { helsinkiDate, helsinkiTime } from './helsinki-time';

/**
 * A realistic, deterministic demo: four offices in Finnish cities, their agents, customers, and
 * about 200 meetings over every status, type and source, so a new user sees data at once.
 */

export const DEMO_MEETING_COUNT = 200;

function demoUuid(kind: number, n: number): string {
  const hex = (kind * 0x100000 + n).toString(16).padStart(12, '0');
  return `d3e0c0de-0000-4000-8000-${hex}`;
}

/** The demo directory: agents of every office and their customers. */
export function demoDirectory(): { parties: Party[]; agents: (Agent & { officeId: string })[] } {
  const rnd = random(7);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
  const agents = Array.from({ length: 12 }, (_, i) => ({
    agentId: demoUuid(1, i + 1),
    firstName: FIRST_NAMES[(i * 7) % FIRST_NAMES.length],
    lastName: LAST_NAMES[(i * 3 + 5) % LAST_NAMES.length],
    officeId: DEMO_OFFICES[i % DEMO_OFFICES.length].id,
  }));
  const parties: Party[] = Array.from({ length: 48 }, (_, i) => {
    const id = demoUuid(2, i + 1);
    if (i >= 43) {
      const name = ORGANIZATIONS[i - 43];
      return {
        partyId: id,
        partyTypeCode: PartyTypeCode.ORGANIZATION_PARTY,
        partyName: name,
        emailAddress: `info${i}@example.fi`,
        phoneNumber: `09 ${100000 + i * 37}`,
      };
    }
    const first = pick(FIRST_NAMES);
    const last = pick(LAST_NAMES);
    if (i >= 38) {
      // Estates are named in the genitive: Virtanen -> Virtasen kuolinpesä.
      const family = pick(LAST_NAMES.filter((n) => n.endsWith('nen'))).replace(/nen$/, 'sen');
      return {
        partyId: id,
        partyTypeCode: PartyTypeCode.ESTATE_PARTY,
        partyName: `${first} ${family} kuolinpesä`,
        emailAddress: null,
        phoneNumber: `040 ${1000000 + i * 4711}`,
      };
    }
    const email = `${first}.${last}`
      .toLowerCase()
      .replace(/ä/g, 'a')
      .replace(/ö/g, 'o')
      .replace(/å/g, 'a');
    return {
      partyId: id,
      partyTypeCode: PartyTypeCode.PERSON_PARTY,
      partyName: `${first} ${last}`,
      emailAddress: `${email}${i}@example.fi`,
      phoneNumber: `050 ${1000000 + i * 7919}`,
    };
  });
  return { parties, agents };
}

/**
 * The demo meetings around the day of `now` in Helsinki, the same for any time of that day: visits
 * in office hours (08:00 to 16:45 Helsinki time, on the quarter hour), past ones decided, those of
 * later days mostly waiting; none waits on the load day or before it.
 */
export function demoMeetings(now: Date, directory = demoDirectory()): Meeting[] {
  const rnd = random(42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
  const day = 24 * 3600 * 1000;
  const today = helsinkiDate(now);
  const startOfToday = helsinkiTime(today, 0, 0);
  const sources = Object.values(SourceTypeCode);
  return Array.from({ length: DEMO_MEETING_COUNT }, (_, i) => {
    const office = DEMO_OFFICES[i % DEMO_OFFICES.length];
    const officeAgents = directory.agents.filter((a) => a.officeId === office.id);
    const agents = rnd() < 0.3 ? officeAgents.slice(0, 2) : [pick(officeAgents)];
    const partyCount = rnd() < 0.25 ? 2 : 1;
    const parties = [...new Set(Array.from({ length: partyCount }, () => pick(directory.parties)))];
    // A day from 180 before the load day to 60 after it, never the load day itself; a quarter
    // hour from 08:00 to 16:45.
    const offset = Math.floor(rnd() * 240) - 180;
    const days = offset >= 0 ? offset + 1 : offset;
    const quarter = Math.floor(rnd() * 36);
    const visitTime = helsinkiTime(
      { ...today, day: today.day + days },
      8 + Math.floor(quarter / 4),
      (quarter % 4) * 15,
    );
    const past = days < 0;
    const statusCode = past
      ? pick([StatusCode.WON, StatusCode.WON, StatusCode.LOST, StatusCode.CANCELLED])
      : pick([StatusCode.WAITING, StatusCode.WAITING, StatusCode.WAITING, StatusCode.CANCELLED]);
    const creationTime = new Date(
      Math.min(visitTime.getTime() - (1 + rnd() * 20) * day, startOfToday.getTime() - day),
    );
    const modificationTime = new Date(
      Math.min(creationTime.getTime() + rnd() * 30 * day, startOfToday.getTime()),
    );
    const street = pick(STREETS[office.city]);
    const apartment = rnd() < 0.7;
    const rooms = pick(ROOMS);
    const area = Math.round((25 + rnd() * 120) * 10) / 10;
    const firstAgent = directory.agents.find((a) => a.agentId === agents[0].agentId)!;
    return {
      meetingId: demoUuid(3, i + 1),
      typeCode: rnd() < 0.6 ? MeetingTypeCode.EVALUATION_VISIT : MeetingTypeCode.SALES_MEETING,
      statusCode,
      parties: parties.map((p) => ({ partyId: p.partyId, partyTypeCode: p.partyTypeCode })),
      realtyId: rnd() < 0.5 ? demoUuid(4, i + 1) : null,
      visitTime,
      agencyOfficeId: office.id,
      agents: agents.map((a) => ({ agentId: a.agentId })),
      sourceTypeCode: sources[i % sources.length],
      meetingRealty: {
        categoryCode: 'SALE',
        subCategoryCode: apartment ? 'SHARE' : 'PROPERTY',
        propertyTypeCode: 'RESIDENTIAL',
        residentialTypeCode: apartment ? 'APARTMENT_HOUSE' : 'DETACHED_HOUSE',
        address: {
          addressLine1: `${street.street} ${1 + Math.floor(rnd() * 60)}`,
          ...(apartment
            ? {
                stairwell: pick(['A', 'B', 'C']),
                apartmentNumber: String(1 + Math.floor(rnd() * 40)),
              }
            : {}),
          district: street.district,
          region: office.region,
          regionCode: office.regionCode,
          postcode: street.postcode,
          postalArea: office.city,
          locality: office.city,
          country: 'Suomi',
          countryCode: 'FI',
        },
        area: { value: area, areaUnitCode: 'M2' },
        floorLevel: apartment ? Math.floor(rnd() * 8) : 1,
        roomCountCode: rooms,
        ...(apartment ? { managementCharge: Math.round(area * (3 + rnd() * 2)) } : {}),
        constructionYear: 1950 + Math.floor(rnd() * 74),
        doorCode: apartment ? String(1000 + Math.floor(rnd() * 9000)) : undefined,
        title: `${rooms.replace('H', 'h')}, k, s${rnd() < 0.5 ? ', parveke' : ''}`,
        features: FEATURES.filter(() => rnd() < 0.35),
      },
      priceEstimate:
        rnd() < 0.6
          ? { value: Math.round((area * (2500 + rnd() * 3000)) / 1000) * 1000, currencyCode: 'EUR' }
          : null,
      notes: pick(NOTES),
      createdByName: `${firstAgent.firstName} ${firstAgent.lastName}`,
      creationTime,
      modificationTime,
      version: 1,
    };
  });
}
