import type { ReadMeeting } from '../../src/meetings/storage/meeting.record';
import { withParticipants } from '../../src/meetings/storage/meeting-participants';

// A meeting's row carries its parties and agents as JSON lists: text from SQLite, values parsed
// by PostgreSQL's driver. Both read the same; a row without them is a read that forgot them.

const record = {
  meetingId: 'a1a1a1a1-0000-4000-8000-000000000001',
  realty: '{"title":"2h"}',
  priceEstimateValue: null,
  priceEstimateCurrencyCode: null,
} as unknown as ReadMeeting;

const parties = [
  ['b1b1b1b1-0000-4000-8000-000000000002', 'PERSON_PARTY', 'Matti', null, '040 1'],
  ['b1b1b1b1-0000-4000-8000-000000000001', 'ESTATE_PARTY', 'Pesä', 'p@e.fi', null],
];
const agents = [['c1c1c1c1-0000-4000-8000-000000000001', 'Maria', 'Mäkinen']];

describe('withParticipants', () => {
  it('reads the lists in their order, with the directory details, from text or from values', () => {
    const fromText = withParticipants(record, {
      parties: JSON.stringify(parties),
      agents: JSON.stringify(agents),
    });
    const fromValues = withParticipants(record, { parties, agents });
    expect(fromText).toEqual(fromValues);
    expect(fromText.parties).toEqual([
      {
        partyId: 'b1b1b1b1-0000-4000-8000-000000000002',
        partyTypeCode: 'PERSON_PARTY',
        directory: { partyName: 'Matti', emailAddress: null, phoneNumber: '040 1' },
      },
      {
        partyId: 'b1b1b1b1-0000-4000-8000-000000000001',
        partyTypeCode: 'ESTATE_PARTY',
        directory: { partyName: 'Pesä', emailAddress: 'p@e.fi', phoneNumber: null },
      },
    ]);
    expect(fromText.agents).toEqual([
      {
        agentId: 'c1c1c1c1-0000-4000-8000-000000000001',
        directory: { firstName: 'Maria', lastName: 'Mäkinen' },
      },
    ]);
  });

  it('refuses a row read without the lists rather than show a meeting with none', () => {
    expect(() => withParticipants(record, {})).toThrow(/participantColumns/);
    expect(() => withParticipants(record, { parties: null, agents: null })).toThrow(
      /participantColumns/,
    );
  });
});
