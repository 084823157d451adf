/** PostGraphile beside the gateway on PostgreSQL: start, same rows, measured pairs. */
import path from 'node:path';
import type { DataShape } from '../data';
import { type LoadGenerator, type Measure, measure, median } from '../measure';
import type { Options } from '../options';
import type { PairResult } from '../report';
import type { Scenario } from '../scenarios';
import { type Server, post, start } from '../servers';
import { type Pair, PG_GET, afterBody, answerIds, cursorAtBody, pairs } from './scenarios';

const SERVER = path.join(__dirname, 'server.js');

/** PostGraphile on `databaseUrl`, port 4604, probed with a get of `meetingId`. */
export function startPostgraphile(databaseUrl: string, meetingId: string): Promise<Server> {
  return start(
    'postgraphile',
    [SERVER, databaseUrl, '4604'],
    { PATH: process.env.PATH, GRAPHILE_ENV: 'production', NODE_ENV: 'production' },
    4604,
    '',
    JSON.stringify({ operationName: 'Get', query: PG_GET, variables: { meetingId } }),
  );
}

/**
 * The pairs of requests, once both servers are up: PostGraphile's deep cursor is its own cursor
 * of the row the gateway's deep cursor names (the middle of the default order). Each pair must
 * answer the same meetings (and count) on both before it is timed.
 */
export async function comparablePairs(
  shape: DataShape,
  total: number,
  gatewayDeepCursor: string,
  postgres: Server,
  postgraphile: Server,
  token: string,
): Promise<Pair[]> {
  const at = await post(postgraphile.url, '', cursorAtBody(Math.floor(total / 2)));
  const cursor = (at.json.data as { allMeetings: { edges: { cursor: string }[] } }).allMeetings
    .edges[0].cursor;
  const list = pairs(shape, { gateway: gatewayDeepCursor, postgraphile: afterBody(cursor) });
  for (const pair of list) {
    const [g, p] = await Promise.all([
      post(postgres.url, token, pair.gateway),
      post(postgraphile.url, '', pair.postgraphile),
    ]);
    if (g.json.errors || p.json.errors)
      throw new Error(`${pair.name}: ${JSON.stringify(g.json.errors ?? p.json.errors)}`);
    const [a, b] = [answerIds(g.json), answerIds(p.json)];
    const same =
      JSON.stringify(a.ids) === JSON.stringify(b.ids) &&
      (a.total === null || b.total === null || a.total === b.total);
    if (!same || a.ids.length === 0)
      throw new Error(
        `${pair.name}: the gateway and PostGraphile answer different meetings: ${JSON.stringify(a).slice(0, 300)} / ${JSON.stringify(b).slice(0, 300)}`,
      );
  }
  return list;
}

export type PairMeasures = Map<string, { postgres: Measure[]; postgraphile: Measure[] }>;

/** One repeat of every pair, the two servers in turn (the order alternating by repeat). */
export async function measurePairs(
  list: Pair[],
  servers: { postgres: Server; postgraphile: Server },
  token: string,
  opts: Options,
  loader: LoadGenerator,
  repeat: number,
  into: PairMeasures,
): Promise<void> {
  for (const pair of list) {
    const entry = into.get(pair.name) ?? { postgres: [], postgraphile: [] };
    const order = (['postgres', 'postgraphile'] as const).slice();
    if (repeat % 2 === 1) order.reverse();
    for (const name of order) {
      const scenario: Scenario = {
        name: pair.name,
        kind: 'search',
        bodies: [name === 'postgres' ? pair.gateway : pair.postgraphile],
        compare: false,
        caller: 'admin',
      };
      const probe = name === 'postgres' ? pair.gateway : pair.postgraphile;
      entry[name].push(await measure(servers[name], scenario, token, opts, loader, 0, probe));
    }
    into.set(pair.name, entry);
  }
}

/** Medians of the repeats. */
export function pairResults(measures: PairMeasures): PairResult[] {
  const numbers = (list: Measure[]) => ({
    perSecond: median(list.map((m) => m.perSecond)),
    p50: median(list.map((m) => m.p50)),
    p99: median(list.map((m) => m.p99)),
  });
  return [...measures].map(([name, m]) => ({
    name,
    postgres: numbers(m.postgres),
    postgraphile: numbers(m.postgraphile),
  }));
}
