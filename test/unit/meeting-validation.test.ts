import {
  MeetingTypeCode,
  SourceTypeCode,
  StatusCode,
} from '../../src/meetings/domain/meeting-codes';
import { PartyTypeCode } from '../../src/directory/domain/directory.model';
import { validateMeetingDraft } from '../../src/meetings/domain/meeting-validation';
import type { MeetingDraft } from '../../src/meetings/domain/meeting.model';

const NOW = new Date('2026-11-27T12:00:00Z');
const PARTY = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const AGENT = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';

function draft(overrides: Record<string, unknown> = {}): MeetingDraft {
  return {
    typeCode: MeetingTypeCode.SALES_MEETING,
    statusCode: StatusCode.WAITING,
    parties: [{ partyId: PARTY, partyTypeCode: PartyTypeCode.PERSON_PARTY }],
    visitTime: new Date('2026-12-31T23:59:59Z'),
    agencyOfficeId: 'cccccccc-cccc-4ccc-8ccc-cccccccccccc',
    agents: [{ agentId: AGENT }],
    sourceTypeCode: SourceTypeCode.ETUOVI,
    meetingRealty: {},
    ...overrides,
  } as MeetingDraft;
}

const realty = (r: Record<string, unknown>) => draft({ meetingRealty: r });
const problems = (d: MeetingDraft) =>
  validateMeetingDraft(d, NOW).map((i) => `${i.target} ${i.errorCode}`);

describe('validateMeetingDraft', () => {
  it('accepts the smallest valid meeting', () => {
    expect(problems(draft())).toEqual([]);
  });

  it('reports every missing required field at once, with VALUE_REQUIRED', () => {
    const d = {} as MeetingDraft;
    expect(problems(d)).toEqual([
      'input.typeCode VALUE_REQUIRED',
      'input.statusCode VALUE_REQUIRED',
      'input.parties VALUE_REQUIRED',
      'input.visitTime VALUE_REQUIRED',
      'input.agencyOfficeId VALUE_REQUIRED',
      'input.agents VALUE_REQUIRED',
      'input.sourceTypeCode VALUE_REQUIRED',
      'input.meetingRealty VALUE_REQUIRED',
    ]);
  });

  it('rejects empty parties and agents lists with VALUE_REQUIRED', () => {
    expect(problems(draft({ parties: [], agents: [] }))).toEqual([
      'input.parties VALUE_REQUIRED',
      'input.agents VALUE_REQUIRED',
    ]);
  });

  it('rejects the same party or agent twice, naming the second entry', () => {
    const d = draft({
      parties: [
        { partyId: PARTY, partyTypeCode: 'PERSON_PARTY' },
        { partyId: PARTY.toUpperCase(), partyTypeCode: 'ESTATE_PARTY' },
      ],
      agents: [{ agentId: AGENT }, { agentId: AGENT }],
    });
    expect(problems(d)).toEqual([
      'input.parties[1].partyId INVALID_VALUE',
      'input.agents[1].agentId INVALID_VALUE',
    ]);
  });

  it('rejects more than 100 parties', () => {
    const parties = Array.from({ length: 101 }, (_, i) => ({
      partyId: `aaaaaaaa-aaaa-4aaa-8aaa-${String(i).padStart(12, '0')}`,
      partyTypeCode: 'PERSON_PARTY',
    }));
    expect(problems(draft({ parties }))).toEqual(['input.parties INVALID_VALUE']);
  });

  it('rejects values of the wrong type or outside the code lists', () => {
    const d = draft({
      typeCode: 'MEETING',
      statusCode: 'OPEN',
      sourceTypeCode: 'NEWSPAPER',
      visitTime: new Date('nonsense'),
      agencyOfficeId: 'office-1',
      realtyId: '42',
      parties: [{ partyId: 'x', partyTypeCode: 'CAT' }],
      agents: [{}],
    });
    expect(problems(d)).toEqual([
      'input.typeCode INVALID_VALUE',
      'input.statusCode INVALID_VALUE',
      'input.parties[0].partyId INVALID_TYPE',
      'input.parties[0].partyTypeCode INVALID_VALUE',
      'input.realtyId INVALID_TYPE',
      'input.visitTime INVALID_TYPE',
      'input.agencyOfficeId INVALID_TYPE',
      'input.agents[0].agentId VALUE_REQUIRED',
      'input.sourceTypeCode INVALID_VALUE',
    ]);
  });

  it('accepts realty codes the CRM may have that the reference does not list', () => {
    expect(
      problems(
        realty({ categoryCode: 'RENT', roomCountCode: '10H_PLUS', features: ['SAUNA', 'X1'] }),
      ),
    ).toEqual([]);
  });

  it.each([
    ['categoryCode', 'sale'],
    ['subCategoryCode', 'SHA RE'],
    ['propertyTypeCode', '_RESIDENTIAL'],
    ['residentialTypeCode', 'A'.repeat(65)],
    ['plotPropertyTypeCode', 'HOLIDAY-PLOT'],
    ['estatePropertyTypeCode', ''],
    ['otherShareTypeCode', 'Garage'],
    ['commercialPropertyTypeCode', 'ÖFFICE'],
    ['roomCountCode', '3h'],
  ])('rejects a realty %s that does not look like a code (%j)', (field, value) => {
    expect(problems(realty({ [field]: value }))).toEqual([
      `input.meetingRealty.${field} INVALID_VALUE`,
    ]);
  });

  it('checks the area: value above 0, unit a code, both required', () => {
    expect(problems(realty({ area: { value: 0, areaUnitCode: 'M2' } }))).toEqual([
      'input.meetingRealty.area.value INVALID_VALUE',
    ]);
    expect(problems(realty({ area: { value: 1.5, areaUnitCode: 'm2' } }))).toEqual([
      'input.meetingRealty.area.areaUnitCode INVALID_VALUE',
    ]);
    expect(problems(realty({ area: {} }))).toEqual([
      'input.meetingRealty.area.value VALUE_REQUIRED',
      'input.meetingRealty.area.areaUnitCode VALUE_REQUIRED',
    ]);
  });

  it('checks numbers of the realty', () => {
    expect(
      problems(realty({ floorLevel: -2, managementCharge: 0, constructionYear: 1600 })),
    ).toEqual([]);
    expect(
      problems(realty({ floorLevel: 1.5, managementCharge: -1, constructionYear: 1599 })),
    ).toEqual([
      'input.meetingRealty.floorLevel INVALID_TYPE',
      'input.meetingRealty.managementCharge INVALID_VALUE',
      'input.meetingRealty.constructionYear INVALID_VALUE',
    ]);
    expect(problems(realty({ constructionYear: 2036 }))).toEqual([]);
    expect(problems(realty({ constructionYear: 2037 }))).toEqual([
      'input.meetingRealty.constructionYear INVALID_VALUE',
    ]);
  });

  it('checks address lengths and the country code', () => {
    expect(
      problems(realty({ address: { addressLine1: 'x'.repeat(255), countryCode: 'FI' } })),
    ).toEqual([]);
    expect(
      problems(realty({ address: { addressLine1: 'x'.repeat(256), countryCode: 'XX' } })),
    ).toEqual([
      'input.meetingRealty.address.addressLine1 INVALID_VALUE',
      'input.meetingRealty.address.countryCode INVALID_VALUE',
    ]);
    expect(problems(realty({ address: { countryCode: 'fi' } }))).toEqual([
      'input.meetingRealty.address.countryCode INVALID_VALUE',
    ]);
  });

  it('checks doorCode, title and features', () => {
    expect(
      problems(realty({ doorCode: '1'.repeat(65), title: 't'.repeat(256), features: ['balcony'] })),
    ).toEqual([
      'input.meetingRealty.doorCode INVALID_VALUE',
      'input.meetingRealty.title INVALID_VALUE',
      'input.meetingRealty.features[0] INVALID_VALUE',
    ]);
  });

  it('checks the price estimate: value at least 0, an ISO 4217 currency, both required', () => {
    expect(problems(draft({ priceEstimate: { value: 0, currencyCode: 'EUR' } }))).toEqual([]);
    expect(problems(draft({ priceEstimate: { value: -1, currencyCode: 'eur' } }))).toEqual([
      'input.priceEstimate.value INVALID_VALUE',
      'input.priceEstimate.currencyCode INVALID_VALUE',
    ]);
    expect(problems(draft({ priceEstimate: { value: 1, currencyCode: 'ABC' } }))).toEqual([
      'input.priceEstimate.currencyCode INVALID_VALUE',
    ]);
    expect(problems(draft({ priceEstimate: {} }))).toEqual([
      'input.priceEstimate.value VALUE_REQUIRED',
      'input.priceEstimate.currencyCode VALUE_REQUIRED',
    ]);
  });

  it('allows notes of 10,000 characters and no more', () => {
    expect(problems(draft({ notes: 'n'.repeat(10_000) }))).toEqual([]);
    expect(problems(draft({ notes: 'n'.repeat(10_001) }))).toEqual(['input.notes INVALID_VALUE']);
  });
});
