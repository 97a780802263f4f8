import { performance } from 'node:perf_hooks';
import { CompiledQuery, Kysely, PostgresAdapter } from 'kysely';
import type { ReadModelDb, ReadModelTable } from '../read-store/read-model-db';
import type { Cell, Change, Row, RowSource, TableChanges } from './row-batch';
import { sameRow } from './row-batch';
import type { ColumnType, TableSpec } from './row-projection';

/**
 * Rows read and written set-wise, as plain SQL with parameters (the same text on SQLite and
 * PostgreSQL but for placeholders and casts): a batch costs a few statements per table, whatever
 * its size, and no query is compiled per event. Statements come in a few fixed sizes (a lookup's
 * list padded up, a write split down), so their text repeats and SQLite's prepared statements are
 * reused across batches.
 */
type Dialect = 'sqlite' | 'postgres';

/** Rows per statement, largest first: a write of n rows is split greedily into these. */
const SIZES = [512, 128, 32, 8, 1] as const;
/** Parameters per statement, under SQLite's 32,766 and PostgreSQL's 65,535. */
const MAX_PARAMETERS = 30_000;

/** Statements and time spent loading and writing rows: where a rebuild's time goes. */
export interface RowIoStats {
  loads: number;
  loadMs: number;
  writes: number;
  writeMs: number;
  rowsLoaded: number;
  rowsWritten: number;
  /** Milliseconds loading and writing, per table. */
  msByTable: Map<string, number>;
  /** Secondary indexes built after a rebuild from empty tables, and the time it took. */
  indexesBuilt: number;
  indexMs: number;
  /** Transactions committed, and the time the commits themselves took. */
  commits: number;
  commitMs: number;
  /** Milliseconds working out each projection's changes: its `project` and the batch's bookkeeping, timed per batch. */
  workMsByProjection: Map<string, number>;
}

export function emptyRowIoStats(): RowIoStats {
  return { loads: 0, loadMs: 0, writes: 0, writeMs: 0, rowsLoaded: 0, rowsWritten: 0, msByTable: new Map(), indexesBuilt: 0, indexMs: 0, commits: 0, commitMs: 0, workMsByProjection: new Map() };
}

export function dialectOf(db: Kysely<ReadModelDb>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

const id = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const baseType = (type: string): ColumnType => type.replace('?', '') as ColumnType;

class Statement {
  readonly params: Cell[] = [];
  constructor(private readonly dialect: Dialect) {}

  /** A placeholder for `value`; on PostgreSQL cast where the type cannot come from a column (VALUES lists). */
  param(value: Cell, cast?: ColumnType): string {
    this.params.push(value);
    if (this.dialect === 'sqlite') return '?';
    return `$${this.params.length}${cast ? `::${cast}` : ''}`;
  }
}

/** The largest size that fits the parameter limit at `perItem` parameters each. */
function sizesFor(perItem: number): number[] {
  return SIZES.filter((size) => size * perItem <= MAX_PARAMETERS);
}

/** For a lookup or a delete: parts of the largest size, the rest padded up to the next size with its last item (a repeat changes nothing). */
function paddedParts<T>(items: readonly T[], perItem: number): T[][] {
  const sizes = sizesFor(perItem);
  const out: T[][] = [];
  let at = 0;
  while (at < items.length) {
    const left = items.length - at;
    const size = left >= sizes[0]! ? sizes[0]! : sizes.filter((s) => s >= left).pop()!;
    const part = items.slice(at, at + size);
    while (part.length < size) part.push(part[part.length - 1]!);
    out.push(part);
    at += size;
  }
  return out;
}

/** For an upsert (where a row may not appear twice): split greedily into the fixed sizes. */
function exactParts<T>(items: readonly T[], perItem: number): T[][] {
  const out: T[][] = [];
  let at = 0;
  for (const size of sizesFor(perItem)) {
    while (items.length - at >= size) {
      out.push(items.slice(at, at + size));
      at += size;
    }
  }
  return out;
}

async function run(db: Kysely<ReadModelDb>, statement: Statement, text: string): Promise<Row[]> {
  const result = await db.executeQuery<Row>(CompiledQuery.raw(text, statement.params));
  return result.rows;
}

/** `key IN (…)`, or `(k1, k2) IN (VALUES (…), …)` for a composite key. */
function keyIn(spec: TableSpec, keys: readonly Row[], statement: Statement, dialect: Dialect): string {
  if (spec.key.length === 1) {
    const column = spec.key[0]!;
    return `${id(column)} in (${keys.map((k) => statement.param(k[column]!)).join(', ')})`;
  }
  const types = spec.key.map((c) => baseType((spec.columns as Record<string, string>)[c]!));
  const tuples = keys.map((k) => `(${spec.key.map((c, i) => statement.param(k[c]!, dialect === 'postgres' ? types[i] : undefined)).join(', ')})`);
  return `(${spec.key.map(id).join(', ')}) in (values ${tuples.join(', ')})`;
}

export class SqlRowSource implements RowSource {
  private readonly dialect: Dialect;

  constructor(
    private readonly db: Kysely<ReadModelDb>,
    private readonly stats: RowIoStats = emptyRowIoStats(),
  ) {
    this.dialect = dialectOf(db);
  }

  async loadByKeys(spec: TableSpec, keys: readonly Row[]): Promise<Row[]> {
    return this.load(spec, paddedParts(keys, spec.key.length), (part, statement) => `select * from ${id(spec.name)} where ${keyIn(spec, part, statement, this.dialect)}`);
  }

  async loadByColumn(spec: TableSpec, column: string, values: readonly Cell[]): Promise<Row[]> {
    return this.load(spec, paddedParts(values, 1), (part, statement) => `select * from ${id(spec.name)} where ${id(column)} in (${part.map((v) => statement.param(v)).join(', ')})`);
  }

  private async load<T>(spec: TableSpec, parts: T[][], text: (part: T[], statement: Statement) => string): Promise<Row[]> {
    const started = performance.now();
    const rows: Row[] = [];
    for (const part of parts) {
      const statement = new Statement(this.dialect);
      rows.push(...(await run(this.db, statement, text(part, statement))));
    }
    this.stats.loads += parts.length;
    this.stats.rowsLoaded += rows.length;
    const ms = performance.now() - started;
    this.stats.loadMs += ms;
    this.stats.msByTable.set(spec.name, (this.stats.msByTable.get(spec.name) ?? 0) + ms);
    return rows;
  }
}

/** Rows per statement on PostgreSQL, where a write passes one array per column (unnest): any size is one statement. */
const POSTGRES_ROWS_PER_WRITE = 10_000;

/** The text of an upsert of `size` rows into a table, built once per table and size: a rebuild repeats a few shapes thousands of times. */
const upsertTexts = new WeakMap<TableSpec, Map<string, string>>();

/**
 * A column of rows as PostgreSQL's array text, `{1,NULL,"a \"b\""}`: what node-postgres makes of
 * an array, without quoting and escaping every number (a rebuild passes millions of cells).
 */
function arrayLiteral(rows: readonly Row[], column: string): string {
  const cells = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const value = rows[i]![column];
    if (value === null || value === undefined) cells[i] = 'NULL';
    else if (typeof value === 'number') cells[i] = String(value);
    else cells[i] = `"${value.replace(/[\\"]/g, '\\$&')}"`;
  }
  return `{${cells.join(',')}}`;
}

/** Rows known to be absent (a rebuild's new rows) are inserted plainly; the others replace what is there by key. */
function upsertText(spec: TableSpec, dialect: Dialect, size: number, absent: boolean): string {
  let texts = upsertTexts.get(spec);
  if (!texts) {
    texts = new Map();
    upsertTexts.set(spec, texts);
  }
  const at = `${dialect}/${size}/${absent}`;
  let text = texts.get(at);
  if (text) return text;
  const types = spec.columns as Record<string, string>;
  const columns = Object.keys(types);
  const updates = columns.filter((c) => !spec.key.includes(c as never));
  const onConflict = absent ? '' : ` on conflict (${spec.key.map(id).join(', ')}) ${updates.length === 0 ? 'do nothing' : `do update set ${updates.map((c) => `${id(c)} = excluded.${id(c)}`).join(', ')}`}`;
  const into = `insert into ${id(spec.name)} (${columns.map(id).join(', ')})`;
  if (dialect === 'postgres') {
    // One array per column: the statement's text and its parameters stay the same size whatever the rows.
    text = `${into} select * from unnest(${columns.map((c, i) => `$${i + 1}::${baseType(types[c]!)}[]`).join(', ')})${onConflict}`;
  } else {
    const row = `(${columns.map(() => '?').join(', ')})`;
    text = `${into} values ${Array.from({ length: size }, () => row).join(', ')}${onConflict}`;
  }
  texts.set(at, text);
  return text;
}

/** Writes a batch's end state: multi-row upserts for rows put, deletes for rows removed; unchanged rows are skipped. */
export async function writeChanges(
  db: Kysely<ReadModelDb>,
  schema: readonly TableSpec[],
  changes: ReadonlyMap<ReadModelTable, TableChanges | Iterable<Change>>,
  stats: RowIoStats = emptyRowIoStats(),
): Promise<void> {
  const started = performance.now();
  const dialect = dialectOf(db);
  // The write sent last, not yet awaited: on PostgreSQL the next one's arrays are built while the
  // server inserts. It is settled before the next is sent, so no statement ever waits queued
  // behind a failed one (it would run after the rollback, outside the transaction).
  let inFlight: Promise<unknown> | undefined;
  try {
    for (const spec of schema) {
      const tableChanges = changes.get(spec.name);
      if (!tableChanges) continue;
      const tableStarted = performance.now();
      // before: null is known absent from the table, undefined not read (it may be there).
      const inserts: Row[] = [];
      const puts: Row[] = [];
      const deletes: Row[] = [];
      for (const { key, row, before } of tableChanges instanceof Map ? tableChanges.values() : tableChanges) {
        if (row) {
          if (before === null) inserts.push(row);
          else if (!before || !sameRow(spec, before, row)) puts.push(row);
        } else if (before !== null) {
          deletes.push(key);
        }
      }
      const columns = Object.keys(spec.columns);
      for (const part of paddedParts(deletes, spec.key.length)) {
        await inFlight;
        inFlight = undefined;
        const statement = new Statement(dialect);
        await run(db, statement, `delete from ${id(spec.name)} where ${keyIn(spec, part, statement, dialect)}`);
        stats.writes++;
      }
      const parts: [Row[], boolean][] = [];
      for (const [rows, absent] of [[inserts, true], [puts, false]] as const) {
        if (dialect === 'postgres') for (let at = 0; at < rows.length; at += POSTGRES_ROWS_PER_WRITE) parts.push([rows.slice(at, at + POSTGRES_ROWS_PER_WRITE), absent]);
        else for (const part of exactParts(rows, columns.length)) parts.push([part, absent]);
      }
      for (const [part, absent] of parts) {
        let params: unknown[];
        if (dialect === 'postgres') {
          params = columns.map((c) => arrayLiteral(part, c));
        } else {
          params = new Array<unknown>(part.length * columns.length);
          let i = 0;
          for (const row of part) for (const c of columns) params[i++] = row[c];
        }
        await inFlight;
        inFlight = db.executeQuery(CompiledQuery.raw(upsertText(spec, dialect, part.length, absent), params));
        stats.writes++;
      }
      stats.rowsWritten += inserts.length + puts.length + deletes.length;
      stats.msByTable.set(spec.name, (stats.msByTable.get(spec.name) ?? 0) + performance.now() - tableStarted);
    }
    await inFlight;
  } catch (error) {
    // Never left running behind a failure that is on its way out.
    await inFlight?.catch(() => undefined);
    throw error;
  }
  stats.writeMs += performance.now() - started;
}

/** Creates a projection's tables and indexes from their specs (those that exist are left as they are). */
export async function createTablesFromSpec(db: Kysely<ReadModelDb>, schema: readonly TableSpec[]): Promise<void> {
  for (const spec of schema) {
    let create = db.schema.createTable(spec.name).ifNotExists();
    for (const [column, type] of Object.entries(spec.columns) as [string, string][]) {
      create = create.addColumn(column, baseType(type), (c) => (type.endsWith('?') ? c : c.notNull()));
    }
    await create.addPrimaryKeyConstraint(`${spec.name}_pk`, spec.key as never).execute();
  }
  await createIndexesFromSpec(db, schema);
}

/**
 * The tables' secondary indexes (those that exist are left as they are). On PostgreSQL two at a
 * time, each on a connection of the pool: the server builds them on two cores.
 */
export async function createIndexesFromSpec(db: Kysely<ReadModelDb>, schema: readonly TableSpec[]): Promise<void> {
  const builds = schema.flatMap((spec) => (spec.indexes ?? []).map((index) => () => db.schema.createIndex(index.name).ifNotExists().on(spec.name).columns(index.columns as string[]).execute()));
  const lanes = dialectOf(db) === 'postgres' && !db.isTransaction ? 2 : 1;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      for (let build = builds.shift(); build; build = builds.shift()) await build();
    }),
  );
}

/**
 * Drops the secondary indexes: a rebuild from empty tables reads nothing back, and one sorted
 * build of each index at the end costs far less than keeping it up to date row by row.
 */
export async function dropIndexesFromSpec(db: Kysely<ReadModelDb>, schema: readonly TableSpec[]): Promise<void> {
  for (const spec of schema) for (const index of spec.indexes ?? []) await db.schema.dropIndex(index.name).ifExists().execute();
}
