import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Writes that are safe to retry: a version on each meeting (1 for the meetings stored so far), the
 * idempotency keys of committed writes, and the table the readiness check writes its probe into.
 */
export class WriteSafety1764460800000 implements MigrationInterface {
  name = 'WriteSafety1764460800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "meeting" ADD COLUMN "version" integer NOT NULL DEFAULT (1)`,
    );
    await queryRunner.query(
      `CREATE TABLE "idempotency_key" ("caller" varchar(255) NOT NULL, "idempotency_key" varchar(255) NOT NULL, "fingerprint" varchar(64) NOT NULL, "operation" varchar(64) NOT NULL, "result" text NOT NULL, "creation_time" varchar(24) NOT NULL, "expiry_time" varchar(24) NOT NULL, PRIMARY KEY ("caller", "idempotency_key"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_idempotency_key_expiry_time" ON "idempotency_key" ("expiry_time") `,
    );
    await queryRunner.query(
      `CREATE TABLE "health_probe" ("probe_id" varchar(36) PRIMARY KEY NOT NULL, "data" text NOT NULL)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "health_probe"`);
    await queryRunner.query(`DROP INDEX "IDX_idempotency_key_expiry_time"`);
    await queryRunner.query(`DROP TABLE "idempotency_key"`);
    await queryRunner.query(`ALTER TABLE "meeting" DROP COLUMN "version"`);
  }
}
