import { randomUUID } from 'node:crypto';
import {
  MeetingTypeCode,
  SourceTypeCode,
  StatusCode,
} from '../../src/meetings/domain/meeting-codes';
import { PartyTypeCode } from '../../src/directory/domain/directory.model';
import {
  DELETE_MEETING,
  UPDATE_MEETING,
  OFFICE_A,
  OFFICE_B,
  type AgentFixture,
  type PartyFixture,
  addAgents,
  addParties,
  agent,
  createMeeting,
  meetingInput,
  party,
} from '../support/fixtures';
import { TestGateway } from '../support/gateway';

let clock = new Date('2026-01-01T00:00:00.000Z');
let gw: TestGateway;
let parties: PartyFixture[];
let agents: AgentFixture[];

interface Row {
  id: string;
  statusCode: string;
  typeCode: string;
  sourceTypeCode: string;
  office: string;
  visitTime: string;
  created: string;
  party: number;
  agent: number;
  notes: string;
}
const rows: Row[] = [];

const SEARCH = `query ($filter: MeetingFilter, $sort: [MeetingSort!], $startIndex: Int, $size: Int) {
  meetings(filter: $filter, sort: $sort, startIndex: $startIndex, size: $size) {
    totalCount
    meetings { meetingId statusCode typeCode sourceTypeCode visitTime creationTime modificationTime
      meetingRealty { doorCode } }
  }
}`;

type SearchData = {
  meetings: { totalCount: number; meetings: { meetingId: string; [k: string]: unknown }[] };
};

async function search(variables: Record<string, unknown>) {
  const res = await gw.gql<SearchData>(SEARCH, variables);
  if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
  return res.body.data!.meetings;
}

async function ids(filter: Record<string, unknown>): Promise<string[]> {
  return (await search({ filter, size: 100 })).meetings.map((m) => m.meetingId).sort();
}

const idsWhere = (pred: (r: Row) => boolean) =>
  rows
    .filter(pred)
    .map((r) => r.id)
    .sort();

beforeAll(async () => {
  gw = await TestGateway.start({ now: () => clock });
  parties = await addParties(
    gw,
    party({
      partyName: 'Matti Virtanen',
      emailAddress: 'matti.virtanen@example.fi',
      phoneNumber: '0401234567',
    }),
    party({
      partyName: 'Äijälän Kuolinpesä',
      partyTypeCode: PartyTypeCode.ESTATE_PARTY,
      emailAddress: null,
      phoneNumber: '+358 9 123 456',
    }),
    party({
      partyName: 'Rakennus Oy',
      partyTypeCode: PartyTypeCode.ORGANIZATION_PARTY,
      emailAddress: 'info@rakennus.fi',
      phoneNumber: null,
    }),
  );
  agents = await addAgents(
    gw,
    agent({ firstName: 'Maria', lastName: 'Mäkinen' }),
    agent({ firstName: 'Jari', lastName: 'Korhonen' }),
  );

  const statuses = Object.values(StatusCode);
  const types = Object.values(MeetingTypeCode);
  const sources = [SourceTypeCode.ETUOVI, SourceTypeCode.OIKOTIE, SourceTypeCode.CHATBOT];
  const notes = [
    'Parveke etelään',
    'Sauna ja takka',
    'Customer wants a quick sale',
    'Kellari ÄÄNIERISTETTY',
  ];
  for (let i = 0; i < 12; i++) {
    clock = new Date(Date.UTC(2026, 0, 1 + i, 12));
    const row = {
      statusCode: statuses[i % 4],
      typeCode: types[i % 2],
      sourceTypeCode: sources[i % 3],
      office: i < 6 ? OFFICE_A : OFFICE_B,
      // Two meetings share each visit time, so the tie-breaker matters.
      visitTime: new Date(Date.UTC(2026, 5, 1 + Math.floor(i / 2), 9)).toISOString(),
      created: clock.toISOString(),
      party: i % 3,
      agent: i % 2,
      notes: notes[i % 4],
    };
    const input = meetingInput([parties[row.party]], [agents[row.agent]], {
      statusCode: row.statusCode,
      typeCode: row.typeCode,
      sourceTypeCode: row.sourceTypeCode,
      agencyOfficeId: row.office,
      visitTime: row.visitTime,
      notes: row.notes,
      meetingRealty: {
        doorCode: `SECRET${i}`,
        title: `Kohde ${i}`,
        address: {
          addressLine1: i % 2 ? 'Hämeenkatu 1' : 'Yliopistonkatu 55',
          postcode: i % 2 ? '33200' : '33100',
          locality: 'Tampere',
          district: 'Hervanta',
        },
      },
    });
    rows.push({ ...row, id: await createMeeting(gw, input) });
  }
});
afterAll(() => gw.stop());

describe('meetings: filters', () => {
  it('returns every live meeting without a filter, with totalCount', async () => {
    const page = await search({});
    expect(page.totalCount).toBe(12);
    expect(page.meetings.map((m) => m.meetingId).sort()).toEqual(rows.map((r) => r.id).sort());
  });

  it.each([
    ['statusCode', ['WON'], (r: Row) => r.statusCode === 'WON'],
    ['statusCode', ['WON', 'LOST'], (r: Row) => ['WON', 'LOST'].includes(r.statusCode)],
    ['typeCode', ['EVALUATION_VISIT'], (r: Row) => r.typeCode === 'EVALUATION_VISIT'],
    [
      'sourceTypeCode',
      ['CHATBOT', 'ETUOVI'],
      (r: Row) => ['CHATBOT', 'ETUOVI'].includes(r.sourceTypeCode),
    ],
    ['agencyOfficeId', [OFFICE_B], (r: Row) => r.office === OFFICE_B],
  ])('filters by %s %j', async (field, values, pred) => {
    expect(await ids({ [field]: values })).toEqual(idsWhere(pred));
  });

  it('filters by partyId and agentId, matching any listed id', async () => {
    expect(await ids({ partyId: [parties[1].partyId] })).toEqual(idsWhere((r) => r.party === 1));
    expect(await ids({ partyId: [parties[0].partyId, parties[2].partyId.toUpperCase()] })).toEqual(
      idsWhere((r) => r.party !== 1),
    );
    expect(await ids({ agentId: [agents[1].agentId] })).toEqual(idsWhere((r) => r.agent === 1));
    expect(await ids({ agentId: [randomUUID()] })).toEqual([]);
  });

  it('filters visitTime strictly before and after', async () => {
    const t = rows[4].visitTime;
    expect(await ids({ visitTimeBefore: t })).toEqual(idsWhere((r) => r.visitTime < t));
    expect(await ids({ visitTimeAfter: t })).toEqual(idsWhere((r) => r.visitTime > t));
    expect(
      await ids({
        visitTimeAfter: '2026-06-02T09:00:00+03:00',
        visitTimeBefore: '2026-06-04T09:00:00Z',
      }),
    ).toEqual(
      idsWhere(
        (r) => r.visitTime > '2026-06-02T06:00:00.000Z' && r.visitTime < '2026-06-04T09:00:00.000Z',
      ),
    );
  });

  it('filters modificationTime strictly after', async () => {
    const t = rows[7].created;
    expect(await ids({ modifiedAfter: t })).toEqual(idsWhere((r) => r.created > t));
  });

  it('combines filters with AND', async () => {
    expect(
      await ids({
        agencyOfficeId: [OFFICE_A],
        statusCode: ['WAITING', 'WON'],
        agentId: [agents[0].agentId],
      }),
    ).toEqual(
      idsWhere(
        (r) => r.office === OFFICE_A && ['WAITING', 'WON'].includes(r.statusCode) && r.agent === 0,
      ),
    );
  });

  it('never returns a deleted meeting', async () => {
    const doomed = await createMeeting(
      gw,
      meetingInput([parties[0]], [agents[0]], { notes: 'poistettava' }),
    );
    expect(await ids({ freeTextSearch: 'poistettava' })).toEqual([doomed]);
    await gw.gql(DELETE_MEETING, { meetingId: doomed });
    expect(await ids({ freeTextSearch: 'poistettava' })).toEqual([]);
    expect((await search({})).totalCount).toBe(12);
  });
});

describe('meetings: freeTextSearch', () => {
  it('is case-insensitive, Finnish letters included', async () => {
    expect(await ids({ freeTextSearch: 'PARVEKE' })).toEqual(
      idsWhere((r) => r.notes === 'Parveke etelään'),
    );
    expect(await ids({ freeTextSearch: 'äänieristetty' })).toEqual(
      idsWhere((r) => r.notes.startsWith('Kellari')),
    );
    expect(await ids({ freeTextSearch: 'ÄIJÄLÄN' })).toEqual(idsWhere((r) => r.party === 1));
  });

  it('matches a word as a prefix or anywhere in a word', async () => {
    expect(await ids({ freeTextSearch: 'parv' })).toEqual(
      idsWhere((r) => r.notes === 'Parveke etelään'),
    );
    expect(await ids({ freeTextSearch: 'ristett' })).toEqual(
      idsWhere((r) => r.notes.startsWith('Kellari')),
    );
  });

  it('needs every word to match, each in any field', async () => {
    // Sauna meetings are all on Hämeenkatu, parveke meetings all on Yliopistonkatu.
    expect(await ids({ freeTextSearch: 'sauna hämeenkatu' })).toEqual(
      idsWhere((r) => r.notes === 'Sauna ja takka'),
    );
    expect(await ids({ freeTextSearch: 'sauna yliopistonkatu' })).toEqual([]);
    expect(await ids({ freeTextSearch: 'sauna korhonen' })).toEqual(
      idsWhere((r) => r.notes === 'Sauna ja takka' && r.agent === 1),
    );
    expect(await ids({ freeTextSearch: 'sauna nonexistentword' })).toEqual([]);
  });

  it('searches address fields, party names, e-mails and phone numbers, and agent names', async () => {
    expect(await ids({ freeTextSearch: '33200' })).toEqual(
      idsWhere((r) => rows.indexOf(r) % 2 === 1),
    );
    expect(await ids({ freeTextSearch: 'hervanta tampere' })).toHaveLength(12);
    expect(await ids({ freeTextSearch: 'Kohde 1' })).toHaveLength(12);
    expect(await ids({ freeTextSearch: 'rakennus.fi' })).toEqual(idsWhere((r) => r.party === 2));
    expect(await ids({ freeTextSearch: '0401234567' })).toEqual(idsWhere((r) => r.party === 0));
    expect(await ids({ freeTextSearch: 'mäkinen' })).toEqual(idsWhere((r) => r.agent === 0));
  });

  it('finds a meeting by the name of the caller who created it', async () => {
    const input = meetingInput([parties[0]], [agents[0]], {
      visitTime: '2026-08-01T10:00:00Z',
      notes: null,
    });
    const token = await gw.token({ subject: 'kalle', name: 'Kalle Luoja', offices: [OFFICE_A] });
    const res = await gw.gql<{
      createMeeting: { meetingId: string; meeting: { createdByName: string } };
    }>(
      'mutation ($input: MeetingInput!) { createMeeting(input: $input) { meetingId meeting { createdByName } } }',
      { input },
      { authorization: `Bearer ${token}` },
    );
    const created = res.body.data!.createMeeting;
    expect(created.meeting.createdByName).toBe('Kalle Luoja');
    expect(await ids({ freeTextSearch: 'luoja' })).toEqual([created.meetingId]);
    await gw.gql(DELETE_MEETING, { meetingId: created.meetingId });
  });

  it('follows a directory rename at once', async () => {
    const [p] = await addParties(gw, party({ partyName: 'Vanha Nimi' }));
    const id = await createMeeting(gw, meetingInput([p], [agents[0]]));
    expect(await ids({ freeTextSearch: 'vanha' })).toEqual([id]);
    await addParties(gw, { ...p, partyName: 'Uusi Nimi' });
    expect(await ids({ freeTextSearch: 'vanha' })).toEqual([]);
    expect(await ids({ freeTextSearch: 'uusi nimi' })).toEqual([id]);
    await gw.gql(DELETE_MEETING, { meetingId: id });
  });

  it('follows an agent rename and a meeting update at once', async () => {
    const [a] = await addAgents(gw, agent({ firstName: 'Ilmari', lastName: 'Entinen' }));
    const input = meetingInput([parties[0]], [a], { notes: 'Vintti ja piha' });
    const id = await createMeeting(gw, input);
    expect(await ids({ freeTextSearch: 'entinen vintti' })).toEqual([id]);
    await addAgents(gw, { ...a, lastName: 'Nykyinen' });
    expect(await ids({ freeTextSearch: 'entinen' })).toEqual([]);
    expect(await ids({ freeTextSearch: 'nykyinen' })).toEqual([id]);
    const updated = await gw.gql(UPDATE_MEETING, {
      meetingId: id,
      input: { ...input, notes: 'Autotalli' },
    });
    expect(updated.body.errors).toBeUndefined();
    expect(await ids({ freeTextSearch: 'vintti' })).toEqual([]);
    expect(await ids({ freeTextSearch: 'autotalli nykyinen' })).toEqual([id]);
    await gw.gql(DELETE_MEETING, { meetingId: id });
    expect(await ids({ freeTextSearch: 'autotalli' })).toEqual([]);
  });

  it('finds words shorter than three characters too', async () => {
    expect(await ids({ freeTextSearch: 'ja sauna' })).toEqual(
      idsWhere((r) => r.notes === 'Sauna ja takka'),
    );
    expect(await ids({ freeTextSearch: 'ja korhonen sauna' })).toEqual(
      idsWhere((r) => r.notes === 'Sauna ja takka' && r.agent === 1),
    );
  });

  it('treats full-text query syntax as plain text', async () => {
    expect(await ids({ freeTextSearch: '"sauna"' })).toEqual([]);
    expect(await ids({ freeTextSearch: 'sauna*' })).toEqual([]);
    expect(await ids({ freeTextSearch: 'NEAR(sauna' })).toEqual([]);
    expect(await ids({ freeTextSearch: 'sauna OR parveke' })).toEqual([]);
  });

  it('never searches the doorCode', async () => {
    expect(await ids({ freeTextSearch: 'SECRET3' })).toEqual([]);
    expect(await ids({ freeTextSearch: 'secret' })).toEqual([]);
  });

  it('treats LIKE wildcards and quotes as plain text', async () => {
    expect(await ids({ freeTextSearch: '%' })).toEqual([]);
    expect(await ids({ freeTextSearch: "_' OR 1=1 --" })).toEqual([]);
  });

  it('ignores a blank text', async () => {
    expect(await ids({ freeTextSearch: '   ' })).toHaveLength(12);
  });
});

describe('meetings: listings', () => {
  it('never return the doorCode', async () => {
    const page = await search({ size: 100 });
    expect(
      page.meetings.every((m) => (m.meetingRealty as { doorCode: unknown }).doorCode === null),
    ).toBe(true);
  });
});

describe('meetings: sort', () => {
  const byKey = (key: (r: Row) => string, dir: 'ASC' | 'DESC') => (a: Row, b: Row) => {
    const c = key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
    // meetingId breaks ties in the direction of the last key.
    return (dir === 'ASC' ? c : -c) || (a.id < b.id === (dir === 'ASC') ? -1 : 1);
  };
  const order = (cmp: (a: Row, b: Row) => number) => [...rows].sort(cmp).map((r) => r.id);
  const sorted = async (sort: unknown) =>
    (await search({ sort, size: 100 })).meetings.map((m) => m.meetingId);

  it('defaults to visitTime descending, meetingId descending breaking ties', async () => {
    expect(await sorted(undefined)).toEqual(order(byKey((r) => r.visitTime, 'DESC')));
  });

  it.each([
    ['VISIT_TIME', (r: Row) => r.visitTime],
    ['CREATION_TIME', (r: Row) => r.created],
    ['MODIFICATION_TIME', (r: Row) => r.created],
    ['STATUS_CODE', (r: Row) => r.statusCode],
    ['TYPE_CODE', (r: Row) => r.typeCode],
    ['SOURCE_TYPE_CODE', (r: Row) => r.sourceTypeCode],
  ])('sorts by %s both ways', async (field, key) => {
    expect(await sorted([{ field, direction: 'ASC' }])).toEqual(order(byKey(key, 'ASC')));
    expect(await sorted([{ field, direction: 'DESC' }])).toEqual(order(byKey(key, 'DESC')));
  });

  it('sorts ascending when no direction is given', async () => {
    expect(await sorted([{ field: 'TYPE_CODE' }])).toEqual(order(byKey((r) => r.typeCode, 'ASC')));
  });

  it('applies several keys in order', async () => {
    const expected = order(
      (a, b) =>
        a.statusCode.localeCompare(b.statusCode) ||
        b.visitTime.localeCompare(a.visitTime) ||
        (a.id < b.id ? 1 : -1),
    );
    expect(
      await sorted([
        { field: 'STATUS_CODE', direction: 'ASC' },
        { field: 'VISIT_TIME', direction: 'DESC' },
      ]),
    ).toEqual(expected);
  });

  it('rejects a field named twice (BAD_REQUEST_PARAMETERS)', async () => {
    const res = await gw.gql(SEARCH, {
      sort: [{ field: 'VISIT_TIME' }, { field: 'VISIT_TIME', direction: 'DESC' }],
    });
    expect(res.body.errors![0].extensions).toMatchObject({
      code: 'BAD_REQUEST_PARAMETERS',
      status: 400,
      errors: [{ target: 'sort[1].field', errorCode: 'INVALID_VALUE' }],
    });
  });
});

describe('meetings: pagination', () => {
  it('pages without overlap or gaps, every page with the full totalCount', async () => {
    const all = (await search({ size: 100 })).meetings.map((m) => m.meetingId);
    const seen: string[] = [];
    for (let start = 0; start < 12; start += 5) {
      const page = await search({ startIndex: start, size: 5 });
      expect(page.totalCount).toBe(12);
      seen.push(...page.meetings.map((m) => m.meetingId));
    }
    expect(seen).toEqual(all);
  });

  it('answers an empty page past the end, still with the totalCount', async () => {
    expect(await search({ startIndex: 12 })).toEqual({ totalCount: 12, meetings: [] });
    expect(await search({ startIndex: 1000, size: 1 })).toEqual({ totalCount: 12, meetings: [] });
  });

  it('accepts size 1 and 100', async () => {
    expect((await search({ size: 1 })).meetings).toHaveLength(1);
    expect((await search({ size: 100 })).meetings).toHaveLength(12);
  });

  it.each([
    [{ size: 0 }, 'size'],
    [{ size: 101 }, 'size'],
    [{ startIndex: -1 }, 'startIndex'],
    [{ filter: { freeTextSearch: 'x'.repeat(201) } }, 'filter.freeTextSearch'],
  ])('rejects %j with BAD_REQUEST_PARAMETERS naming %s', async (variables, target) => {
    const res = await gw.gql(SEARCH, variables);
    expect(res.body.data).toBeNull();
    expect(res.body.errors![0]).toMatchObject({
      message: 'Invalid request parameters',
      extensions: {
        code: 'BAD_REQUEST_PARAMETERS',
        status: 400,
        description: 'Request parameters are missing or have invalid type.',
        errors: [{ target, errorCode: 'INVALID_VALUE' }],
      },
    });
  });

  it('treats explicit nulls as the defaults', async () => {
    const page = await search({ startIndex: null, size: null, sort: null, filter: null });
    expect(page.meetings).toHaveLength(12);
  });
});
