import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The best plan for each search: the PostgreSQL counterpart of the SQLite migration of the same
 * name (indexes of code sorts and of agents' searches, meeting_tally kept by a trigger). A write that
 * moves a meeting between two tally rows changes them in key order, so that two moves the other
 * way round wait for each other instead of deadlocking. Statistics are taken anew at the end.
 */
export class SearchPlans1764633600000 implements MigrationInterface {
  name = 'SearchPlans1764633600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "meeting_tally" ("agency_office_id" varchar(36) COLLATE "C" NOT NULL, "status_code" varchar(32) COLLATE "C" NOT NULL, "type_code" varchar(32) COLLATE "C" NOT NULL, "source_type_code" varchar(32) COLLATE "C" NOT NULL, "live_count" integer NOT NULL, CONSTRAINT "PK_8836ba1562822d4e449aa4ebbd9" PRIMARY KEY ("agency_office_id", "status_code", "type_code", "source_type_code"))`,
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
    await queryRunner.query(
      `CREATE FUNCTION "meeting_tally_add"(office varchar, status varchar, type varchar, source varchar, delta integer)
       RETURNS void LANGUAGE sql AS $$
         INSERT INTO "meeting_tally" ("agency_office_id", "status_code", "type_code", "source_type_code", "live_count")
         VALUES (office, status, type, source, delta)
         ON CONFLICT ("agency_office_id", "status_code", "type_code", "source_type_code")
         DO UPDATE SET "live_count" = "meeting_tally"."live_count" + delta
       $$`,
    );
    await queryRunner.query(
      `CREATE FUNCTION "meeting_tally_keep"() RETURNS trigger LANGUAGE plpgsql AS $$
       DECLARE
         was_live boolean := false;
         is_live boolean := false;
       BEGIN
         IF TG_OP <> 'INSERT' THEN was_live := OLD.deleted_time IS NULL; END IF;
         IF TG_OP <> 'DELETE' THEN is_live := NEW.deleted_time IS NULL; END IF;
         IF was_live AND is_live THEN
           IF (OLD.agency_office_id, OLD.status_code, OLD.type_code, OLD.source_type_code)
              = (NEW.agency_office_id, NEW.status_code, NEW.type_code, NEW.source_type_code) THEN
             RETURN NULL;
           END IF;
           IF (NEW.agency_office_id, NEW.status_code, NEW.type_code, NEW.source_type_code)
              < (OLD.agency_office_id, OLD.status_code, OLD.type_code, OLD.source_type_code) THEN
             PERFORM "meeting_tally_add"(NEW.agency_office_id, NEW.status_code, NEW.type_code, NEW.source_type_code, 1);
             PERFORM "meeting_tally_add"(OLD.agency_office_id, OLD.status_code, OLD.type_code, OLD.source_type_code, -1);
             RETURN NULL;
           END IF;
         END IF;
         IF was_live THEN
           PERFORM "meeting_tally_add"(OLD.agency_office_id, OLD.status_code, OLD.type_code, OLD.source_type_code, -1);
         END IF;
         IF is_live THEN
           PERFORM "meeting_tally_add"(NEW.agency_office_id, NEW.status_code, NEW.type_code, NEW.source_type_code, 1);
         END IF;
         RETURN NULL;
       END $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "TRG_meeting_tally" AFTER INSERT OR DELETE OR UPDATE OF agency_office_id, status_code, type_code, source_type_code, deleted_time
       ON "meeting" FOR EACH ROW EXECUTE FUNCTION "meeting_tally_keep"()`,
    );
    await queryRunner.query(`ANALYZE "meeting", "meeting_tally"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "TRG_meeting_tally" ON "meeting"`);
    await queryRunner.query(`DROP FUNCTION "meeting_tally_keep"()`);
    await queryRunner.query(
      `DROP FUNCTION "meeting_tally_add"(varchar, varchar, varchar, varchar, integer)`,
    );
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
