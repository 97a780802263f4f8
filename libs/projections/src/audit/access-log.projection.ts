import type { Kysely } from 'kysely';
import type { ReadModelDb } from '../read-store/read-model-db';
import type { ProjectedEvent, Projection, ReadTx } from '../runtime/projection';

/**
 * Who read which patient's record and when, for auditors: a row per PatientRecordRead, and a row
 * per patient a listed read (PatientRecordsListed: a queue, the feed) showed.
 */
export const accessLogProjection: Projection = {
  name: 'access-log',
  // 2: a row per patient listed, keyed by (position, patient).
  version: 2,
  tables: ['access_reads'],

  async createTables(db: Kysely<ReadModelDb>) {
    await db.schema
      .createTable('access_reads')
      .ifNotExists()
      .addColumn('position', 'bigint', (c) => c.notNull())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('patient_id', 'text', (c) => c.notNull())
      .addColumn('clinic_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('what', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('at_ms', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('access_reads_pk', ['position', 'patient_id'])
      .execute();
    for (const column of ['clinic_id', 'patient_id', 'user_id'] as const) {
      await db.schema.createIndex(`access_reads_by_${column}`).ifNotExists().on('access_reads').columns([column, 'at_ms']).execute();
    }
  },

  async apply(event: ProjectedEvent, tx: ReadTx) {
    if (event.type !== 'PatientRecordRead' && event.type !== 'PatientRecordsListed') return;
    const d = event.data;
    const patientIds = event.type === 'PatientRecordRead' ? [event.data.patientId] : [...new Set(event.data.patientIds)];
    if (patientIds.length === 0) return;
    const row = { position: event.position, event_id: event.eventId, clinic_id: d.clinicId, user_id: d.userId, role: d.role, what: d.what, at: event.recordedAt, at_ms: event.recordedAtMs };
    await tx
      .insertInto('access_reads')
      .values(patientIds.map((patientId) => ({ ...row, patient_id: patientId })))
      .onConflict((oc) => oc.columns(['position', 'patient_id']).doNothing())
      .execute();
  },
};
