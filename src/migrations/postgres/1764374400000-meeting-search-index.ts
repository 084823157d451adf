import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Free text through a pg_trgm GIN index: the PostgreSQL counterpart of the SQLite migration of the
 * same name. Meetings get a `search_key` from a sequence (concurrent inserts of several gateway
 * instances never collide), and `meeting_fts` holds one row of lower-cased text per live meeting,
 * filled from the stored meetings. pg_trgm's GIN index serves LIKE '%word%' (substring, as the
 * search requires); a tsvector would match whole words and prefixes only.
 */
export class MeetingSearchIndex1764374400000 implements MigrationInterface {
  name = 'MeetingSearchIndex1764374400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(`ALTER TABLE "meeting" ADD COLUMN "search_key" bigint`);
    await queryRunner.query(
      `CREATE SEQUENCE "meeting_search_key_seq" OWNED BY "meeting"."search_key"`,
    );
    await queryRunner.query(
      `UPDATE "meeting" SET "search_key" = nextval('meeting_search_key_seq')`,
    );
    await queryRunner.query(
      `ALTER TABLE "meeting" ALTER COLUMN "search_key" SET DEFAULT nextval('meeting_search_key_seq')`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_meeting_search_key" ON "meeting" ("search_key")`,
    );
    await queryRunner.query(
      `CREATE TABLE "meeting_fts" ("search_key" bigint PRIMARY KEY NOT NULL, "text" text NOT NULL)`,
    );
    // Statistics first, so that each meeting's parties and agents are found through the indexes.
    await queryRunner.query(
      `ANALYZE "meeting", "meeting_party", "meeting_agent", "party", "agent"`,
    );
    // A meeting's indexed text as this migration defines it: its own text, then its parties' and
    // agents' (the live definition, meetingDocumentSql, may change; this stays as it landed).
    await queryRunner.query(
      `INSERT INTO meeting_fts (search_key, text) SELECT m.search_key, m.search_text
       || chr(10) || coalesce((SELECT string_agg(p.search_text, chr(10)) FROM meeting_party mp
            JOIN party p ON p.party_id = mp.party_id WHERE mp.meeting_id = m.meeting_id), '')
       || chr(10) || coalesce((SELECT string_agg(a.search_text, chr(10)) FROM meeting_agent ma
            JOIN agent a ON a.agent_id = ma.agent_id WHERE ma.meeting_id = m.meeting_id), '')
       FROM meeting m WHERE m.deleted_time IS NULL`,
    );
    // Built once over the filled table: much faster than growing it row by row.
    await queryRunner.query(
      `CREATE INDEX "IDX_meeting_fts_text" ON "meeting_fts" USING gin ("text" gin_trgm_ops)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "meeting_fts"`);
    await queryRunner.query(`DROP INDEX "IDX_meeting_search_key"`);
    await queryRunner.query(`ALTER TABLE "meeting" DROP COLUMN "search_key"`);
  }
}
