import { StatusCode } from '../../src/meetings/domain/meeting-codes';
import { PartyTypeCode } from '../../src/directory/domain/directory.model';
import {
  STATUS_RULES,
  mayDelete,
  sameParties,
  statusViolationMessage,
  statusViolations,
} from '../../src/meetings/domain/meeting-rules';

const P1 = {
  partyId: '11111111-1111-4111-8111-111111111111',
  partyTypeCode: PartyTypeCode.PERSON_PARTY,
};
const P2 = {
  partyId: '22222222-2222-4222-8222-222222222222',
  partyTypeCode: PartyTypeCode.ESTATE_PARTY,
};
const T0 = new Date('2026-12-31T10:00:00.000Z');
const T1 = new Date('2027-01-02T10:00:00.000Z');

// The domain's table, written out independently of the code under test.
const MAY_BECOME: Record<StatusCode, StatusCode[]> = {
  WAITING: [StatusCode.WAITING, StatusCode.WON, StatusCode.LOST, StatusCode.CANCELLED],
  WON: [StatusCode.WON, StatusCode.LOST],
  LOST: [StatusCode.LOST, StatusCode.WON],
  CANCELLED: [StatusCode.CANCELLED],
};
const LOCKS_PARTIES_AND_VISIT_TIME: Record<StatusCode, boolean> = {
  WAITING: false,
  WON: true,
  LOST: true,
  CANCELLED: true,
};

const statuses = Object.values(StatusCode);
const cases = statuses.flatMap((stored) =>
  statuses.flatMap((requested) =>
    [false, true].flatMap((partiesChanged) =>
      [false, true].map((visitTimeChanged) => ({
        stored,
        requested,
        partiesChanged,
        visitTimeChanged,
      })),
    ),
  ),
);

describe('statusViolations', () => {
  it('covers every stored status x requested status x parties x visitTime (64 cases)', () => {
    expect(cases).toHaveLength(64);
  });

  it.each(cases)(
    'stored $stored -> $requested, parties changed: $partiesChanged, visitTime changed: $visitTimeChanged',
    ({ stored, requested, partiesChanged, visitTimeChanged }) => {
      const items = statusViolations(
        { statusCode: stored, parties: [P1], visitTime: T0 },
        {
          statusCode: requested,
          parties: partiesChanged ? [P1, P2] : [P1],
          visitTime: visitTimeChanged ? T1 : new Date(T0.getTime()),
        },
      );
      const expected: string[] = [];
      if (!MAY_BECOME[stored].includes(requested)) expected.push('input.statusCode');
      if (LOCKS_PARTIES_AND_VISIT_TIME[stored] && partiesChanged) expected.push('input.parties');
      if (LOCKS_PARTIES_AND_VISIT_TIME[stored] && visitTimeChanged)
        expected.push('input.visitTime');
      expect(items.map((i) => i.target)).toEqual(expected);
      for (const item of items) {
        expect(item.errorCode).toBe('INVALID_STATUS');
        expect(item.message).toContain(`Meeting status ${stored}`);
      }
    },
  );

  it('treats the same parties in another order as unchanged', () => {
    const items = statusViolations(
      { statusCode: StatusCode.WON, parties: [P1, P2], visitTime: T0 },
      { statusCode: StatusCode.WON, parties: [P2, P1], visitTime: T0 },
    );
    expect(items).toEqual([]);
  });

  it('treats a changed partyTypeCode of the same party as a party change', () => {
    const items = statusViolations(
      { statusCode: StatusCode.LOST, parties: [P1], visitTime: T0 },
      {
        statusCode: StatusCode.LOST,
        parties: [{ ...P1, partyTypeCode: PartyTypeCode.ORGANIZATION_PARTY }],
        visitTime: T0,
      },
    );
    expect(items.map((i) => i.target)).toEqual(['input.parties']);
  });

  it('treats the same instant with another offset as unchanged', () => {
    const items = statusViolations(
      { statusCode: StatusCode.CANCELLED, parties: [P1], visitTime: T0 },
      {
        statusCode: StatusCode.CANCELLED,
        parties: [P1],
        visitTime: new Date('2026-12-31T12:00:00+02:00'),
      },
    );
    expect(items).toEqual([]);
  });
});

describe('STATUS_RULES', () => {
  it('is the table of the domain', () => {
    for (const status of statuses) {
      expect([...STATUS_RULES[status].mayBecome].sort()).toEqual([...MAY_BECOME[status]].sort());
      expect(STATUS_RULES[status].locked).toBe(LOCKS_PARTIES_AND_VISIT_TIME[status]);
    }
  });
});

describe('sameParties', () => {
  it('compares party ids case-insensitively and as sets', () => {
    expect(sameParties([P1], [{ ...P1, partyId: P1.partyId.toUpperCase() }])).toBe(true);
    expect(sameParties([P1], [P1, P2])).toBe(false);
    expect(sameParties([P1, P2], [P1])).toBe(false);
  });
});

describe('statusViolationMessage', () => {
  it('names the stored status and every locked field', () => {
    const items = statusViolations(
      { statusCode: StatusCode.CANCELLED, parties: [P1], visitTime: T0 },
      { statusCode: StatusCode.WAITING, parties: [P2], visitTime: T1 },
    );
    expect(statusViolationMessage(StatusCode.CANCELLED, items)).toBe(
      'Meeting status CANCELLED does not allow changing statusCode, parties and visitTime',
    );
  });

  it('is the item message when one field is at fault', () => {
    const items = statusViolations(
      { statusCode: StatusCode.WON, parties: [P1], visitTime: T0 },
      { statusCode: StatusCode.WON, parties: [P2], visitTime: T0 },
    );
    expect(statusViolationMessage(StatusCode.WON, items)).toBe(
      'Meeting status WON does not allow changing parties',
    );
  });
});

describe('mayDelete', () => {
  it.each(statuses)('allows deleting only a WAITING meeting (%s)', (status) => {
    expect(mayDelete(status)).toBe(status === StatusCode.WAITING);
  });
});
