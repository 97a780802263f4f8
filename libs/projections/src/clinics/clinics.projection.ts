import type { Kysely } from 'kysely';
import type { ReadModelDb } from '../read-store/read-model-db';
import type { ProjectedEvent, Projection, ReadTx } from '../runtime/projection';

/** The clinics as last configured: their time zone above all, which the queue and the reports read in. */
export const clinicsProjection: Projection = {
  name: 'clinics',
  version: 1,
  tables: ['clinics'],

  async createTables(db: Kysely<ReadModelDb>) {
    await db.schema
      .createTable('clinics')
      .ifNotExists()
      .addColumn('clinic_id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text')
      .addColumn('time_zone', 'text', (c) => c.notNull())
      .addColumn('call_windows', 'text', (c) => c.notNull())
      .addColumn('max_attempts', 'integer', (c) => c.notNull())
      .addColumn('configured_at', 'text', (c) => c.notNull())
      .execute();
  },

  async apply(event: ProjectedEvent, tx: ReadTx) {
    if (event.type !== 'ClinicConfigured') return;
    const d = event.data;
    if (typeof d.timeZone !== 'string' || d.timeZone.length === 0) throw new TypeError('ClinicConfigured without a timeZone');
    const row = {
      name: d.name ?? null,
      time_zone: d.timeZone,
      call_windows: JSON.stringify(d.callWindows ?? []),
      max_attempts: d.maxAttempts,
      configured_at: event.recordedAt,
    };
    await tx
      .insertInto('clinics')
      .values({ clinic_id: d.clinicId, ...row })
      .onConflict((oc) => oc.column('clinic_id').doUpdateSet(row))
      .execute();
  },
};
