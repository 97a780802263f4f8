import type { Kysely } from 'kysely';
import type { ReadModelDb, ReadModelTable } from '../src/read-store/read-model-db';
import type { Projection } from '../src/runtime/row-projection';

/** Every row of every projection table, as sorted JSON lines: two read stores hold the same when these are equal. */
export async function dumpReadModels(db: Kysely<ReadModelDb>, projections: readonly Projection[]): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of projections.flatMap((p) => p.tables) as ReadModelTable[]) {
    const rows = await db.selectFrom(table).selectAll().execute();
    out[table] = rows
      .map((row) => JSON.stringify(Object.entries(row).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])))
      .sort();
  }
  return out;
}
