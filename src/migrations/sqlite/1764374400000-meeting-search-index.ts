import type { MigrationInterface, QueryRunner } from 'typeorm';
import { meetingDocumentSql } from '../../meetings/meeting-search-index';

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
    await queryRunner.query(
      `INSERT INTO meeting_fts (rowid, text) SELECT m.search_key, ${meetingDocumentSql('sqlite')}
       FROM meeting m WHERE m.deleted_time IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "meeting_fts"`);
    await queryRunner.query(`DROP INDEX "IDX_meeting_search_key"`);
    await queryRunner.query(`ALTER TABLE "meeting" DROP COLUMN "search_key"`);
  }
}
