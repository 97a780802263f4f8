import type { ReadModelTable } from '../read-store/read-model-db';
import type { ProjectedEvent } from './projection';
import type { RowChange, Projection, RowReader, TableSpec } from './row-projection';

export type Cell = string | number | null;
export type Row = Record<string, Cell>;

/** Where rows a batch has not seen yet come from (the read store, inside the batch's transaction). */
export interface RowSource {
  loadByKeys(spec: TableSpec, keys: readonly Row[]): Promise<Row[]>;
  loadByColumn(spec: TableSpec, column: string, values: readonly Cell[]): Promise<Row[]>;
}

/** A row's end state after a batch (the row, or null for deleted), beside what the table holds (null: nothing; undefined: not read). */
export interface Change {
  key: Row;
  row: Row | null;
  before: Row | null | undefined;
}
export type TableChanges = Map<string, Change>;

/** Which event of a batch the projection could not apply, and why. */
export interface BatchFailure {
  index: number;
  error: unknown;
}

/** Rows asked for in a pass that the batch did not have: loaded, then the pass runs again. */
class Misses {
  readonly keys = new Map<ReadModelTable, Map<string, Row>>();
  readonly groups = new Map<ReadModelTable, Map<string, Map<string, Cell>>>();
  count = 0;

  key(table: ReadModelTable, ks: string, key: Row): void {
    const of = this.keys.get(table) ?? new Map<string, Row>();
    this.keys.set(table, of);
    if (!of.has(ks)) this.count++;
    of.set(ks, key);
  }

  group(table: ReadModelTable, column: string, vs: string, value: Cell): void {
    const byColumn = this.groups.get(table) ?? new Map<string, Map<string, Cell>>();
    this.groups.set(table, byColumn);
    const values = byColumn.get(column) ?? new Map<string, Cell>();
    byColumn.set(column, values);
    if (!values.has(vs)) this.count++;
    values.set(vs, value);
  }
}

/**
 * One batch of a row projection: the rows it has read (`base`, as stored before the batch) and
 * the changes of the events applied so far (`overlay`). A pass applies every event in order
 * against base + overlay; a row the batch does not have yet is a miss: the pass goes on to collect
 * the others, they are all loaded at once (one query per table and lookup), and the pass runs
 * again from the first event. A pass without misses is the batch's result. With no source (a spec
 * in memory), an unknown row is simply absent.
 */
export class RowBatch {
  private readonly specs = new Map<ReadModelTable, TableSpec>();
  /** Every row the projection has (a rebuild from empty tables): a row not in it does not exist, so nothing is loaded. */
  private readonly warm: WarmRows | undefined;
  private readonly base = new Map<ReadModelTable, Map<string, Row | null>>();
  /** Per table and column, the values whose rows are all in `base`, with their keys. */
  private readonly loadedGroups = new Map<ReadModelTable, Map<string, Map<string, Set<string>>>>();
  private overlay = new Map<ReadModelTable, TableChanges>();
  /** The overlay's rows by a column `find` has asked about (table → column → value → keys), kept as changes come. */
  private overlayIndex = new Map<ReadModelTable, Map<string, Map<string, Set<string>>>>();
  /** Passes run by the last `apply`: for the bench's notes. */
  passes = 0;

  constructor(
    schema: readonly TableSpec[],
    private readonly source?: RowSource,
    warm?: WarmRows,
  ) {
    for (const spec of schema) this.specs.set(spec.name, spec);
    this.warm = warm;
  }

  /** Applies `events` in order. Stops at an event the projection cannot apply (the changes before it are kept). */
  async apply(projection: Projection, events: readonly (ProjectedEvent | Error)[]): Promise<BatchFailure | undefined> {
    this.passes = 0;
    for (;;) {
      this.passes++;
      const misses = new Misses();
      const reader = this.reader(misses);
      this.overlay = new Map();
      this.overlayIndex = new Map();
      let failure: BatchFailure | undefined;
      for (let index = 0; index < events.length; index++) {
        const event = events[index]!;
        try {
          if (event instanceof Error) throw event;
          const changes = projection.project(event, reader);
          if (misses.count > 0) continue; // this pass is only gathering what to load
          for (const change of changes) this.change(change);
        } catch (error) {
          // With rows missing, the projection may have thrown for want of them: load, then judge.
          if (misses.count === 0) failure = { index, error };
          break;
        }
      }
      if (misses.count === 0) return failure;
      await this.load(misses);
    }
  }

  /** Rows the batch changed. */
  changeCount(): number {
    let count = 0;
    for (const changes of this.overlay.values()) count += changes.size;
    return count;
  }

  /** The batch's changes per table: each changed row's end state, beside what was stored before (undefined: not read). */
  changes(): ReadonlyMap<ReadModelTable, TableChanges> {
    return this.overlay;
  }

  /**
   * Makes the changes the stored state (in memory): the next `apply` starts from them. `written`
   * false (rows held in memory only): they are also kept as not yet written, for a later write.
   */
  settle(written = true): void {
    if (this.warm) this.warm.settle(this.overlay, written);
    else for (const [table, changes] of this.overlay) {
      const base = this.baseOf(table);
      for (const [ks, change] of changes) base.set(ks, change.row);
    }
    this.overlay = new Map();
    this.overlayIndex = new Map();
  }

  /** Every row of a table (in memory, with no source: what a spec compares), in key order. */
  rows(table: ReadModelTable): Row[] {
    return [...this.baseOf(table).entries()]
      .filter((entry): entry is [string, Row] => entry[1] !== null)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, row]) => row);
  }

  private reader(misses: Misses): RowReader {
    return {
      get: (table, key) => this.get(table, key as Row, misses) as never,
      find: (table, column, value) => this.find(table, column, value as Cell, misses) as never,
    };
  }

  private get(table: ReadModelTable, key: Row, misses: Misses): Row | undefined {
    const spec = this.spec(table);
    const ks = keyString(spec, key);
    const changed = this.overlay.get(table)?.get(ks);
    if (changed) return changed.row ?? undefined;
    const stored = this.baseOf(table).get(ks);
    if (stored !== undefined) return stored ?? undefined;
    if (this.source && !this.warm) misses.key(table, ks, keyOf(spec, key));
    return undefined;
  }

  private find(table: ReadModelTable, column: string, value: Cell, misses: Misses): Row[] {
    const spec = this.spec(table);
    if (spec.key.length === 1 && spec.key[0] === column) {
      const row = this.get(table, { [column]: value }, misses);
      return row ? [row] : [];
    }
    const changes = this.overlay.get(table);
    const found: Row[] = [];
    const base = this.baseOf(table);
    let candidates: Iterable<string>;
    if (this.warm) {
      candidates = this.warm.keysWith(table, column, valueKey(value));
    } else if (this.source) {
      const loaded = this.loadedGroups.get(table)?.get(column)?.get(valueKey(value));
      if (!loaded) {
        misses.group(table, column, valueKey(value), value);
        return [];
      }
      candidates = loaded;
    } else {
      candidates = base.keys();
    }
    for (const ks of candidates) {
      if (changes?.has(ks)) continue;
      const row = base.get(ks);
      if (row && row[column] === value) found.push(row);
    }
    for (const ks of this.overlayKeys(table, column).get(valueKey(value)) ?? []) {
      const changed = changes!.get(ks)!.row;
      if (changed && changed[column] === value) found.push(changed);
    }
    return found;
  }

  /** The overlay's keys by value of `column`, indexed on first use (a batch of thousands of events asks often). */
  private overlayKeys(table: ReadModelTable, column: string): Map<string, Set<string>> {
    const byColumn = this.overlayIndex.get(table) ?? new Map<string, Map<string, Set<string>>>();
    this.overlayIndex.set(table, byColumn);
    let index = byColumn.get(column);
    if (!index) {
      index = new Map();
      byColumn.set(column, index);
      for (const [ks, change] of this.overlay.get(table) ?? []) if (change.row) addTo(index, valueKey(change.row[column]!), ks);
    }
    return index;
  }

  private change(change: RowChange): void {
    const table = 'put' in change ? change.put : change.delete;
    const spec = this.spec(table);
    const next = 'put' in change ? checkedRow(spec, change.row as unknown as Row) : null;
    // A row put is its own key (it holds the key's columns); a delete names its key.
    const key = next ?? keyOf(spec, (change as { key: Row }).key);
    const ks = keyString(spec, key);
    const changes = this.overlay.get(table) ?? (new Map() as TableChanges);
    this.overlay.set(table, changes);
    const previous = changes.get(ks);
    // Warm, a row not held is known to be absent (null), not merely unread (undefined).
    const before = previous ? previous.before : (this.baseOf(table).get(ks) ?? (this.warm ? null : undefined));
    changes.set(ks, { key, row: next, before });
    const indexes = this.overlayIndex.get(table);
    if (indexes) reindex(indexes, ks, previous?.row, next);
  }

  private async load(misses: Misses): Promise<void> {
    const source = this.source!;
    for (const [table, keys] of misses.keys) {
      const spec = this.spec(table);
      const base = this.baseOf(table);
      for (const ks of keys.keys()) base.set(ks, null); // absent unless loaded below
      for (const row of await source.loadByKeys(spec, [...keys.values()])) base.set(keyString(spec, row), row);
    }
    for (const [table, byColumn] of misses.groups) {
      const spec = this.spec(table);
      const base = this.baseOf(table);
      const groups = this.loadedGroups.get(table) ?? new Map<string, Map<string, Set<string>>>();
      this.loadedGroups.set(table, groups);
      for (const [column, values] of byColumn) {
        const loaded = groups.get(column) ?? new Map<string, Set<string>>();
        groups.set(column, loaded);
        for (const vs of values.keys()) loaded.set(vs, new Set());
        for (const row of await source.loadByColumn(spec, column, [...values.values()])) {
          const ks = keyString(spec, row);
          base.set(ks, row);
          loaded.get(valueKey(row[column]!))?.add(ks);
        }
      }
    }
  }

  private spec(table: ReadModelTable): TableSpec {
    const spec = this.specs.get(table);
    if (!spec) throw new Error(`table ${table} is not this projection's`);
    return spec;
  }

  private baseOf(table: ReadModelTable): Map<string, Row | null> {
    if (this.warm) return this.warm.table(table);
    let base = this.base.get(table);
    if (!base) {
      base = new Map();
      this.base.set(table, base);
    }
    return base;
  }
}

/** A table's columns as arrays, worked out once: every row put is checked against them. */
interface ColumnList {
  names: string[];
  text: boolean[];
  nullable: boolean[];
}
const columnLists = new WeakMap<TableSpec, ColumnList>();

function columnList(spec: TableSpec): ColumnList {
  let list = columnLists.get(spec);
  if (!list) {
    const entries = Object.entries(spec.columns) as [string, string][];
    list = { names: entries.map(([c]) => c), text: entries.map(([, t]) => t.startsWith('text')), nullable: entries.map(([, t]) => t.endsWith('?')) };
    columnLists.set(spec, list);
  }
  return list;
}

/**
 * The row with only the table's columns (a row read back has no others). A row the
 * database would refuse is the event's fault, found here where the event is known (the projection
 * stops at it), not when the batch is written (that would only be retried).
 */
function checkedRow(spec: TableSpec, row: Row): Row {
  const { names, text, nullable } = columnList(spec);
  for (let i = 0; i < names.length; i++) {
    const column = names[i]!;
    const value = row[column];
    if (value === undefined) throw new Error(`${spec.name}: a row without ${column}`);
    if (value === null) {
      if (!nullable[i]) throw new Error(`${spec.name}: ${column} cannot be null`);
    } else if (text[i] ? typeof value !== 'string' : !Number.isSafeInteger(value)) {
      throw new Error(`${spec.name}: ${column} must be ${text[i] ? 'text' : 'a whole number'}, not ${JSON.stringify(value)}`);
    }
  }
  // Every column is there, checked: a row with no others is kept as it is (most are), one with more is cut to the table's.
  let count = 0;
  for (const _ in row) count++;
  if (count === names.length) return row;
  const out: Row = {};
  for (const column of names) out[column] = row[column]!;
  return out;
}

/** A column's value as a lookup key: text as it is, anything else marked so "1" and 1 stay apart. */
function valueKey(value: Cell): string {
  return typeof value === 'string' ? value : `\u0000${String(value)}`;
}

/** Moves a row's key between the entries of each column index, where its value changed. */
function reindex(indexes: Map<string, Map<string, Set<string>>>, ks: string, old: Row | null | undefined, row: Row | null | undefined): void {
  for (const [column, index] of indexes) {
    const was = old ? old[column]! : undefined;
    const is = row ? row[column]! : undefined;
    if (old && row && was === is) continue;
    if (old) index.get(valueKey(was!))?.delete(ks);
    if (row) addTo(index, valueKey(is!), ks);
  }
}

function addTo(index: Map<string, Set<string>>, value: string, ks: string): void {
  const keys = index.get(value);
  if (keys) keys.add(ks);
  else index.set(value, new Set([ks]));
}

function keyOf(spec: TableSpec, row: Row): Row {
  const key: Row = {};
  for (const column of spec.key) {
    const value = row[column];
    if (value === undefined || value === null) throw new Error(`${spec.name}: key column ${column} is missing`);
    key[column] = value;
  }
  return key;
}

export function keyString(spec: TableSpec, row: Row): string {
  // One key column (most tables): its text as it is, a number marked so "1" and 1 stay apart.
  if (spec.key.length === 1) {
    const value = row[spec.key[0]!];
    return typeof value === 'string' ? value : `\u0000${String(value)}`;
  }
  return JSON.stringify(spec.key.map((column) => row[column]));
}

/**
 * Every row of one projection, kept in memory while it rebuilds from empty tables: each batch then
 * reads only memory (a row not here does not exist) and the rows it writes join it once committed.
 * Lookups by a column (`find`) use an index built on first use and kept as rows change.
 */
export class WarmRows {
  private readonly tables = new Map<ReadModelTable, Map<string, Row | null>>();
  private readonly indexes = new Map<ReadModelTable, Map<string, Map<string, Set<string>>>>();
  /** Rows held, to bound the memory a rebuild takes. */
  size = 0;
  /**
   * Rows changed since they were last written, each with what the database holds (`before`):
   * a rebuild writes them with its checkpoint every so many rows, not every batch.
   */
  private readonly unwritten = new Map<ReadModelTable, TableChanges>();
  private unwrittenCount = 0;
  /** Nothing written yet: the tables are empty, every row held is unwritten (and none is tracked apart). */
  private anyWritten = false;
  /** Where the checkpoint in the database stands (the rows written are as of it), and since when. */
  writtenPosition = 0;
  writtenAt = Date.now();

  table(table: ReadModelTable): Map<string, Row | null> {
    let rows = this.tables.get(table);
    if (!rows) {
      rows = new Map();
      this.tables.set(table, rows);
    }
    return rows;
  }

  keysWith(table: ReadModelTable, column: string, value: string): Iterable<string> {
    return this.index(table, column).get(value) ?? [];
  }

  /** A batch's changes become the rows held; not `written` with it, they wait for the next write. */
  settle(changes: ReadonlyMap<ReadModelTable, TableChanges>, written: boolean): void {
    for (const [table, tableChanges] of changes) {
      const rows = this.table(table);
      const indexes = this.indexes.get(table);
      const track = !written && this.anyWritten;
      let unwritten = track ? this.unwritten.get(table) : undefined;
      if (track && !unwritten) {
        unwritten = new Map();
        this.unwritten.set(table, unwritten);
      }
      for (const [ks, change] of tableChanges) {
        const { row } = change;
        if (unwritten) {
          // The first change since the last write knows what the database holds; later ones keep it.
          const pending = unwritten.get(ks);
          if (pending) pending.row = row;
          else {
            unwritten.set(ks, { key: change.key, row, before: change.before });
            this.unwrittenCount++;
          }
        }
        const old = rows.get(ks);
        if (indexes) reindex(indexes, ks, old, row);
        if (row) {
          if (!old) this.size++;
          rows.set(ks, row);
        } else if (old) {
          this.size--;
          rows.delete(ks);
        }
      }
    }
  }

  /** Rows changed since the last write. */
  get unwrittenRows(): number {
    return this.anyWritten ? this.unwrittenCount : this.size;
  }

  /** What to write: the rows changed since the last write, each with what the table holds; before the first, every row held, into empty tables. */
  unwrittenChanges(): ReadonlyMap<ReadModelTable, Iterable<Change>> {
    if (this.anyWritten) return new Map([...this.unwritten].map(([table, changes]) => [table, changes.values()]));
    return new Map(
      [...this.tables].map(([table, rows]) => [table, (function* () {
        for (const row of rows.values()) if (row) yield { key: row, row, before: null };
      })()]),
    );
  }

  /** The rows not yet written now are, as of `position`, with the checkpoint. */
  written(position: number): void {
    this.unwritten.clear();
    this.unwrittenCount = 0;
    this.anyWritten = true;
    this.writtenPosition = position;
    this.writtenAt = Date.now();
  }

  private index(table: ReadModelTable, column: string): Map<string, Set<string>> {
    const byColumn = this.indexes.get(table) ?? new Map<string, Map<string, Set<string>>>();
    this.indexes.set(table, byColumn);
    let index = byColumn.get(column);
    if (!index) {
      index = new Map();
      byColumn.set(column, index);
      for (const [ks, row] of this.table(table)) if (row) addTo(index, valueKey(row[column]!), ks);
    }
    return index;
  }
}

export function sameRow(spec: TableSpec, a: Row, b: Row): boolean {
  for (const column of Object.keys(spec.columns)) if (a[column] !== b[column]) return false;
  return true;
}
