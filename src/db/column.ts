import type { EntitySchemaColumnOptions } from 'typeorm';
import type { Dialect } from './sql';

/**
 * The column kinds of the table declarations (table.ts): what each stores on each dialect, as the
 * migrations make it, and how its values are bound and read back.
 */

/** How a column is stored, independent of the dialect; `physical` gives each dialect's type. */
export type Kind =
  | { type: 'varchar'; length: number; codePointOrder: boolean }
  | { type: 'text' }
  | { type: 'time' }
  | { type: 'integer' }
  | { type: 'bigint' }
  | { type: 'double' }
  | { type: 'serial' };

/** One column: its kind, nullability, place in the primary key and default. T is its record value. */
export class Column<T> {
  /** Type-level only: the value a record holds for this column. */
  declare readonly value: T;

  constructor(
    readonly kind: Kind,
    readonly isNullable = false,
    readonly isPrimary = false,
    readonly defaultValue: number | undefined = undefined,
  ) {}

  nullable(): Column<T | null> {
    return new Column<T | null>(this.kind, true, this.isPrimary, this.defaultValue);
  }

  /** Part of the primary key (several columns make a composite key, in declaration order). */
  primary(): Column<T> {
    return new Column<T>(this.kind, this.isNullable, true, this.defaultValue);
  }

  default(value: number): Column<T> {
    return new Column<T>(this.kind, this.isNullable, this.isPrimary, value);
  }
}

const varchar = <T extends string>(length: number, codePointOrder: boolean) =>
  new Column<T>({ type: 'varchar', length, codePointOrder });

/** The column kinds of the gateway's tables. */
export const column = {
  /**
   * Text of at most `length` characters compared in code point order (sorts, keyset cursors and
   * keys behave as on SQLite): COLLATE "C" on PostgreSQL.
   */
  ordered: <T extends string = string>(length: number) => varchar<T>(length, true),
  /** A UUID, in code point order. */
  id: () => varchar<string>(36, true),
  /** A code of an enumeration, in code point order. */
  code: <T extends string = string>() => varchar<T>(32, true),
  /** Text of at most `length` characters, in the database's collation. */
  varchar: <T extends string = string>(length: number) => varchar<T>(length, false),
  text: () => new Column<string>({ type: 'text' }),
  /** A time with milliseconds: ISO-8601 UTC text on SQLite (its text order is its time order), timestamptz(3) on PostgreSQL. */
  time: () => new Column<Date>({ type: 'time' }),
  integer: () => new Column<number>({ type: 'integer' }),
  /** A 64-bit whole number: bigint on PostgreSQL, integer (which is 64-bit) on SQLite. */
  bigint: () => new Column<number>({ type: 'bigint' }),
  double: () => new Column<number>({ type: 'double' }),
  /**
   * A key numbered by the database: integer on SQLite (the writer computes it), bigint on
   * PostgreSQL with the default nextval('<table>_<column>_seq').
   */
  serial: () => new Column<number>({ type: 'serial' }),
};

/** A value as a statement binds it: times as ISO-8601 text (both dialects read it). */
export function toStored(value: unknown): unknown {
  if (value === undefined) return null;
  return value instanceof Date ? value.toISOString() : value;
}

/** A value as the database gives it, as a record holds it. */
export function fromStored(kind: Kind, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (kind.type) {
    case 'time':
      // ISO-8601 text on SQLite, a Date (timestamptz) on PostgreSQL.
      return new Date(value as string | Date);
    case 'integer':
    case 'bigint':
    case 'serial':
      // PostgreSQL's bigint arrives as text.
      return Number(value);
    default:
      return value;
  }
}

/** The TypeORM column of a declared column on a dialect. */
export function entityColumn(
  name: string,
  column: Column<unknown>,
  dialect: Dialect,
): EntitySchemaColumnOptions {
  return {
    name,
    primary: column.isPrimary,
    nullable: column.isNullable,
    ...(column.defaultValue === undefined ? {} : { default: column.defaultValue }),
    ...physical(column.kind, dialect),
  };
}

/** The type of a column kind on a dialect, as its migrations make it. */
function physical(kind: Kind, dialect: Dialect): EntitySchemaColumnOptions {
  const postgres = dialect === 'postgres';
  switch (kind.type) {
    case 'varchar':
      return {
        type: 'varchar',
        length: kind.length,
        ...(postgres && kind.codePointOrder ? { collation: 'C' } : {}),
      };
    case 'text':
      return { type: 'text' };
    case 'time':
      return postgres ? { type: 'timestamptz', precision: 3 } : { type: 'varchar', length: 24 };
    case 'integer':
      return { type: 'integer' };
    case 'bigint':
      return postgres ? { type: 'bigint' } : { type: 'integer' };
    case 'double':
      return { type: 'double precision' };
    case 'serial':
      // TypeORM reads a default of nextval('<table>_<column>_seq') back as a generated column.
      return postgres ? { type: 'bigint', generated: 'increment' } : { type: 'integer' };
  }
}
