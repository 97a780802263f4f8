import type { ReadModelDb, ReadModelTable } from '../read-store/read-model-db';
import type { ProjectedEvent } from './projection';

/** A row of a read-model table, as stored (booleans 0/1, instants as epoch ms beside ISO text). */
export type RowOf<T extends ReadModelTable> = ReadModelDb[T];

export type ColumnType = 'text' | 'integer' | 'bigint';

/** A table a projection owns, as data: the runtime creates it, loads rows by key and writes them set-wise. */
export interface TableSpec<T extends ReadModelTable = ReadModelTable> {
  name: T;
  /** Every column; `?` at the end of the type means nullable. */
  columns: { [C in keyof RowOf<T> & string]: ColumnType | `${ColumnType}?` };
  /** The primary key: a row is found, replaced and deleted by it. */
  key: readonly (keyof RowOf<T> & string)[];
  /** For queries, and for `find` (a lookup by a column that is not the key must be indexed). */
  indexes?: readonly { name: string; columns: readonly string[] }[];
}

/** The rows a projection owns, as they stand before the event (the log's earlier events applied). */
export interface RowReader {
  /** The row with this key, if any. */
  get<T extends ReadModelTable>(table: T, key: Partial<RowOf<T>>): RowOf<T> | undefined;
  /** Every row whose `column` equals `value` (an indexed column). */
  find<T extends ReadModelTable, C extends keyof RowOf<T> & string>(table: T, column: C, value: RowOf<T>[C]): RowOf<T>[];
}

/** What an event does to the rows: put a whole row (insert or replace by key), or delete one by key. */
export type RowChange = { [T in ReadModelTable]: { put: T; row: RowOf<T> } | { delete: T; key: Partial<RowOf<T>> } }[ReadModelTable];

/**
 * A projection as a pure function: (event, the rows it owns) → row changes. It reads only through
 * `rows` and changes only by what it returns; the runtime loads what it reads (a batch at a time,
 * one query per table), applies a batch's changes in memory and writes the end state set-wise in
 * one transaction with the checkpoint. Applying an event twice must leave the rows as once.
 * An event type it does not know gives no changes; an event it cannot apply must throw.
 */
export interface Projection {
  readonly name: string;
  readonly version: number;
  readonly tables: readonly ReadModelTable[];
  readonly schema: readonly TableSpec[];
  project(event: ProjectedEvent, rows: RowReader): readonly RowChange[];
}

export function put<T extends ReadModelTable>(table: T, row: RowOf<T>): RowChange {
  return { put: table, row } as RowChange;
}

export function remove<T extends ReadModelTable>(table: T, key: Partial<RowOf<T>>): RowChange {
  return { delete: table, key } as RowChange;
}

/** The same row with some columns changed. */
export function patched<T extends ReadModelTable>(table: T, row: RowOf<T>, changes: Partial<RowOf<T>>): RowChange {
  return put(table, { ...row, ...changes });
}

export function tableSpec<T extends ReadModelTable>(spec: TableSpec<T>): TableSpec {
  return spec as unknown as TableSpec;
}
