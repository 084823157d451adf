import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The directory (party, agent), meetings and their parties and agents, with search indexes. */
export class Initial1764288000000 implements MigrationInterface {
  name = 'Initial1764288000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "agent" ("agent_id" varchar(36) PRIMARY KEY NOT NULL, "first_name" varchar(255) NOT NULL, "last_name" varchar(255) NOT NULL, "search_text" text NOT NULL, "creation_time" varchar(24) NOT NULL, "modification_time" varchar(24) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE TABLE "party" ("party_id" varchar(36) PRIMARY KEY NOT NULL, "party_type_code" varchar(32) NOT NULL, "party_name" varchar(255) NOT NULL, "email_address" varchar(255), "phone_number" varchar(64), "search_text" text NOT NULL, "creation_time" varchar(24) NOT NULL, "modification_time" varchar(24) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE TABLE "meeting" ("meeting_id" varchar(36) PRIMARY KEY NOT NULL, "type_code" varchar(32) NOT NULL, "status_code" varchar(32) NOT NULL, "realty_id" varchar(36), "visit_time" varchar(24) NOT NULL, "agency_office_id" varchar(36) NOT NULL, "source_type_code" varchar(32) NOT NULL, "realty" text NOT NULL, "door_code" varchar(255), "price_estimate_value" double precision, "price_estimate_currency_code" varchar(3), "notes" text, "created_by_name" varchar(255), "search_text" text NOT NULL, "creation_time" varchar(24) NOT NULL, "modification_time" varchar(24) NOT NULL, "deleted_time" varchar(24))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_meeting_deleted_time" ON "meeting" ("deleted_time", "meeting_id") WHERE deleted_time IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_meeting_office" ON "meeting" ("agency_office_id", "visit_time", "meeting_id") WHERE deleted_time IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_meeting_source" ON "meeting" ("source_type_code", "visit_time", "meeting_id") WHERE deleted_time IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_meeting_type" ON "meeting" ("type_code", "visit_time", "meeting_id") WHERE deleted_time IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_meeting_status" ON "meeting" ("status_code", "visit_time", "meeting_id") WHERE deleted_time IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_meeting_modification_time" ON "meeting" ("modification_time", "meeting_id") WHERE deleted_time IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_meeting_creation_time" ON "meeting" ("creation_time", "meeting_id") WHERE deleted_time IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_meeting_visit_time" ON "meeting" ("visit_time", "meeting_id") WHERE deleted_time IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "meeting_agent" ("meeting_id" varchar(36) NOT NULL, "position" integer NOT NULL, "agent_id" varchar(36) NOT NULL, CONSTRAINT "FK_b22254d170d5ccb1cd06ade148e" FOREIGN KEY ("meeting_id") REFERENCES "meeting" ("meeting_id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_7d347d4b4070d618d911e5af9b4" FOREIGN KEY ("agent_id") REFERENCES "agent" ("agent_id") ON DELETE RESTRICT ON UPDATE NO ACTION, PRIMARY KEY ("meeting_id", "position"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_meeting_agent_agent" ON "meeting_agent" ("agent_id", "meeting_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "meeting_party" ("meeting_id" varchar(36) NOT NULL, "position" integer NOT NULL, "party_id" varchar(36) NOT NULL, "party_type_code" varchar(32) NOT NULL, CONSTRAINT "FK_d2672e34c81f3396b33e34b80ee" FOREIGN KEY ("meeting_id") REFERENCES "meeting" ("meeting_id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_c2fcf1e08fe75b8beb3cb61a844" FOREIGN KEY ("party_id") REFERENCES "party" ("party_id") ON DELETE RESTRICT ON UPDATE NO ACTION, PRIMARY KEY ("meeting_id", "position"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_meeting_party_party" ON "meeting_party" ("party_id", "meeting_id") `,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "meeting_party"`);
    await queryRunner.query(`DROP TABLE "meeting_agent"`);
    await queryRunner.query(`DROP TABLE "meeting"`);
    await queryRunner.query(`DROP TABLE "party"`);
    await queryRunner.query(`DROP TABLE "agent"`);
  }
}
