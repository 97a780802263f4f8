import { CompiledQuery, Kysely, PostgresAdapter } from 'kysely';
import type { ReadModelDb, ReadModelTable } from '../read-store/read-model-db';
import type { Cell, Row, RowSource, TableChanges } from './row-batch';
import { sameRow } from './row-batch';
import type { ColumnType, TableSpec } from './row-projection';

/**
 * Rows read and written set-wise, as plain SQL with parameters (the same text on SQLite and
 * PostgreSQL but for placeholders and casts): a batch costs a few statements per table, whatever
 * its size, and no query is compiled per event.
 */
type Dialect = 'sqlite' | 'postgres';

/** Parameters per statement, under SQLite's 32,766 and PostgreSQL's 65,535. */
const MAX_PARAMETERS = 30_000;

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

function chunks<T>(items: readonly T[], perItem: number): T[][] {
  const size = Math.max(1, Math.floor(MAX_PARAMETERS / Math.max(1, perItem)));
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
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

  constructor(private readonly db: Kysely<ReadModelDb>) {
    this.dialect = dialectOf(db);
  }

  async loadByKeys(spec: TableSpec, keys: readonly Row[]): Promise<Row[]> {
    const rows: Row[] = [];
    for (const part of chunks(keys, spec.key.length)) {
      const statement = new Statement(this.dialect);
      rows.push(...(await run(this.db, statement, `select * from ${id(spec.name)} where ${keyIn(spec, part, statement, this.dialect)}`)));
    }
    return rows;
  }

  async loadByColumn(spec: TableSpec, column: string, values: readonly Cell[]): Promise<Row[]> {
    const rows: Row[] = [];
    for (const part of chunks(values, 1)) {
      const statement = new Statement(this.dialect);
      const list = part.map((v) => statement.param(v)).join(', ');
      rows.push(...(await run(this.db, statement, `select * from ${id(spec.name)} where ${id(column)} in (${list})`)));
    }
    return rows;
  }
}

/** Writes a batch's end state: multi-row upserts for rows put, one delete per table for rows removed; unchanged rows are skipped. */
export async function writeChanges(db: Kysely<ReadModelDb>, schema: readonly TableSpec[], changes: ReadonlyMap<ReadModelTable, TableChanges>): Promise<number> {
  const dialect = dialectOf(db);
  let statements = 0;
  for (const spec of schema) {
    const tableChanges = changes.get(spec.name);
    if (!tableChanges) continue;
    const puts: Row[] = [];
    const deletes: Row[] = [];
    for (const { key, row, before } of tableChanges.values()) {
      if (row) {
        if (!before || !sameRow(spec, before, row)) puts.push(row);
      } else if (before !== null) {
        deletes.push(key);
      }
    }
    const columns = Object.keys(spec.columns);
    const updates = columns.filter((c) => !spec.key.includes(c as never));
    const onConflict = updates.length === 0 ? 'do nothing' : `do update set ${updates.map((c) => `${id(c)} = excluded.${id(c)}`).join(', ')}`;
    for (const part of chunks(deletes, spec.key.length)) {
      const statement = new Statement(dialect);
      await run(db, statement, `delete from ${id(spec.name)} where ${keyIn(spec, part, statement, dialect)}`);
      statements++;
    }
    for (const part of chunks(puts, columns.length)) {
      const statement = new Statement(dialect);
      const values = part.map((row) => `(${columns.map((c) => statement.param(row[c]!)).join(', ')})`).join(', ');
      await run(db, statement, `insert into ${id(spec.name)} (${columns.map(id).join(', ')}) values ${values} on conflict (${spec.key.map(id).join(', ')}) ${onConflict}`);
      statements++;
    }
  }
  return statements;
}

/** Creates a projection's tables and indexes from their specs (those that exist are left as they are). */
export async function createTablesFromSpec(db: Kysely<ReadModelDb>, schema: readonly TableSpec[]): Promise<void> {
  for (const spec of schema) {
    let create = db.schema.createTable(spec.name).ifNotExists();
    for (const [column, type] of Object.entries(spec.columns) as [string, string][]) {
      create = create.addColumn(column, baseType(type), (c) => (type.endsWith('?') ? c : c.notNull()));
    }
    await create.addPrimaryKeyConstraint(`${spec.name}_pk`, spec.key as never).execute();
    for (const index of spec.indexes ?? []) {
      await db.schema.createIndex(index.name).ifNotExists().on(spec.name).columns(index.columns as string[]).execute();
    }
  }
}
