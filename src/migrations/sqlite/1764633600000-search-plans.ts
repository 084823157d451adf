import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The best plan for each search: indexes of a sort on a code alone (the code, then meetingId), a
 * covering index of what agents run (their offices with status, type and source over visit time),
 * and meeting_tally, the number of live meetings of each office, status, type and source, which a
 * count filtered on those alone sums instead of counting rows.
 * Triggers keep the tally in the transaction of every write of meeting, whoever writes it (the
 * gateway, a bulk load, a restore); it starts from the meetings stored now.
 */
export class SearchPlans1764633600000 implements MigrationInterface {
  name = 'SearchPlans1764633600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "meeting_tally" ("agency_office_id" varchar(36) NOT NULL, "status_code" varchar(32) NOT NULL, "type_code" varchar(32) NOT NULL, "source_type_code" varchar(32) NOT NULL, "live_count" integer NOT NULL, PRIMARY KEY ("agency_office_id", "status_code", "type_code", "source_type_code"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_meeting_office_status_type" ON "meeting" ("agency_office_id", "status_code", "type_code", "visit_time", "meeting_id", "source_type_code", "deleted_time") WHERE deleted_time IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_meeting_status_order" ON "meeting" ("status_code", "meeting_id") WHERE deleted_time IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_meeting_type_order" ON "meeting" ("type_code", "meeting_id") WHERE deleted_time IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_meeting_source_order" ON "meeting" ("source_type_code", "meeting_id") WHERE deleted_time IS NULL`,
    );
    // The visit-time and office indexes carry the search key (and deleted_time, for SQLite to
    // take them as covering): a walk of free text reads no meeting row.
    for (const [name, columns] of [
      ['IDX_meeting_visit_time', '"visit_time", "meeting_id", "search_key", "deleted_time"'],
      [
        'IDX_meeting_office',
        '"agency_office_id", "visit_time", "meeting_id", "search_key", "deleted_time"',
      ],
    ]) {
      await queryRunner.query(`DROP INDEX "${name}"`);
      await queryRunner.query(
        `CREATE INDEX "${name}" ON "meeting" (${columns}) WHERE deleted_time IS NULL`,
      );
    }
    await queryRunner.query(
      `INSERT INTO "meeting_tally" ("agency_office_id", "status_code", "type_code", "source_type_code", "live_count")
       SELECT agency_office_id, status_code, type_code, source_type_code, count(*) FROM "meeting"
       WHERE deleted_time IS NULL GROUP BY agency_office_id, status_code, type_code, source_type_code`,
    );
    const add = (
      row: 'NEW',
    ) => `INSERT INTO "meeting_tally" ("agency_office_id", "status_code", "type_code", "source_type_code", "live_count")
        SELECT ${row}.agency_office_id, ${row}.status_code, ${row}.type_code, ${row}.source_type_code, 1
        WHERE ${row}.deleted_time IS NULL
        ON CONFLICT ("agency_office_id", "status_code", "type_code", "source_type_code")
        DO UPDATE SET "live_count" = "live_count" + 1;`;
    const remove = (row: 'OLD') => `UPDATE "meeting_tally" SET "live_count" = "live_count" - 1
        WHERE ${row}.deleted_time IS NULL AND "agency_office_id" = ${row}.agency_office_id
          AND "status_code" = ${row}.status_code AND "type_code" = ${row}.type_code
          AND "source_type_code" = ${row}.source_type_code;`;
    await queryRunner.query(
      `CREATE TRIGGER "TRG_meeting_tally_insert" AFTER INSERT ON "meeting" BEGIN ${add('NEW')} END`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "TRG_meeting_tally_update"
       AFTER UPDATE OF agency_office_id, status_code, type_code, source_type_code, deleted_time ON "meeting"
       WHEN OLD.agency_office_id IS NOT NEW.agency_office_id OR OLD.status_code IS NOT NEW.status_code
         OR OLD.type_code IS NOT NEW.type_code OR OLD.source_type_code IS NOT NEW.source_type_code
         OR (OLD.deleted_time IS NULL) <> (NEW.deleted_time IS NULL)
       BEGIN ${remove('OLD')} ${add('NEW')} END`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "TRG_meeting_tally_delete" AFTER DELETE ON "meeting" BEGIN ${remove('OLD')} END`,
    );
    // A database whose statistics were taken (ANALYZE) gets those of the new index too; one that
    // has none is left to the planner's defaults, as before.
    const analyzed: unknown[] = await queryRunner.query(
      `SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'`,
    );
    if (analyzed.length > 0) await queryRunner.query(`ANALYZE "meeting"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "TRG_meeting_tally_delete"`);
    await queryRunner.query(`DROP TRIGGER "TRG_meeting_tally_update"`);
    await queryRunner.query(`DROP TRIGGER "TRG_meeting_tally_insert"`);
    for (const [name, columns] of [
      ['IDX_meeting_visit_time', '"visit_time", "meeting_id"'],
      ['IDX_meeting_office', '"agency_office_id", "visit_time", "meeting_id"'],
    ]) {
      await queryRunner.query(`DROP INDEX "${name}"`);
      await queryRunner.query(
        `CREATE INDEX "${name}" ON "meeting" (${columns}) WHERE deleted_time IS NULL`,
      );
    }
    await queryRunner.query(`DROP INDEX "IDX_meeting_office_status_type"`);
    await queryRunner.query(`DROP INDEX "IDX_meeting_source_order"`);
    await queryRunner.query(`DROP INDEX "IDX_meeting_type_order"`);
    await queryRunner.query(`DROP INDEX "IDX_meeting_status_order"`);
    await queryRunner.query(`DROP TABLE "meeting_tally"`);
  }
}
