import { randomUUID } from 'node:crypto';
import { UPSERT_AGENTS, UPSERT_PARTIES, agent, party } from '../support/fixtures';
import { TestGateway } from '../support/gateway';
import { COSTED } from '../support/cost';

let gw: TestGateway;
beforeAll(async () => {
  gw = await TestGateway.start();
});
afterAll(() => gw.stop());

const targets = (res: Awaited<ReturnType<TestGateway['gql']>>) =>
  res.body.errors![0].extensions.errors!.map((i) => `${i.target} ${i.errorCode}`);

describe('upsertParties', () => {
  it('creates parties and returns them as stored', async () => {
    const p = party({ partyId: randomUUID().toUpperCase(), partyName: '  Liisa Laine ' });
    const res = await gw.gql(UPSERT_PARTIES, { input: [p] });
    expect(res.body).toEqual({
      data: {
        upsertParties: [{ ...p, partyId: p.partyId.toLowerCase(), partyName: 'Liisa Laine' }],
      },
      extensions: COSTED,
    });
  });

  it('is idempotent and replaces a party by partyId', async () => {
    const p = party();
    await gw.gql(UPSERT_PARTIES, { input: [p] });
    await gw.gql(UPSERT_PARTIES, { input: [p] });
    const changed = { ...p, partyName: 'Matti Meikäläinen', emailAddress: null };
    const res = await gw.gql(UPSERT_PARTIES, { input: [changed] });
    expect(res.body.data).toEqual({ upsertParties: [changed] });
    expect(await gw.count('SELECT count(*) AS n FROM party WHERE party_id = ?', [p.partyId])).toBe(
      1,
    );
  });

  it('takes 1,000 rows in one call, and refuses 1,001', async () => {
    const many = Array.from({ length: 1000 }, (_, i) => party({ partyName: `Asiakas ${i}` }));
    const ok = await gw.gql<{ upsertParties: unknown[] }>(UPSERT_PARTIES, { input: many });
    expect(ok.body.data!.upsertParties).toHaveLength(1000);
    const tooMany = await gw.gql(UPSERT_PARTIES, { input: [...many, party()] });
    expect(tooMany.body.errors![0].extensions).toMatchObject({
      code: 'BAD_REQUEST_BODY',
      errors: [{ target: 'input', errorCode: 'INVALID_VALUE' }],
    });
  });

  it('reports every bad row at once and stores none of them', async () => {
    const good = party();
    const dup = party();
    const res = await gw.gql(UPSERT_PARTIES, {
      input: [
        good,
        { ...party(), partyName: ' ' },
        { ...party(), emailAddress: 'not-an-email', phoneNumber: 'call me' },
        dup,
        dup,
      ],
    });
    expect(res.body.errors![0].extensions.code).toBe('BAD_REQUEST_BODY');
    expect(targets(res)).toEqual([
      'input[1].partyName VALUE_REQUIRED',
      'input[2].emailAddress INVALID_VALUE',
      'input[2].phoneNumber INVALID_VALUE',
      'input[4].partyId INVALID_VALUE',
    ]);
    const stored = await gw.app.services.directory.partiesByIds([good.partyId]);
    expect(stored).toEqual([null]);
  });

  it('refuses an empty list', async () => {
    const res = await gw.gql(UPSERT_PARTIES, { input: [] });
    expect(targets(res)).toEqual(['input VALUE_REQUIRED']);
  });
});

describe('upsertAgents', () => {
  it('creates and replaces agents by agentId', async () => {
    const a = agent();
    expect((await gw.gql(UPSERT_AGENTS, { input: [a] })).body.data).toEqual({ upsertAgents: [a] });
    const renamed = { ...a, lastName: 'Mäkelä' };
    expect((await gw.gql(UPSERT_AGENTS, { input: [renamed] })).body.data).toEqual({
      upsertAgents: [renamed],
    });
    expect(await gw.app.services.directory.agentsByIds([a.agentId])).toEqual([renamed]);
  });

  it('reports missing names and duplicate ids', async () => {
    const a = agent();
    const res = await gw.gql(UPSERT_AGENTS, {
      input: [a, { ...a }, { ...agent(), firstName: '', lastName: 'x'.repeat(256) }],
    });
    expect(targets(res)).toEqual([
      'input[1].agentId INVALID_VALUE',
      'input[2].firstName VALUE_REQUIRED',
      'input[2].lastName INVALID_VALUE',
    ]);
  });
});
