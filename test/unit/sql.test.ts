import { numberedPlaceholders } from '../../src/db/sql';
import { escapeLike, freeTextCondition } from '../../src/meetings/storage/meeting-search-index';

describe('numberedPlaceholders', () => {
  it('numbers ? in order for PostgreSQL', () => {
    expect(numberedPlaceholders('SELECT a FROM t WHERE b = ? AND c IN (?, ?) LIMIT ?')).toBe(
      'SELECT a FROM t WHERE b = $1 AND c IN ($2, $3) LIMIT $4',
    );
  });

  it('leaves ? inside quoted literals and identifiers alone', () => {
    expect(numberedPlaceholders(`SELECT '?', "a?b", 'it''s ?' FROM t WHERE x = ?`)).toBe(
      `SELECT '?', "a?b", 'it''s ?' FROM t WHERE x = $1`,
    );
  });
});

describe('free text on PostgreSQL', () => {
  it('escapes LIKE wildcards and the escape character itself', () => {
    expect(escapeLike('50%_off\\x')).toBe('50\\%\\_off\\\\x');
  });

  it('asks for every word as a substring of the indexed text', () => {
    const params: unknown[] = [];
    const sql = freeTextCondition(['sauna', '5%'], 'postgres', (v) => (params.push(v), '?'));
    expect(sql).toBe(
      'm.search_key IN (SELECT search_key FROM meeting_fts WHERE text LIKE ? AND text LIKE ?)',
    );
    expect(params).toEqual(['%sauna%', '%5\\%%']);
  });
});
