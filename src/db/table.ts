import { EntitySchema } from 'typeorm';
import { type Column, entityColumn, fromStored, toStored } from './column';
import type { Dialect, SqlFragment } from './sql';

/**
 * The storage shape of a table, declared once: its columns (by property, the column name is the
 * property in snake_case), primary key, indices and references. From it come the TypeORM entity of
 * each dialect (which the migrations must match: the drift tests check it), the column lists of
 * statements, the record type, and the conversion of values to and from what the database holds.
 *
 * A record holds a row's values as the gateway uses them: times as Dates, keys as numbers, on every
 * dialect. What a dialect stores (ISO-8601 text or timestamptz, integer or bigint) stays here.
 */

export type Columns = Record<string, Column<unknown>>;

/** The record of a table: each property's value. */
export type RecordOf<C extends Columns> = { [K in keyof C]: C[K]['value'] };

/** The record type of a declared table. */
export type TableRecord<T> = T extends Table<infer C> ? RecordOf<C> : never;

/** Properties a new row may leave out: the nullable ones (NULL when left out). */
type OptionalOnInsert<C extends Columns> = {
  [K in keyof C]: null extends C[K]['value'] ? K : never;
}[keyof C];

/** What an INSERT needs: every property but the nullable ones (a default is written out too). */
export type NewRecord<C extends Columns> = Omit<RecordOf<C>, OptionalOnInsert<C>> &
  Partial<Pick<RecordOf<C>, OptionalOnInsert<C>>>;

export interface TableIndex<P extends string> {
  name: string;
  columns: readonly P[];
  unique?: boolean;
  /** A partial index's condition, in SQL both dialects read alike. */
  where?: string;
}

/** A foreign key to another table's primary key; the table by name, so modules need not import each other. */
export interface TableReference<P extends string> {
  columns: readonly P[];
  table: string;
  onDelete: 'CASCADE' | 'RESTRICT';
}

export interface TableDeclaration<C extends Columns> {
  name: string;
  columns: C;
  indices?: readonly TableIndex<keyof C & string>[];
  references?: readonly TableReference<keyof C & string>[];
}

/** A database row as the driver gives it: values by column name. */
export type Row = Record<string, unknown>;

export function snakeCase(property: string): string {
  return property.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** A declared table; see the top of this file. */
export class Table<C extends Columns> {
  readonly name: string;
  readonly columns: C;
  /** The column name of each property. */
  readonly columnName: { readonly [K in keyof C]: string };
  /** Every column, in declaration order. */
  readonly all: Selection<C, keyof C & string>;
  private readonly entities = new Map<Dialect, EntitySchema>();

  constructor(private readonly declaration: TableDeclaration<C>) {
    this.name = declaration.name;
    this.columns = declaration.columns;
    this.columnName = Object.fromEntries(
      Object.keys(declaration.columns).map((p) => [p, snakeCase(p)]),
    ) as { [K in keyof C]: string };
    this.all = new Selection(this, Object.keys(declaration.columns) as (keyof C & string)[]);
  }

  /** These properties' columns. */
  pick<P extends keyof C & string>(...properties: P[]): Selection<C, P> {
    return new Selection(this, properties);
  }

  /** Every column but these. */
  omit<P extends keyof C & string>(...properties: P[]): Selection<C, Exclude<keyof C & string, P>> {
    const left = this.all.properties.filter((p) => !(properties as string[]).includes(p));
    return new Selection(this, left as Exclude<keyof C & string, P>[]);
  }

  /**
   * `INSERT INTO table (columns) VALUES (...), (...)`: the declared columns any record has (NULL
   * where another leaves one out; other properties are no columns and are ignored), then those of
   * `expressions`, whose SQL is the same for every row (as DEFAULT).
   */
  insert(
    records: readonly NewRecord<C>[],
    expressions: { [K in keyof C]?: string } = {},
  ): SqlFragment {
    const extra = Object.entries(expressions) as [keyof C & string, string][];
    const properties = this.all.properties.filter(
      (p) => !(p in expressions) && records.some((r) => p in r),
    );
    const names = [...properties, ...extra.map(([p]) => p)].map((p) => this.columnName[p]);
    const tuple = `(${[...properties.map(() => '?'), ...extra.map(([, sql]) => sql)].join(', ')})`;
    return {
      sql: `INSERT INTO ${this.name} (${names.join(', ')}) VALUES ${records.map(() => tuple).join(', ')}`,
      params: records.flatMap((r) => this.write(r, properties)),
    };
  }

  /** ` ON CONFLICT (keys) DO UPDATE SET` every column of `properties` to the proposed row's value. */
  onConflictUpdate(keys: readonly (keyof C & string)[], properties: readonly (keyof C & string)[]) {
    const set = properties.map((p) => `${this.columnName[p]} = excluded.${this.columnName[p]}`);
    return ` ON CONFLICT (${keys.map((k) => this.columnName[k]).join(', ')}) DO UPDATE SET ${set.join(', ')}`;
  }

  /**
   * The value of a serial column in a new row, for `insert`'s expressions: the column's sequence on
   * PostgreSQL (concurrent writers never collide), one more than the largest on SQLite (its writers
   * run one at a time).
   */
  nextSerial(property: keyof C & string, dialect: Dialect): string {
    const name = this.columnName[property];
    return dialect === 'postgres'
      ? 'DEFAULT'
      : `(SELECT coalesce(max(${name}), 0) + 1 FROM ${this.name})`;
  }

  /** `column = ?, ...` of an UPDATE's SET, for each property of `values`. */
  assignments(values: Partial<RecordOf<C>>): SqlFragment {
    const properties = Object.keys(values) as (keyof C & string)[];
    return this.pick(...properties).assignments(values as Pick<RecordOf<C>, keyof C & string>);
  }

  /** The stored values of these properties of a record, in their order. */
  write(record: object, properties: readonly (keyof C & string)[]): unknown[] {
    const values = record as Partial<RecordOf<C>>;
    return properties.map((p) => toStored(values[p]));
  }

  /** The TypeORM entity of this table on `dialect`: what its migrations make. */
  entity(dialect: Dialect): EntitySchema {
    let entity = this.entities.get(dialect);
    if (!entity) {
      entity = this.buildEntity(dialect);
      this.entities.set(dialect, entity);
    }
    return entity;
  }

  private buildEntity(dialect: Dialect): EntitySchema {
    const { indices = [], references = [] } = this.declaration;
    return new EntitySchema<Record<string, unknown>>({
      name: this.name,
      tableName: this.name,
      columns: Object.fromEntries(
        Object.entries(this.columns).map(([p, c]) => [
          p,
          entityColumn(this.columnName[p], c, dialect),
        ]),
      ),
      indices: indices.map((i) => ({
        name: i.name,
        columns: [...i.columns],
        unique: i.unique ?? false,
        where: i.where,
      })),
      foreignKeys: references.map((r) => ({
        target: r.table,
        columnNames: [...r.columns],
        referencedColumnNames: [],
        onDelete: r.onDelete,
        onUpdate: 'NO ACTION',
      })),
    });
  }
}

/** Some columns of a table, as a SELECT list and as the record read from a row. */
export class Selection<C extends Columns, P extends keyof C & string> {
  constructor(
    readonly table: Table<C>,
    readonly properties: readonly P[],
  ) {}

  /** `alias.column, ...` (or bare column names without an alias). */
  sql(alias?: string): string {
    const prefix = alias ? `${alias}.` : '';
    return this.properties.map((p) => `${prefix}${this.table.columnName[p]}`).join(', ');
  }

  /** `column = ?, ...` of an UPDATE's SET: these columns to the record's values. */
  assignments(record: Pick<RecordOf<C>, P>): SqlFragment {
    return {
      sql: this.properties.map((p) => `${this.table.columnName[p]} = ?`).join(', '),
      params: this.table.write(record, this.properties),
    };
  }

  /** The record of a row that has these columns (under their own names); `rows.map(x.read)` works. */
  readonly read = (row: Row): Pick<RecordOf<C>, P> => {
    const record: Partial<Record<P, unknown>> = {};
    for (const p of this.properties) {
      record[p] = fromStored(this.table.columns[p].kind, row[this.table.columnName[p]]);
    }
    return record as Pick<RecordOf<C>, P>;
  };
}
