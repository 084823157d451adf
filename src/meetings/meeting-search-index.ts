import type { EntityManager } from 'typeorm';

/**
 * The free-text index of meetings: an FTS5 table with the trigram tokenizer, one row per live
 * meeting (rowid = meeting.search_key), holding the meeting's own searchable text and that of its
 * parties and agents. Trigrams find a word anywhere inside a word, as the search requires. Every
 * write that changes searchable text refreshes the rows it touches in the same transaction.
 */

// Bounds the IN (...) list of one statement.
const CHUNK = 500;

/** The whole searchable text of meeting `m`, one field a line; doorCode is never part of it. */
export const MEETING_DOCUMENT_SQL = `m.search_text
  || char(10) || coalesce((SELECT group_concat(p.search_text, char(10)) FROM meeting_party mp
       JOIN party p ON p.party_id = mp.party_id WHERE mp.meeting_id = m.meeting_id), '')
  || char(10) || coalesce((SELECT group_concat(a.search_text, char(10)) FROM meeting_agent ma
       JOIN agent a ON a.agent_id = ma.agent_id WHERE ma.meeting_id = m.meeting_id), '')`;

/** Writes the index rows of these meetings anew (live ones only). */
export async function refreshSearchIndex(
  manager: EntityManager,
  meetingIds: readonly string[],
): Promise<void> {
  for (let i = 0; i < meetingIds.length; i += CHUNK) {
    const chunk = meetingIds.slice(i, i + CHUNK);
    const marks = chunk.map(() => '?').join(', ');
    await manager.query(
      `DELETE FROM meeting_fts WHERE rowid IN (SELECT search_key FROM meeting WHERE meeting_id IN (${marks}))`,
      chunk,
    );
    await addToSearchIndex(manager, chunk);
  }
}

/** Writes the index rows of meetings that have none yet (new ones), at most CHUNK at a time. */
export async function addToSearchIndex(
  manager: EntityManager,
  meetingIds: readonly string[],
): Promise<void> {
  await manager.query(
    `INSERT INTO meeting_fts (rowid, text) SELECT m.search_key, ${MEETING_DOCUMENT_SQL}
     FROM meeting m WHERE m.meeting_id IN (${meetingIds.map(() => '?').join(', ')}) AND m.deleted_time IS NULL`,
    [...meetingIds],
  );
}

/** Refreshes the meetings that name any of these parties or agents (after a directory change). */
export async function refreshSearchIndexOfParticipants(
  manager: EntityManager,
  kind: 'party' | 'agent',
  ids: readonly string[],
): Promise<void> {
  if (ids.length === 0) return;
  const [table, column] =
    kind === 'party' ? ['meeting_party', 'party_id'] : ['meeting_agent', 'agent_id'];
  const meetingIds: string[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const rows: { meeting_id: string }[] = await manager.query(
      `SELECT DISTINCT meeting_id FROM ${table} WHERE ${column} IN (${chunk.map(() => '?').join(', ')})`,
      chunk,
    );
    meetingIds.push(...rows.map((r) => r.meeting_id));
  }
  await refreshSearchIndex(manager, [...new Set(meetingIds)]);
}

/** Removes a meeting from the index (it was deleted). */
export async function dropFromSearchIndex(
  manager: EntityManager,
  meetingId: string,
): Promise<void> {
  await manager.query(
    'DELETE FROM meeting_fts WHERE rowid = (SELECT search_key FROM meeting WHERE meeting_id = ?)',
    [meetingId],
  );
}

/** The FTS5 query of words a trigram index can look up: each quoted, all required. */
export function ftsQuery(words: readonly string[]): string {
  return words.map((w) => `"${w.replace(/"/g, '""')}"`).join(' AND ');
}

/** Trigrams index words of three characters or more; shorter ones are looked for in the text. */
export function isIndexableWord(word: string): boolean {
  return [...word].length >= 3;
}
