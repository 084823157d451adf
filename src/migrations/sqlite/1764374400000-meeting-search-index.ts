import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Free text through an FTS5 trigram index. Meetings get an integer `search_key` (the index's rowid:
 * a table with a text primary key has no stable rowid of its own), and the index is filled from
 * the stored meetings.
 */
export class MeetingSearchIndex1764374400000 implements MigrationInterface {
  name = 'MeetingSearchIndex1764374400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "meeting" ADD COLUMN "search_key" integer`);
    await queryRunner.query(`UPDATE "meeting" SET "search_key" = rowid`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_meeting_search_key" ON "meeting" ("search_key") `,
    );
    await queryRunner.query(
      `CREATE VIRTUAL TABLE "meeting_fts" USING fts5(text, tokenize = 'trigram')`,
    );
    // A meeting's indexed text as this migration defines it: its own text, then its parties' and
    // agents' (the live definition, meetingDocumentSql, may change; this stays as it landed).
    await queryRunner.query(
      `INSERT INTO meeting_fts (rowid, text) SELECT m.search_key, m.search_text
       || char(10) || coalesce((SELECT group_concat(p.search_text, char(10)) FROM meeting_party mp
            JOIN party p ON p.party_id = mp.party_id WHERE mp.meeting_id = m.meeting_id), '')
       || char(10) || coalesce((SELECT group_concat(a.search_text, char(10)) FROM meeting_agent ma
            JOIN agent a ON a.agent_id = ma.agent_id WHERE ma.meeting_id = m.meeting_id), '')
       FROM meeting m WHERE m.deleted_time IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "meeting_fts"`);
    await queryRunner.query(`DROP INDEX "IDX_meeting_search_key"`);
    await queryRunner.query(`ALTER TABLE "meeting" DROP COLUMN "search_key"`);
  }
}
