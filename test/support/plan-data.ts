import type { Database } from '../../src/db/database';
import { query } from '../../src/db/sql';

/**
 * Meetings enough for a planner to choose as it would on real data, written in one statement of
 * each dialect: 20 offices, 4 statuses, 2 types, 3 sources, visit times over five years, and a
 * search text where "helsinki" is in a quarter of the meetings and "kummitusmaja" in one of 5,000.
 * The triggers fill meeting_tally; statistics are taken at the end.
 */
export const PLAN_OFFICE = (i: number) => `0f0f0f0f-0000-4000-8000-${String(i).padStart(12, '0')}`;

// The length of a meeting's text, as searches read it (its realty, address, parties, agents).
const FILLER = 'kerrostalo kolmio parveke sauna hissi pihapiiri '.repeat(8);

export async function fillPlanData(db: Database, meetings = 20_000): Promise<void> {
  const postgres = db.dataSource.options.type === 'postgres';
  const id = postgres
    ? `'${'e'.repeat(8)}-0000-4000-8000-' || lpad(to_hex(i), 12, '0')`
    : `printf('eeeeeeee-0000-4000-8000-%012x', i)`;
  const office = postgres
    ? `'0f0f0f0f-0000-4000-8000-' || lpad((i % 20)::text, 12, '0')`
    : `printf('0f0f0f0f-0000-4000-8000-%012d', i % 20)`;
  const time = (offset: string) =>
    postgres
      ? `to_timestamp(1700000000 + ${offset})`
      : `strftime('%Y-%m-%dT%H:%M:%fZ', 1700000000 + ${offset}, 'unixepoch')`;
  const pick = (list: string[], n: string) =>
    `(CASE ${list.map((v, k) => `WHEN ${n} = ${k} THEN '${v}'`).join(' ')} END)`;
  const series = postgres
    ? `generate_series(1::bigint, ${meetings}) AS n(i)`
    : `(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${meetings}) SELECT i FROM s) AS n`;
  await db.transaction(async (m) => {
    await query(
      m,
      `INSERT INTO meeting (meeting_id, type_code, status_code, visit_time, agency_office_id, source_type_code,
         realty, search_text, creation_time, modification_time, search_key, version)
       SELECT ${id}, ${pick(['EVALUATION_VISIT', 'EVALUATION_VISIT', 'EVALUATION_VISIT', 'SALES_MEETING', 'SALES_MEETING'], 'i % 5')},
         ${pick(['WAITING', 'WON', 'LOST', 'CANCELLED'], '(i / 7) % 4')}, ${time('(i * 7919) % 157680000')}, ${office},
         ${pick(['ETUOVI', 'OIKOTIE', 'NELIOHINTA_FI'], '(i / 3) % 3')}, '{}', '',
         ${time('(i * 104729) % 157680000')}, ${time('(i * 1299709) % 157680000')}, i, 1
       FROM ${series}`,
    );
    await query(
      m,
      `INSERT INTO meeting_fts (${postgres ? 'search_key' : 'rowid'}, text)
       SELECT search_key, '${FILLER}' || CASE WHEN search_key % 4 = 0 THEN 'helsinki' ELSE 'tampere' END
         || CASE WHEN search_key % 5000 = 1 THEN ' kummitusmaja' ELSE '' END
       FROM meeting`,
    );
    if (postgres)
      await query(m, `SELECT setval('meeting_search_key_seq', max(search_key)) FROM meeting`);
  });
  await db.transaction((m) => query(m, 'ANALYZE'));
}
