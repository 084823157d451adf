import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Writes that are safe to retry: the PostgreSQL counterpart of the SQLite migration of the same
 * name (meeting versions, idempotency keys, the readiness check's probe table).
 */
export class WriteSafety1764460800000 implements MigrationInterface {
  name = 'WriteSafety1764460800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "meeting" ADD COLUMN "version" integer NOT NULL DEFAULT 1`,
    );
    await queryRunner.query(
      `CREATE TABLE "idempotency_key" ("caller" varchar(255) COLLATE "C" NOT NULL, "idempotency_key" varchar(255) COLLATE "C" NOT NULL, "fingerprint" varchar(64) NOT NULL, "operation" varchar(64) NOT NULL, "result" text NOT NULL, "creation_time" timestamptz(3) NOT NULL, "expiry_time" timestamptz(3) NOT NULL, PRIMARY KEY ("caller", "idempotency_key"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_idempotency_key_expiry_time" ON "idempotency_key" ("expiry_time")`,
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
