import type { Kysely } from 'kysely';
import type { ReadModelDb } from '../read-store/read-model-db';
import { epochMs } from '../runtime/instants';
import type { ProjectedEvent, Projection, ReadTx } from '../runtime/projection';

/**
 * Appointments and their outcomes, for the appointments report: each booking, the time it is for
 * (a corrected scheduledFor moves it), and whether the patient came or missed it.
 */
export const appointmentsProjection: Projection = {
  name: 'appointments',
  version: 1,
  tables: ['report_appointments'],

  async createTables(db: Kysely<ReadModelDb>) {
    await db.schema
      .createTable('report_appointments')
      .ifNotExists()
      .addColumn('appointment_id', 'text', (c) => c.primaryKey())
      .addColumn('clinic_id', 'text', (c) => c.notNull())
      .addColumn('patient_id', 'text', (c) => c.notNull())
      .addColumn('scheduled_ms', 'bigint', (c) => c.notNull())
      .addColumn('booked_ms', 'bigint', (c) => c.notNull())
      .addColumn('outcome', 'text')
      .addColumn('outcome_ms', 'bigint')
      .execute();
    await db.schema.createIndex('report_appointments_by_time').ifNotExists().on('report_appointments').columns(['clinic_id', 'scheduled_ms']).execute();
  },

  async apply(event: ProjectedEvent, tx: ReadTx) {
    switch (event.type) {
      case 'AppointmentBooked': {
        const d = event.data;
        await tx
          .insertInto('report_appointments')
          .values({ appointment_id: d.appointmentId, clinic_id: d.clinicId, patient_id: d.patientId, scheduled_ms: epochMs(d.scheduledFor, 'scheduledFor'), booked_ms: event.recordedAtMs, outcome: null, outcome_ms: null })
          .onConflict((oc) => oc.column('appointment_id').doNothing())
          .execute();
        return;
      }
      case 'AppointmentRecordCorrected': {
        const scheduledFor = event.data.corrected.scheduledFor;
        if (typeof scheduledFor === 'string') await tx.updateTable('report_appointments').set({ scheduled_ms: epochMs(scheduledFor, 'corrected.scheduledFor') }).where('appointment_id', '=', event.data.appointmentId).execute();
        return;
      }
      case 'AppointmentAttended':
      case 'AppointmentMissed':
        await tx
          .updateTable('report_appointments')
          .set({ outcome: event.type === 'AppointmentAttended' ? 'attended' : 'missed', outcome_ms: epochMs(event.data.at, 'at') })
          .where('appointment_id', '=', event.data.appointmentId)
          .execute();
        return;
      default:
        return;
    }
  },
};
