/** A bench run's pieces for one data set: tokens, fixtures, scenarios, and servers to start. */
import { randomBytes } from 'node:crypto';
import { deepStrictEqual } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { mintToken } from '../src/auth/tokens';
import type { AuthConfig } from '../src/config/auth-settings';
import { benchDatabase, shapeOf } from './data';
import { type Fixtures, deepCursor, readFixtures } from './fixtures';
import { limitDatabase } from './limit-schema';
import { CALLER_OFFICES, type Caller, type Scenario, getOne, scenarios } from './scenarios';
import { type Server, copyDatabase, log, post, start, withoutExtensions } from './servers';

const ROOT = path.join(__dirname, '..', '..');
const DIST = path.join(__dirname, '..');
/** The gateway's command line: with the Node.js flags `npm start` gives it (its heap's growth). */
export const GATEWAY_COMMAND = [
  ...(
    JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      config: { node_flags: string };
    }
  ).config.node_flags
    .split(' ')
    .filter(Boolean),
  path.join(DIST, 'src', 'index.js'),
];
const ISSUER = 'meetings-gateway-bench';
const AUDIENCE = 'meetings-gateway-bench';

export interface Bench {
  dataFile: string;
  secret: string;
  tokens: Record<Caller, string>;
  fixtures: Fixtures;
  /** The body a server's start is probed with (get one, as the admin). */
  probe: string;
  gatewayEnv: Record<string, string | undefined>;
  startGateway: () => Promise<Server>;
  startLimit: () => Promise<Server>;
  /** The scenarios, once the gateway is up (the deep cursors carry its fingerprint). */
  scenarios: (gateway: Server) => Promise<Scenario[]>;
}

/** Generates (or finds) the data of `size` meetings and copies it for the gateway and the limit. */
export async function prepare(size: number, work: string, deletes: number): Promise<Bench> {
  const dataFile = await benchDatabase(size, log);
  const limitFile = limitDatabase(dataFile, log);
  const secret = randomBytes(32).toString('base64url');
  const auth: AuthConfig = {
    keys: { kind: 'secret', secret: new TextEncoder().encode(secret), generated: false },
    issuer: ISSUER,
    audience: AUDIENCE,
    officesClaim: 'offices',
  };
  const tokens: Record<Caller, string> = {
    admin: await mintToken(auth, { subject: 'bench', name: 'Bench Admin', admin: true }),
    office: await mintToken(auth, {
      subject: 'bench-agent',
      name: 'Bench Agent',
      offices: CALLER_OFFICES,
    }),
  };
  const fixtures = readFixtures(dataFile, deletes);
  const shape = { ...shapeOf(size), meetings: size };
  const probe = getOne(shape).bodies[0];
  const gatewayDb = path.join(work, `gateway-${size}.sqlite`);
  const limitDb = path.join(work, `limit-${size}.sqlite`);
  copyDatabase(dataFile, gatewayDb);
  copyDatabase(limitFile, limitDb);
  const gatewayEnv = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '4601',
    DATABASE_URL: `sqlite:${gatewayDb}`,
    DEMO_DATA: 'false',
    LOG_LEVEL: 'info',
    JWT_SECRET: secret,
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: AUDIENCE,
    // The benchmark measures speed, not the limits: no rate limit. The cost limit is the default:
    // every page of the scenarios fits it, as a frontend's would.
    RATE_LIMIT_PER_SECOND: '1000000',
    RATE_LIMIT_BURST: '1000000',
  };
  return {
    dataFile,
    secret,
    tokens,
    fixtures,
    probe,
    gatewayEnv,
    startGateway: () => start('gateway', GATEWAY_COMMAND, gatewayEnv, 4601, tokens.admin, probe),
    startLimit: () =>
      start(
        'limit',
        [path.join(DIST, 'bench', 'limit-server.js'), limitDb, '4602', secret],
        { PATH: process.env.PATH },
        4602,
        tokens.admin,
        probe,
      ),
    scenarios: async (gateway) =>
      scenarios({
        shape,
        deepCursor: {
          admin: await deepCursor(gateway.url, tokens.admin, fixtures.middle.admin),
          office: await deepCursor(gateway.url, tokens.office, fixtures.middle.office),
        },
        visible: fixtures.visible,
        deletable: fixtures.deletable,
        updatable: fixtures.updatable,
        people: fixtures.people,
      }),
  };
}

/** Every read scenario answered with the same data by the gateway, the limit (and others). */
export async function compareAnswers(
  all: Scenario[],
  tokens: Record<Caller, string>,
  gateway: Server,
  others: Server[],
): Promise<void> {
  const reads = all.filter((s) => s.compare);
  for (const scenario of reads) {
    const token = tokens[scenario.caller];
    const g = await post(gateway.url, token, scenario.bodies[0]);
    if (g.json.errors)
      throw new Error(`${scenario.name}: the gateway answered ${JSON.stringify(g.json.errors)}`);
    for (const other of others) {
      const o = await post(other.url, token, scenario.bodies[0]);
      // The limit answers the data only: the gateway's extensions.cost is not compared.
      deepStrictEqual(
        withoutExtensions(o.json),
        withoutExtensions(g.json),
        `${scenario.name}: the gateway and ${other.name} disagree`,
      );
    }
  }
  log(`same data from ${others.length + 1} servers in ${reads.length} read scenarios`);
}
