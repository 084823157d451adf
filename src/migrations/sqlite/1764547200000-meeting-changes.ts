import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The change feed's outbox: one row per create, update and delete of a meeting. */
export class MeetingChanges1764547200000 implements MigrationInterface {
  name = 'MeetingChanges1764547200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "meeting_change" ("change_id" integer PRIMARY KEY NOT NULL, "xact" integer NOT NULL, "meeting_id" varchar(36) NOT NULL, "op" varchar(32) NOT NULL, "agency_office_id" varchar(36) NOT NULL, "previous_office_id" varchar(36), "version" integer NOT NULL, "changed_at" varchar(24) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_meeting_change_position" ON "meeting_change" ("xact", "change_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_meeting_change_changed_at" ON "meeting_change" ("changed_at") `,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_meeting_change_changed_at"`);
    await queryRunner.query(`DROP INDEX "IDX_meeting_change_position"`);
    await queryRunner.query(`DROP TABLE "meeting_change"`);
  }
}
