import { epochMs } from '../runtime/instants';
import type { ProjectedEvent } from '../runtime/projection';
import { patched, put, RowChange, Projection, RowReader, tableSpec } from '../runtime/row-projection';

/**
 * Appointments and their outcomes, for the appointments report: each booking, the time it is for
 * (a corrected scheduledFor moves it), and whether the patient came or missed it.
 */
export const appointmentsProjection: Projection = {
  name: 'appointments',
  version: 1,
  tables: ['report_appointments'],
  schema: [
    tableSpec({
      name: 'report_appointments',
      columns: { appointment_id: 'text', clinic_id: 'text', patient_id: 'text', scheduled_ms: 'bigint', booked_ms: 'bigint', outcome: 'text?', outcome_ms: 'bigint?' },
      key: ['appointment_id'],
      indexes: [{ name: 'report_appointments_by_time', columns: ['clinic_id', 'scheduled_ms'] }],
    }),
  ],

  project(event: ProjectedEvent, rows: RowReader): RowChange[] {
    switch (event.type) {
      case 'AppointmentBooked': {
        const d = event.data;
        const scheduledMs = epochMs(d.scheduledFor, 'scheduledFor');
        // The first booking under an id counts; again (redelivered, or a later booking reusing it) it changes nothing.
        if (rows.get('report_appointments', { appointment_id: d.appointmentId })) return [];
        return [put('report_appointments', { appointment_id: d.appointmentId, clinic_id: d.clinicId, patient_id: d.patientId, scheduled_ms: scheduledMs, booked_ms: event.recordedAtMs, outcome: null, outcome_ms: null })];
      }
      case 'AppointmentRecordCorrected': {
        const scheduledFor = event.data.corrected.scheduledFor;
        if (typeof scheduledFor !== 'string') return [];
        const scheduledMs = epochMs(scheduledFor, 'corrected.scheduledFor');
        const appointment = rows.get('report_appointments', { appointment_id: event.data.appointmentId });
        return appointment ? [patched('report_appointments', appointment, { scheduled_ms: scheduledMs })] : [];
      }
      case 'AppointmentAttended':
      case 'AppointmentMissed': {
        const outcomeMs = epochMs(event.data.at, 'at');
        const appointment = rows.get('report_appointments', { appointment_id: event.data.appointmentId });
        return appointment ? [patched('report_appointments', appointment, { outcome: event.type === 'AppointmentAttended' ? 'attended' : 'missed', outcome_ms: outcomeMs })] : [];
      }
      default:
        return [];
    }
  },
};
