import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A committed write made under an Idempotency-Key: what a repeat of the request answers. */
@Entity({ name: 'idempotency_key' })
@Index('IDX_idempotency_key_expiry_time', ['expiryTime'])
export class IdempotencyKeyEntity {
  /** The caller (the token's subject): keys of different callers never meet. */
  @PrimaryColumn({ name: 'caller', type: 'varchar', length: 255 })
  caller!: string;

  @PrimaryColumn({ name: 'idempotency_key', type: 'varchar', length: 255 })
  idempotencyKey!: string;

  /** SHA-256 of the operation and its variables: a repeat must send the same. */
  @Column({ name: 'fingerprint', type: 'varchar', length: 64 })
  fingerprint!: string;

  /** The mutation field (createMeeting, ...). */
  @Column({ name: 'operation', type: 'varchar', length: 64 })
  operation!: string;

  /** JSON of what the write returned (ids), from which a repeat's answer is resolved. */
  @Column({ name: 'result', type: 'text' })
  result!: string;

  @Column({ name: 'creation_time', type: 'varchar', length: 24 })
  creationTime!: string;

  @Column({ name: 'expiry_time', type: 'varchar', length: 24 })
  expiryTime!: string;
}
