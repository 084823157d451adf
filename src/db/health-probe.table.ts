import { column } from './column';
import { Table } from './table';

/**
 * Where the readiness check commits (and removes) a row to find out whether writes are taken
 * (database.ts writes it). Its id is never sorted: the database's own collation.
 */
export const healthProbeTable = new Table({
  name: 'health_probe',
  columns: {
    probeId: column.varchar(36).primary(),
    data: column.text(),
  },
});
