import type { Database } from '../db/database';
import type { Agent, Party } from '../directory/domain/directory.model';
import { upsertAgentRows, upsertPartyRows } from '../directory/storage/directory.repository';
import type { Logger } from '../logger';
import { MeetingTypeCode, SourceTypeCode, StatusCode } from '../meetings/domain/meeting-codes';
import { PartyTypeCode } from '../directory/domain/directory.model';
import { validateMeetingDraft } from '../meetings/domain/meeting-validation';
import type { Meeting } from '../meetings/domain/meeting.model';
import { hasMeetings, insertMeeting } from '../meetings/storage/meeting.repository';

/**
 * A realistic, deterministic demo: four offices in Finnish cities, their agents, customers, and
 * about 200 meetings over every status, type and source, so a new user sees data at once.
 */

export const DEMO_MEETING_COUNT = 200;

export const DEMO_OFFICES = [
  {
    id: '6f1c1d36-5d5e-4c1a-9a55-0b1f0e8c0001',
    city: 'Helsinki',
    region: 'Uusimaa',
    regionCode: 'FI_UUSIMAA',
  },
  {
    id: '6f1c1d36-5d5e-4c1a-9a55-0b1f0e8c0002',
    city: 'Tampere',
    region: 'Pirkanmaa',
    regionCode: 'FI_PIRKANMAA',
  },
  {
    id: '6f1c1d36-5d5e-4c1a-9a55-0b1f0e8c0003',
    city: 'Turku',
    region: 'Varsinais-Suomi',
    regionCode: 'FI_VARSINAIS_SUOMI',
  },
  {
    id: '6f1c1d36-5d5e-4c1a-9a55-0b1f0e8c0004',
    city: 'Oulu',
    region: 'Pohjois-Pohjanmaa',
    regionCode: 'FI_POHJOIS_POHJANMAA',
  },
] as const;

const STREETS: Record<string, { street: string; postcode: string; district: string }[]> = {
  Helsinki: [
    { street: 'Mannerheimintie', postcode: '00100', district: 'Kamppi' },
    { street: 'Fleminginkatu', postcode: '00530', district: 'Kallio' },
    { street: 'Runeberginkatu', postcode: '00260', district: 'Töölö' },
    { street: 'Itäväylä', postcode: '00930', district: 'Itäkeskus' },
    { street: 'Lauttasaarentie', postcode: '00200', district: 'Lauttasaari' },
  ],
  Tampere: [
    { street: 'Yliopistonkatu', postcode: '33100', district: 'Keskusta' },
    { street: 'Insinöörinkatu', postcode: '33720', district: 'Hervanta' },
    { street: 'Pyynikintie', postcode: '33230', district: 'Pyynikki' },
    { street: 'Kalevantie', postcode: '33100', district: 'Kaleva' },
  ],
  Turku: [
    { street: 'Aurakatu', postcode: '20100', district: 'Keskusta' },
    { street: 'Hämeenkatu', postcode: '20500', district: 'Itäharju' },
    { street: 'Uudenmaankatu', postcode: '20700', district: 'Nummi' },
  ],
  Oulu: [
    { street: 'Kirkkokatu', postcode: '90100', district: 'Keskusta' },
    { street: 'Kaijonharjuntie', postcode: '90570', district: 'Kaijonharju' },
    { street: 'Tuiran Rantakatu', postcode: '90500', district: 'Tuira' },
  ],
};

const FIRST_NAMES = [
  'Matti',
  'Maria',
  'Juha',
  'Helena',
  'Mikko',
  'Anne',
  'Timo',
  'Päivi',
  'Jari',
  'Sari',
  'Antti',
  'Elina',
  'Ville',
  'Johanna',
  'Jukka',
  'Tiina',
  'Sami',
  'Kaisa',
  'Olli',
  'Aino',
];
const LAST_NAMES = [
  'Virtanen',
  'Korhonen',
  'Mäkinen',
  'Nieminen',
  'Mäkelä',
  'Hämäläinen',
  'Laine',
  'Heikkinen',
  'Koskinen',
  'Järvinen',
  'Lehtonen',
  'Lehtinen',
  'Saarinen',
  'Salminen',
  'Heinonen',
  'Niemi',
  'Kinnunen',
  'Salonen',
  'Turunen',
  'Lindqvist',
];
const ORGANIZATIONS = [
  'Asunto Oy Pyynikin Helmi',
  'Kiinteistö Oy Aurakulma',
  'Rakennus Koskinen Oy',
  'Oulun Kotitalot Oy',
  'Perhesäätiö Lindqvist',
];
const NOTES = [
  'Asiakas haluaa myydä ennen kesää.',
  'Customer is comparing three agencies; follow up after the visit.',
  'Parveke remontoitu 2019, putkiremontti tulossa.',
  'Evaluation for an estate sale: heirs want a quick price estimate.',
  'Muuttamassa isompaan, tarvitsee myös ostotoimeksiannon.',
  'Second meeting: bring the marketing plan and comparable sales.',
  'Taloyhtiön tilinpäätös pyydetty ennen tapaamista.',
  null,
];
const ROOMS = ['1H', '2H', '3H', '4H', '5H'];
const FEATURES = ['BALCONY', 'SAUNA', 'ELEVATOR', 'GARDEN', 'FIREPLACE'];

/** A small, seeded pseudo-random generator: the demo is the same on every machine. */
/** A small deterministic random generator (mulberry32): the same data on every run. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The words of the demo, for generators of bigger data sets (the benchmark's). */
export const DEMO_VOCABULARY = {
  streets: STREETS,
  firstNames: FIRST_NAMES,
  lastNames: LAST_NAMES,
  organizations: ORGANIZATIONS,
  notes: NOTES,
  rooms: ROOMS,
  features: FEATURES,
} as const;

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

const HELSINKI = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Europe/Helsinki',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

/** The wall clock in Helsinki at an instant: its fields, as a UTC time stamp of the same fields. */
function helsinkiWallClock(at: Date): number {
  const part = Object.fromEntries(HELSINKI.formatToParts(at).map((p) => [p.type, Number(p.value)]));
  return Date.UTC(part.year, part.month - 1, part.day, part.hour, part.minute, part.second);
}

/** The instant of a wall-clock time in Helsinki; a day past the month's end rolls over. */
export function helsinkiTime(
  day: { year: number; month: number; day: number },
  hour: number,
  minute: number,
): Date {
  const wall = Date.UTC(day.year, day.month - 1, day.day, hour, minute);
  // Guess with the winter offset, then correct with the offset at the guess (office hours never
  // fall in the hour a clock change skips or repeats).
  const guess = wall - 2 * 3600 * 1000;
  return new Date(wall - (helsinkiWallClock(new Date(guess)) - Math.floor(guess / 1000) * 1000));
}

/** The date in Helsinki at an instant. */
export function helsinkiDate(at: Date): { year: number; month: number; day: number } {
  const wall = new Date(helsinkiWallClock(at));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
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

/** Loads the demo into a database that has no meetings yet; leaves any other database alone. */
export async function seedDemoData(
  db: Database,
  logger: Logger,
  now = new Date(),
): Promise<boolean> {
  const directory = demoDirectory();
  const meetings = demoMeetings(now, directory);
  // Instances starting together on one new database: one loads the demo, the others find it.
  const seeded = await db.exclusively('demo-data', () =>
    db.transaction(async (m) => {
      if (await hasMeetings(m)) return false;
      await upsertPartyRows(m, directory.parties, now);
      await upsertAgentRows(m, directory.agents, now);
      for (const meeting of meetings) {
        const problems = validateMeetingDraft(meeting, now);
        if (problems.length > 0)
          throw new Error(`Demo meeting ${meeting.meetingId} is invalid: ${problems[0].target}`);
        await insertMeeting(m, meeting);
      }
      return true;
    }),
  );
  if (seeded)
    logger.info(
      { meetings: meetings.length, parties: directory.parties.length },
      'demo data loaded',
    );
  return seeded;
}
