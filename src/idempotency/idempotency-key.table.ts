import { column } from '../db/column';
import { Table } from '../db/table';

/** A committed write made under an Idempotency-Key: what a repeat of the request answers. */
export const idempotencyKeyTable = new Table({
  name: 'idempotency_key',
  columns: {
    /** The caller (the token's subject): keys of different callers never meet. */
    caller: column.ordered(255).primary(),
    idempotencyKey: column.ordered(255).primary(),
    /** SHA-256 of the operation and its variables: a repeat must send the same. */
    fingerprint: column.varchar(64),
    /** The mutation field (createMeeting, ...). */
    operation: column.varchar(64),
    /** JSON of what the write returned (ids), from which a repeat's answer is resolved. */
    result: column.text(),
    creationTime: column.time(),
    expiryTime: column.time(),
  },
  indices: [{ name: 'IDX_idempotency_key_expiry_time', columns: ['expiryTime'] }],
});
