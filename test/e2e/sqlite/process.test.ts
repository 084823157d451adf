import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  killGateways,
  printed,
  printedToken,
  startGateway,
  waitForReady,
} from '../../support/process';
import { RawConnection, requestText } from '../../support/raw-http';
import { COSTED } from '../../support/cost';

const ROOT = path.join(__dirname, '..', '..', '..');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'meetings-process-'));
});
afterEach(() => {
  // A failed test must not leave a gateway running.
  killGateways();
  rmSync(dir, { recursive: true, force: true });
});

describe('the gateway process', () => {
  it('creates the database, loads the demo once, and stops cleanly on SIGTERM: the request in flight finishes, one arriving on a keep-alive connection is refused, not reset', async () => {
    const file = path.join(dir, 'nested', 'meetings.sqlite');
    const env = { PORT: '0', DATABASE_URL: `sqlite:${file}`, DEMO_DATA: 'true' };
    const first = startGateway(env);
    const url = new URL(await waitForReady(first));
    const token = await printedToken(first);

    // A request whose body is still arriving when the signal comes: the gateway has taken it once
    // it answers 100 Continue.
    const body = JSON.stringify({ query: '{ meetings(size: 1) { totalCount } }' });
    const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` };
    const running = await RawConnection.open(url.origin);
    running.send(
      requestText('POST', '/graphql', {
        ...headers,
        'Content-Length': String(body.length),
        Expect: '100-continue',
      }),
    );
    expect((await running.response()).status).toBe(100);
    // And a keep-alive connection, idle when the signal comes, that a client uses once more.
    const idle = await RawConnection.open(url.origin);
    idle.request('GET', '/health/live');
    expect((await idle.response()).status).toBe(200);

    first.child.kill('SIGTERM');
    await printed(first, /"msg":"stopping: draining requests"/);
    idle.request('POST', '/graphql', headers, body);
    const refused = await idle.response();
    expect([refused.status, refused.headers.connection]).toEqual([503, 'close']);
    expect(JSON.parse(refused.body)).toMatchObject({
      errors: [{ message: 'The gateway is stopping', extensions: { code: 'SERVICE_UNAVAILABLE' } }],
    });
    running.send(body);
    const answer = await running.response();

    expect([answer.status, answer.headers.connection]).toEqual([200, 'close']);
    expect(JSON.parse(answer.body)).toEqual({
      data: { meetings: { totalCount: 200 } },
      extensions: COSTED,
    });
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('"msg":"stopped"');
    // A clean close checkpoints the write-ahead log into the database file.
    expect(existsSync(`${file}-wal`)).toBe(false);

    // A second start finds its data and loads no demo again.
    const second = startGateway(env);
    const again = await waitForReady(second);
    // A new run makes a new secret: the first run's token is refused, the new one works.
    const old = await fetch(again, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
    });
    expect(old.status).toBe(401);
    const res = await fetch(again, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await printedToken(second)}`,
      },
      body,
    });
    expect(await res.json()).toEqual({
      data: { meetings: { totalCount: 200 } },
      extensions: COSTED,
    });
    expect(second.output()).not.toContain('demo data loaded');
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  });

  it('starts empty when DEMO_DATA is false', async () => {
    const run = startGateway({
      PORT: '0',
      DATABASE_URL: `sqlite:${path.join(dir, 'm.sqlite')}`,
      DEMO_DATA: 'false',
    });
    const url = await waitForReady(run);
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await printedToken(run)}`,
      },
      body: '{"query":"{ meetings { totalCount } }"}',
    });
    expect(await res.json()).toEqual({ data: { meetings: { totalCount: 0 } }, extensions: COSTED });
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });

  it('warns on start that a run without JWT settings on another HOST keeps its token to loopback callers', async () => {
    const run = startGateway({
      HOST: '0.0.0.0',
      PORT: '0',
      DATABASE_URL: `sqlite:${path.join(dir, 'm.sqlite')}`,
      DEMO_DATA: 'false',
    });
    await waitForReady(run);
    await printedToken(run);
    // The token and the warning come in one write.
    expect(run.output()).toContain(
      [
        'WARNING: HOST=0.0.0.0 is not a loopback address, and no JWT_SECRET or JWT_JWKS_URL is set.',
        "Anyone who can reach this port could otherwise take this run's admin token: GraphiQL fills it",
        'in only for browsers on this machine (loopback addresses); others get GraphiQL without a token.',
      ].join('\n'),
    );
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });

  it('does not warn on the default HOST, nor with JWT settings on another HOST', async () => {
    const local = startGateway({
      PORT: '0',
      DATABASE_URL: `sqlite:${path.join(dir, 'a.sqlite')}`,
      DEMO_DATA: 'false',
    });
    await waitForReady(local);
    await printedToken(local);
    const configured = startGateway({
      HOST: '0.0.0.0',
      PORT: '0',
      DATABASE_URL: `sqlite:${path.join(dir, 'b.sqlite')}`,
      DEMO_DATA: 'false',
      JWT_SECRET: 'x'.repeat(40),
      JWT_ISSUER: 'https://login.example.fi/',
      JWT_AUDIENCE: 'meetings',
    });
    await waitForReady(configured);
    local.child.kill('SIGTERM');
    configured.child.kill('SIGTERM');
    expect([await local.exited, await configured.exited]).toEqual([0, 0]);
    expect(local.output()).not.toContain('WARNING');
    expect(configured.output()).not.toContain('WARNING');
  });

  it('accepts the tokens npm run token mints for the configured secret', async () => {
    const jwt = {
      JWT_SECRET: 'x'.repeat(40),
      JWT_ISSUER: 'https://login.example.fi/',
      JWT_AUDIENCE: 'meetings',
    };
    const run = startGateway({
      PORT: '0',
      DATABASE_URL: `sqlite:${path.join(dir, 'm.sqlite')}`,
      DEMO_DATA: 'true',
      ...jwt,
    });
    const url = await waitForReady(run);
    expect(run.output()).not.toContain('Authorization: Bearer');
    const minted = spawnSync(
      'npm',
      [
        'run',
        '-s',
        'token',
        '--',
        '--office',
        '6f1c1d36-5d5e-4c1a-9a55-0b1f0e8c0002',
        '--name',
        'Maija Meikäläinen',
      ],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', ...jwt },
        encoding: 'utf8',
      },
    );
    expect(minted.status).toBe(0);
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${minted.stdout.trim()}`,
      },
      body: '{"query":"{ meetings(size: 100) { totalCount meetings { agencyOfficeId } } }"}',
    });
    const json = (await res.json()) as {
      data: { meetings: { totalCount: number; meetings: { agencyOfficeId: string }[] } };
    };
    expect(json.data.meetings.totalCount).toBe(50);
    expect(new Set(json.data.meetings.meetings.map((m) => m.agencyOfficeId))).toEqual(
      new Set(['6f1c1d36-5d5e-4c1a-9a55-0b1f0e8c0002']),
    );
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });

  it('npm run token -- --help prints its usage; a wrong option gets the usage and exit code 64', () => {
    const run = (...args: string[]) =>
      spawnSync('npm', ['run', '-s', 'token', '--', ...args], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '' },
        encoding: 'utf8',
      });
    const help = run('--help');
    expect([help.status, help.stderr]).toEqual([0, '']);
    expect(help.stdout).toContain('npm run token -- --office <uuid>');
    expect(help.stdout).toContain('--admin');
    const wrong = run('--offices', 'x');
    expect(wrong.status).toBe(64);
    expect(wrong.stderr).toContain("Unknown option '--offices'");
    expect(wrong.stderr).toContain('Usage:');
  });

  it('refuses to start in production without JWT settings', async () => {
    const run = startGateway({
      NODE_ENV: 'production',
      PORT: '0',
      DATABASE_URL: `sqlite:${path.join(dir, 'm.sqlite')}`,
    });
    expect(await run.exited).toBe(78);
    expect(run.output()).toContain(
      'JWT_SECRET (HS256, at least 32 bytes) or JWT_JWKS_URL must be set in production',
    );
  });

  it('refuses to start with a bad setting, naming it', async () => {
    const run = startGateway({
      PORT: 'eighty',
      DATABASE_URL: `sqlite:${path.join(dir, 'm.sqlite')}`,
      DEMO_DATA: 'maybe',
    });
    expect(await run.exited).toBe(78);
    expect(run.output()).toContain('PORT must be a whole number from 0 to 65535 (got "eighty")');
    expect(run.output()).toContain('DEMO_DATA must be true or false (got "maybe")');
  });
});
