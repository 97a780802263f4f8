import fc from 'fast-check';
import { sql } from 'kysely';
import type { ReadModels } from '../src/read-store/read-models';
import type { Change, Row, TableChanges } from '../src/runtime/row-batch';
import { keyString } from '../src/runtime/row-batch';
import { tableSpec } from '../src/runtime/row-projection';
import { createTablesFromSpec, writeChanges } from '../src/runtime/sql-rows';
import { describeWithPostgres, postgresTarget, ReadStoreTarget, sqliteTarget } from './read-store-targets';

/** A table of every column kind: text and integers, nullable or not, under a two-column key. */
const spec = tableSpec({
  name: 'report_inquiry_calls',
  columns: { position: 'bigint', inquiry_id: 'text', clinic_id: 'text', caller_id: 'text?', at_ms: 'bigint', reached: 'integer?' } as never,
  key: ['inquiry_id', 'position'] as never,
});

/** Text a clinic might type, and text an attacker would: quotes, backslashes, braces, commas, "NULL", any Unicode. */
const text = fc.oneof(fc.string(), fc.constantFrom('NULL', 'null', '"', '\\', '{}', '{a,b}', ',', ' ', '', '\\"', '张伟 "王"'), fc.string({ unit: 'grapheme' })).map((s) => s.replace(/\u0000/g, ''));
const row = fc.record({
  position: fc.integer({ min: -(2 ** 40), max: 2 ** 50 }),
  inquiry_id: text,
  clinic_id: text,
  caller_id: fc.option(text, { nil: null }),
  at_ms: fc.maxSafeInteger().map((n) => n % 2 ** 52),
  reached: fc.option(fc.integer(), { nil: null }),
});

function changes(entries: readonly Change[]): Map<never, TableChanges> {
  return new Map([[spec.name as never, new Map(entries.map((c) => [keyString(spec, c.key), c]))]]);
}

async function stored(models: ReadModels): Promise<Row[]> {
  const rows = (await sql<Row>`select * from report_inquiry_calls`.execute(models.db)).rows;
  return rows.sort((a, b) => (keyString(spec, a) < keyString(spec, b) ? -1 : 1));
}

const sorted = (rows: Row[]) => [...rows].sort((a, b) => (keyString(spec, a) < keyString(spec, b) ? -1 : 1));

function rowWrites(target: ReadStoreTarget): void {
  describe(`rows written set-wise on ${target.name}`, () => {
    afterAll(() => target.cleanup());

    it('stores any rows as they are: inserted new, replaced by key, deleted by key', async () => {
      const models = await target.open();
      try {
        await createTablesFromSpec(models.db, [spec]);
        await fc.assert(
          fc.asyncProperty(fc.uniqueArray(row, { selector: (r) => keyString(spec, r as Row), minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 39 }), async (given, cut) => {
            await sql`delete from report_inquiry_calls`.execute(models.db);
            const rows = given as Row[];
            // New rows, as a rebuild writes them (known absent: plain inserts).
            await writeChanges(models.db, [spec], changes(rows.map((r) => ({ key: r, row: r, before: null }))));
            expect(await stored(models)).toEqual(sorted(rows));
            // The same keys again with other cells, not read first (upserts), and some deleted.
            const replaced = rows.map((r, i) => ({ ...r, clinic_id: `${r.clinic_id}'"\\`, reached: i % 2 === 0 ? null : i }));
            const kept = replaced.slice(0, cut);
            await writeChanges(models.db, [spec], changes([...kept.map((r) => ({ key: r, row: r, before: undefined })), ...rows.slice(cut).map((r) => ({ key: r, row: null, before: r }))]));
            expect(await stored(models)).toEqual(sorted(kept));
          }),
          { numRuns: 40 },
        );
      } finally {
        await models.close();
      }
    });

    it('a write that fails is the error reported (not a later one refused by the aborted transaction), and its transaction writes nothing', async () => {
      const models = await target.open();
      const other = tableSpec({ name: 'report_inquiries', columns: { inquiry_id: 'text', clinic_id: 'text' } as never, key: ['inquiry_id'] as never });
      try {
        await createTablesFromSpec(models.db, [spec, other]);
        await sql`delete from report_inquiry_calls`.execute(models.db);
        await sql`delete from report_inquiries`.execute(models.db);
        const present = { position: 1, inquiry_id: 'i1', clinic_id: 'c1', caller_id: null, at_ms: 0, reached: null };
        await writeChanges(models.db, [spec], changes([{ key: present, row: present, before: null }]));
        // Said to be absent, but there: the insert breaks the key. Behind it, rows for another table.
        const rows = [present, ...Array.from({ length: 12_000 }, (_, i) => ({ ...present, position: i + 2 }))];
        const both = changes(rows.map((r) => ({ key: r, row: r, before: null })));
        both.set(other.name as never, new Map([['x', { key: { inquiry_id: 'x' }, row: { inquiry_id: 'x', clinic_id: 'c1' }, before: null }]]) as never);
        const failure = await models.db
          .transaction()
          .execute((tx) => writeChanges(tx, [spec, other], both))
          .then(() => 'no error', (error: unknown) => String((error as Error)?.message ?? error));
        expect(failure).toMatch(/duplicate key|UNIQUE constraint/);
        expect(await stored(models)).toEqual([present]);
        expect((await sql`select * from report_inquiries`.execute(models.db)).rows).toEqual([]);
      } finally {
        await models.close();
      }
    });
  });
}

rowWrites(sqliteTarget());
describeWithPostgres('rows written set-wise on PostgreSQL', () => rowWrites(postgresTarget()));
