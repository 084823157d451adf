/** SQL statements per request: the gateway counted in this process, the limit by its /stats. */
import path from 'node:path';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { type Caller, type Scenario, consumesBodies } from './scenarios';
import { STATEMENT_RUNS } from './options';
import { type Server, copyDatabase, post } from './servers';

export interface StatementCounts {
  gateway: Record<string, number>;
  limit: Record<string, number>;
  searchBySize: Record<string, number>;
}

/** SQL statements per request of each scenario, and of a first page at sizes 10, 50 and 100. */
export async function countStatements(
  all: Scenario[],
  dataFile: string,
  dir: string,
  tokens: Record<Caller, string>,
  limit: Server | null,
  gatewayEnv: Record<string, string | undefined>,
): Promise<StatementCounts> {
  const file = path.join(dir, 'count.sqlite');
  const onSqlite = gatewayEnv.DATABASE_URL?.startsWith('sqlite:') ?? true;
  if (onSqlite) copyDatabase(dataFile, file);
  // The running gateway's settings, on its own copy, on a free port.
  const config = loadConfig({
    ...gatewayEnv,
    PORT: '0',
    DATABASE_URL: onSqlite ? `sqlite:${file}` : gatewayEnv.DATABASE_URL,
    LOG_LEVEL: 'silent',
    // It only counts statements, beside the measured gateway and its metrics listener.
    METRICS_PORT: '0',
  });
  const app = await createApp(config, { logger: createLogger('silent') });
  const url = await app.listen();
  const gateway: Record<string, number> = {};
  const limitCounts: Record<string, number> = {};
  const stats = async () =>
    (
      (await (await fetch(limit!.url.replace('/graphql', '/stats'))).json()) as {
        statements: number;
      }
    ).statements;
  const times = STATEMENT_RUNS;
  for (const scenario of all) {
    // Deletes take the last ids of the pool: the timed runs take it from the start.
    const bodies = consumesBodies(scenario)
      ? scenario.bodies.slice(-times)
      : Array<string>(times).fill(scenario.bodies[0]);
    const before = app.db.statementCount;
    for (const body of bodies) {
      const res = await post(url, tokens[scenario.caller], body);
      if (res.json.errors) throw new Error(`${scenario.name}: ${JSON.stringify(res.json.errors)}`);
    }
    gateway[scenario.name] = (app.db.statementCount - before) / times;
    if (limit) {
      const limitBefore = await stats();
      for (const body of bodies) await post(limit.url, tokens[scenario.caller], body);
      limitCounts[scenario.name] = ((await stats()) - limitBefore) / times;
    }
  }
  const searchBySize: Record<string, number> = {};
  const firstPage = JSON.parse(all[0].bodies[0]) as { variables: Record<string, unknown> };
  for (const size of [10, 50, 100]) {
    const body = JSON.stringify({ ...firstPage, variables: { ...firstPage.variables, size } });
    const before = app.db.statementCount;
    const res = await post(url, tokens.admin, body);
    if (res.json.errors) throw new Error(`size ${size}: ${JSON.stringify(res.json.errors)}`);
    searchBySize[String(size)] = app.db.statementCount - before;
  }
  await app.stop();
  return { gateway, limit: limitCounts, searchBySize };
}
