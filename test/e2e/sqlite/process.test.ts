import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { killGateways, printedToken, startGateway, waitForReady } from '../../support/process';

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
  it('creates the database, loads the demo once, and stops cleanly on SIGTERM after finishing a request in flight', async () => {
    const file = path.join(dir, 'nested', 'meetings.sqlite');
    const env = { PORT: '0', DATABASE_URL: `sqlite:${file}`, DEMO_DATA: 'true' };
    const first = startGateway(env);
    const url = new URL(await waitForReady(first));
    const token = await printedToken(first);

    // A request whose body is still arriving when the signal comes.
    const body = JSON.stringify({ query: '{ meetings(size: 1) { totalCount } }' });
    const socket = net.connect(Number(url.port), url.hostname);
    await new Promise((resolve) => socket.once('connect', resolve));
    let response = '';
    socket.on('data', (d: Buffer) => (response += d.toString()));
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nAuthorization: Bearer ${token}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    first.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    socket.write(body.slice(10));
    await new Promise((resolve) => socket.once('close', resolve));

    expect(response).toMatch(/^HTTP\/1.1 200/);
    expect(response).toContain('{"data":{"meetings":{"totalCount":200}}}');
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
    expect(await res.json()).toEqual({ data: { meetings: { totalCount: 200 } } });
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
    expect(await res.json()).toEqual({ data: { meetings: { totalCount: 0 } } });
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
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
