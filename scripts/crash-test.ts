import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { mintToken } from '../src/auth/tokens';
import type { AuthConfig } from '../src/config/auth-settings';
import { type GatewayProcess, startGateway } from './crash/gateway-process';
import { post, read } from './crash/graphql-client';
import { Ledger } from './crash/ledger';
import { type Directory, directoryRequests } from './crash/operations';
import { failed, type RunResult, summary, tally, violations } from './crash/report';
import { verify } from './crash/verify';
import { runWriter, type Writer } from './crash/writer';

// npm run test:crash [-- --short] [--cycles 30] [--postgres-cycles 10] [--writers 16] [--postgres <url>]
//
// Kills a gateway process with SIGKILL, cycle after cycle, while writers create, update and delete
// meetings (some writes invalid), then checks through the API that no acknowledged write was lost,
// no refused write applied, and that retrying every unknown outcome with its Idempotency-Key
// applies it exactly once. SQLite always; PostgreSQL when --postgres names a database.

interface Options {
  sqliteCycles: number;
  postgresCycles: number;
  writers: number;
  postgresUrl?: string;
  /** The random time writers run before the kill, in ms. */
  killAfter: [number, number];
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      short: { type: 'boolean', default: false },
      cycles: { type: 'string' },
      'postgres-cycles': { type: 'string' },
      writers: { type: 'string' },
      postgres: { type: 'string' },
    },
  });
  const whole = (name: string, raw: string | undefined, fallback: number): number => {
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < 1)
      throw new Error(`--${name} must be a whole number ≥ 1`);
    return Number(raw);
  };
  const short = values.short === true;
  return {
    sqliteCycles: whole('cycles', values.cycles, short ? 4 : 30),
    postgresCycles: whole('postgres-cycles', values['postgres-cycles'], short ? 3 : 10),
    writers: whole('writers', values.writers, short ? 8 : 16),
    postgresUrl: values.postgres || undefined,
    killAfter: short ? [500, 2000] : [500, 4000],
  };
}

/** Where one run keeps its data: a fresh SQLite file or a fresh PostgreSQL schema. */
interface Target {
  name: string;
  databaseUrl: string;
  cycles: number;
  integrity(): Promise<string>;
  /** Removes the data; kept when the run failed, to look at. */
  cleanUp(keep: boolean): Promise<void>;
}

function sqliteTarget(cycles: number): Target {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'meetings-crash-'));
  const file = path.join(dir, 'meetings.sqlite');
  return {
    name: 'sqlite',
    databaseUrl: `sqlite:${file}`,
    cycles,
    async integrity() {
      const db = new Database(file);
      try {
        const rows = db.pragma('integrity_check') as { integrity_check: string }[];
        const keys = db.pragma('foreign_key_check') as unknown[];
        const result = rows.map((r) => r.integrity_check).join('; ');
        return keys.length === 0 ? result : `${result}; ${keys.length} foreign key violations`;
      } finally {
        db.close();
      }
    },
    async cleanUp(keep) {
      if (keep) process.stdout.write(`kept the database file ${file}\n`);
      else rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function postgresTarget(url: string, cycles: number): Promise<Target> {
  const schema = `crash_${randomBytes(6).toString('hex')}`;
  const onServer = async (sql: string): Promise<void> => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await onServer(`CREATE SCHEMA "${schema}"`);
  const databaseUrl = new URL(url);
  databaseUrl.searchParams.set('schema', schema);
  return {
    name: 'postgres',
    databaseUrl: databaseUrl.toString(),
    cycles,
    integrity: async () => 'n/a',
    async cleanUp(keep) {
      if (keep) process.stdout.write(`kept the schema ${schema}\n`);
      else await onServer(`DROP SCHEMA "${schema}" CASCADE`);
    },
  };
}

function directory(): Directory {
  return {
    office: randomUUID(),
    parties: ['Matti Virtanen', 'Äijälän Kuolinpesä'].map((partyName) => ({
      partyId: randomUUID(),
      partyTypeCode: 'PERSON_PARTY',
      partyName,
    })),
    agents: [
      { agentId: randomUUID(), firstName: 'Maria', lastName: 'Mäkinen' },
      { agentId: randomUUID(), firstName: 'Jari', lastName: 'Korhonen' },
    ],
  };
}

async function run(target: Target, opts: Options): Promise<RunResult> {
  const started = Date.now();
  const secret = randomBytes(32).toString('hex');
  const auth: AuthConfig = {
    keys: { kind: 'secret', secret: new TextEncoder().encode(secret), generated: false },
    issuer: 'https://crash-test.invalid/',
    audience: 'meetings-gateway',
    officesClaim: 'offices',
  };
  // The same secret on every start: the tokens survive the kills.
  const env = {
    DATABASE_URL: target.databaseUrl,
    JWT_SECRET: secret,
    JWT_ISSUER: auth.issuer,
    JWT_AUDIENCE: auth.audience,
    DEMO_DATA: 'false',
    RATE_LIMIT_PER_SECOND: '1000000',
    RATE_LIMIT_BURST: '1000000',
  };
  const dir = directory();
  const adminToken = await mintToken(auth, { subject: 'crash-checker', admin: true });
  const writers: Writer[] = await Promise.all(
    Array.from({ length: opts.writers }, async (_, index) => ({
      index,
      token: await mintToken(auth, { subject: `crash-writer-${index}`, offices: [dir.office] }),
      meetings: [],
    })),
  );
  const ledger = new Ledger();
  const ctx = { ledger, directory: dir, runId: randomBytes(3).toString('hex') };
  let gateway: GatewayProcess | undefined;
  let idempotencySupported = true;
  try {
    for (let cycle = 1; cycle <= target.cycles; cycle++) {
      gateway = await startGateway(env);
      if (cycle === 1) {
        for (const [request, field] of directoryRequests(dir)) {
          await read(gateway.url, adminToken, request, field);
        }
        idempotencySupported = await refusesKeyOnQuery(gateway.url, adminToken);
      }
      const writesBefore = ledger.writes.length;
      let stopping = false;
      const writing = writers.map((w) => runWriter(w, ctx, gateway!.url, () => stopping));
      const [low, high] = opts.killAfter;
      await new Promise((resolve) => setTimeout(resolve, low + Math.random() * (high - low)));
      stopping = true;
      await gateway.kill();
      await Promise.all(writing);
      ledger.cycles = cycle;
      const these = ledger.writes.slice(writesBefore);
      const count = (kind: string) => these.filter((w) => w.outcome?.kind === kind).length;
      process.stdout.write(
        `${target.name} cycle ${cycle}/${target.cycles}: ${these.length} writes, ${count('acknowledged')} acknowledged, ${count('refused')} refused, ${count('unknown')} unknown\n`,
      );
    }
    gateway = await startGateway(env);
    await verify({ url: gateway.url, adminToken }, writers, ledger);
    await gateway.stop();
    gateway = undefined;
  } finally {
    await gateway?.kill();
  }
  const result: RunResult = {
    database: target.name,
    ledger,
    integrity: await target.integrity(),
    idempotencySupported,
    seconds: (Date.now() - started) / 1000,
  };
  await target.cleanUp(failed(result));
  return result;
}

/** The contract refuses an Idempotency-Key on a query; a gateway that answers it ignores keys. */
async function refusesKeyOnQuery(url: string, token: string): Promise<boolean> {
  const probe = { query: '{ meetingsConnection(first: 1) { totalCount } }', variables: {} };
  const outcome = await post(url, token, probe, 'meetingsConnection', 'crash-test-probe');
  return outcome.kind === 'refused' && outcome.code === 'BAD_REQUEST_PARAMETERS';
}

async function main(): Promise<void> {
  const opts = options();
  process.stdout.write(
    `crash test: ${opts.writers} writers, kill after ${opts.killAfter[0]}–${opts.killAfter[1]} ms; SQLite ${opts.sqliteCycles} cycles${opts.postgresUrl ? `, PostgreSQL ${opts.postgresCycles}` : ' (no --postgres: PostgreSQL skipped)'}\n`,
  );
  const targets = [() => Promise.resolve(sqliteTarget(opts.sqliteCycles))];
  if (opts.postgresUrl) {
    const url = opts.postgresUrl;
    targets.push(() => postgresTarget(url, opts.postgresCycles));
  }
  const results: RunResult[] = [];
  for (const target of targets) results.push(await run(await target(), opts));
  process.stdout.write(`\n${summary(results)}\n`);
  const found = results.map(violations).filter((text) => text !== '');
  if (found.length > 0) process.stdout.write(`\n${found.join('\n')}\n`);
  if (results.some(failed)) {
    process.stdout.write('\nFAILED\n');
    process.exitCode = 1;
  } else {
    const writes = results.reduce((n, r) => n + Number(tally(r).acknowledged), 0);
    process.stdout.write(`\nok: ${writes} acknowledged writes, none lost, none refused applied\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `crash test failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exitCode = 1;
});
