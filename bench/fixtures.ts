/** What the scenarios need from the generated data: ids to read and write, and a deep cursor. */
import BetterSqlite3 from 'better-sqlite3';
import { officeId } from './data';
import { CALLER_OFFICES, type Caller } from './scenarios';
import { decodeCursor, encodeCursor } from './limit-cursor';
import { post } from './servers';

export interface Fixtures {
  /** Live meetings. */
  total: number;
  /** Live meetings each caller sees. */
  visible: Record<Caller, number>;
  /** A waiting meeting of office 0, for the update scenario. */
  updatable: string;
  /** The meeting in the middle of the default sort as each caller sees it: the deep cursors. */
  middle: Record<Caller, { visit_time: string; meeting_id: string }>;
  /**
   * Waiting meetings, one per delete request, at most as many as asked for: the admin's outside the
   * office caller's offices; never the updatable one (an update after its delete would fail).
   */
  deletable: Record<Caller, string[]>;
  /** Two persons, the parties of the meetings the scenarios write. */
  people: string[];
  sqliteVersion: string;
}

/** Reads the fixtures from the data file, with up to `deletes` meetings to delete for each caller. */
export function readFixtures(dataFile: string, deletes: number): Fixtures {
  const data = new BetterSqlite3(dataFile, { readonly: true });
  try {
    const total = (
      data.prepare('SELECT count(*) AS n FROM meeting WHERE deleted_time IS NULL').get() as {
        n: number;
      }
    ).n;
    const updatable = (
      data
        .prepare(
          `SELECT meeting_id FROM meeting WHERE agency_office_id = ? AND status_code = 'WAITING' AND deleted_time IS NULL ORDER BY meeting_id LIMIT 1`,
        )
        .get(officeId(0)) as { meeting_id: string }
    ).meeting_id;
    const marks = CALLER_OFFICES.map(() => '?').join(', ');
    const officeCount = (
      data
        .prepare(
          `SELECT count(*) AS n FROM meeting WHERE deleted_time IS NULL AND agency_office_id IN (${marks})`,
        )
        .get(...CALLER_OFFICES) as { n: number }
    ).n;
    const middleOf = (scoped: boolean, n: number) =>
      data
        .prepare(
          `SELECT visit_time, meeting_id FROM meeting WHERE deleted_time IS NULL${scoped ? ` AND agency_office_id IN (${marks})` : ''} ORDER BY visit_time DESC, meeting_id DESC LIMIT 1 OFFSET ?`,
        )
        .get(...(scoped ? CALLER_OFFICES : []), Math.floor(n / 2)) as {
        visit_time: string;
        meeting_id: string;
      };
    const deletableOf = (scoped: boolean) =>
      (
        data
          .prepare(
            `SELECT meeting_id FROM meeting WHERE deleted_time IS NULL AND status_code = 'WAITING' AND meeting_id <> ? AND agency_office_id ${scoped ? '' : 'NOT '}IN (${marks}) ORDER BY meeting_id DESC LIMIT ?`,
          )
          .all(updatable, ...CALLER_OFFICES, deletes) as { meeting_id: string }[]
      ).map((r) => r.meeting_id);
    const middle = { admin: middleOf(false, total), office: middleOf(true, officeCount) };
    const deletable = { admin: deletableOf(false), office: deletableOf(true) };
    const people = (
      data
        .prepare(
          `SELECT party_id FROM party WHERE party_type_code = 'PERSON_PARTY' ORDER BY party_id LIMIT 2`,
        )
        .all() as { party_id: string }[]
    ).map((r) => r.party_id);
    const sqliteVersion = (data.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
    return {
      total,
      visible: { admin: total, office: officeCount },
      updatable,
      middle,
      deletable,
      people,
      sqliteVersion,
    };
  } finally {
    data.close();
  }
}

/**
 * A cursor of the default search at `middle`. The gateway gives out cursors only page by page (a
 * hundred meetings at most), so the bench writes this one itself: with the fingerprint of the
 * default search taken from a cursor the gateway returned, and the gateway's cursor layout. The
 * gateway checks it (checksum, fingerprint) when the deep cursor scenario is compared.
 */
export async function deepCursor(
  url: string,
  token: string,
  middle: Fixtures['middle'][Caller],
): Promise<string> {
  const res = await post(
    url,
    token,
    JSON.stringify({ query: '{ meetingsConnection(first: 1) { pageInfo { endCursor } } }' }),
  );
  const data = res.json.data as { meetingsConnection: { pageInfo: { endCursor: string } } };
  if (!data?.meetingsConnection.pageInfo.endCursor)
    throw new Error(`no cursor from the gateway: ${JSON.stringify(res.json)}`);
  const { fingerprint } = decodeCursor(data.meetingsConnection.pageInfo.endCursor);
  return encodeCursor([middle.visit_time, middle.meeting_id], fingerprint);
}
