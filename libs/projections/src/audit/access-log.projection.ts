import type { Kysely } from 'kysely';
import type { ReadModelDb } from '../read-store/read-model-db';
import type { ProjectedEvent, Projection, ReadTx } from '../runtime/projection';

/** Who read which patient's record and when, for auditors (PatientRecordRead events). */
export const accessLogProjection: Projection = {
  name: 'access-log',
  version: 1,
  tables: ['access_reads'],

  async createTables(db: Kysely<ReadModelDb>) {
    await db.schema
      .createTable('access_reads')
      .ifNotExists()
      .addColumn('position', 'bigint', (c) => c.primaryKey())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('patient_id', 'text', (c) => c.notNull())
      .addColumn('clinic_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('what', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('at_ms', 'bigint', (c) => c.notNull())
      .execute();
    for (const column of ['clinic_id', 'patient_id', 'user_id'] as const) {
      await db.schema.createIndex(`access_reads_by_${column}`).ifNotExists().on('access_reads').columns([column, 'at_ms']).execute();
    }
  },

  async apply(event: ProjectedEvent, tx: ReadTx) {
    if (event.type !== 'PatientRecordRead') return;
    const d = event.data;
    await tx
      .insertInto('access_reads')
      .values({
        position: event.position,
        event_id: event.eventId,
        patient_id: d.patientId,
        clinic_id: d.clinicId,
        user_id: d.userId,
        role: d.role,
        what: d.what,
        at: event.recordedAt,
        at_ms: event.recordedAtMs,
      })
      .execute();
  },
};
