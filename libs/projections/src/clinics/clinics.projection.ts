import type { Kysely } from 'kysely';
import type { ReadModelDb } from '../read-store/read-model-db';
import type { ProjectedEvent } from '../runtime/projection';
import { put, RowChange, RowProjection, tableSpec } from '../runtime/row-projection';
import { createTablesFromSpec } from '../runtime/sql-rows';

/** The clinics as last configured: their time zone above all, which the queue and the reports read in. */
export const clinicsProjection: RowProjection & {
  /**
   * Creates the table from `schema`, for bench/projections/queue-seed.ts, which seeds the queue's
   * tables without projecting events and still calls the old form's `createTables`. The runtime
   * never calls it (it creates row projections' tables from `schema`); drop it once the bench
   * calls createProjectionTables.
   */
  createTables(db: Kysely<ReadModelDb>): Promise<void>;
} = {
  name: 'clinics',
  version: 1,
  tables: ['clinics'],
  schema: [
    tableSpec({
      name: 'clinics',
      columns: { clinic_id: 'text', name: 'text?', time_zone: 'text', call_windows: 'text', max_attempts: 'integer', configured_at: 'text' },
      key: ['clinic_id'],
    }),
  ],

  createTables(db: Kysely<ReadModelDb>) {
    return createTablesFromSpec(db, clinicsProjection.schema);
  },

  project(event: ProjectedEvent): RowChange[] {
    if (event.type !== 'ClinicConfigured') return [];
    const d = event.data;
    if (typeof d.timeZone !== 'string' || d.timeZone.length === 0) throw new TypeError('ClinicConfigured without a timeZone');
    // The last configuration wins, whatever the row held.
    return [
      put('clinics', {
        clinic_id: d.clinicId,
        name: d.name ?? null,
        time_zone: d.timeZone,
        call_windows: JSON.stringify(d.callWindows ?? []),
        max_attempts: d.maxAttempts,
        configured_at: event.recordedAt,
      }),
    ];
  },
};
