import type { ProjectedEvent } from '../runtime/projection';
import { put, RowChange, Projection, tableSpec } from '../runtime/row-projection';

/**
 * Who read which patient's record and when, for auditors: a row per PatientRecordRead, and a row
 * per patient a listed read (PatientRecordsListed: a queue, the feed) showed.
 */
export const accessLogProjection: Projection = {
  name: 'access-log',
  // 2: a row per patient listed, keyed by (position, patient).
  version: 2,
  tables: ['access_reads'],
  schema: [
    tableSpec({
      name: 'access_reads',
      columns: {
        position: 'bigint',
        event_id: 'text',
        patient_id: 'text',
        clinic_id: 'text',
        user_id: 'text',
        role: 'text',
        what: 'text',
        at: 'text',
        at_ms: 'bigint',
      },
      key: ['position', 'patient_id'],
      indexes: (['clinic_id', 'patient_id', 'user_id'] as const).map((column) => ({ name: `access_reads_by_${column}`, columns: [column, 'at_ms'] })),
    }),
  ],

  // Rows are only ever inserted, each wholly from its event: putting one again changes nothing, so nothing is read.
  project(event: ProjectedEvent): RowChange[] {
    if (event.type !== 'PatientRecordRead' && event.type !== 'PatientRecordsListed') return [];
    const d = event.data;
    const patientIds = event.type === 'PatientRecordRead' ? [event.data.patientId] : [...new Set(event.data.patientIds)];
    return patientIds.map((patientId) =>
      put('access_reads', { position: event.position, event_id: event.eventId, patient_id: patientId, clinic_id: d.clinicId, user_id: d.userId, role: d.role, what: d.what, at: event.recordedAt, at_ms: event.recordedAtMs }),
    );
  },
};
