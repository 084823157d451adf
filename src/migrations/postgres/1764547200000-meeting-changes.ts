import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The change feed's outbox: the PostgreSQL counterpart of the SQLite migration of the same name.
 * `xact` holds the writing transaction's id (pg_current_xact_id), which readers compare with the
 * oldest running transaction.
 */
export class MeetingChanges1764547200000 implements MigrationInterface {
  name = 'MeetingChanges1764547200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "meeting_change" ("change_id" BIGSERIAL PRIMARY KEY NOT NULL, "xact" bigint NOT NULL, "meeting_id" varchar(36) COLLATE "C" NOT NULL, "op" varchar(32) COLLATE "C" NOT NULL, "agency_office_id" varchar(36) COLLATE "C" NOT NULL, "previous_office_id" varchar(36) COLLATE "C", "version" integer NOT NULL, "changed_at" timestamptz(3) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_meeting_change_position" ON "meeting_change" ("xact", "change_id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_meeting_change_changed_at" ON "meeting_change" ("changed_at")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_meeting_change_changed_at"`);
    await queryRunner.query(`DROP INDEX "IDX_meeting_change_position"`);
    await queryRunner.query(`DROP TABLE "meeting_change"`);
  }
}
