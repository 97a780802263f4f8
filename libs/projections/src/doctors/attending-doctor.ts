import { epochMs } from '../runtime/instants';
import type { ProjectedEvent } from '../runtime/projection';
import { patched, put, RowChange, RowReader } from '../runtime/row-projection';

/**
 * Who the attending doctor of a call is, as the doctors report and the doctor's feedback both
 * count it: each treatment's doctor (as corrected), and each patient's latest treatment (a call
 * that names no follow-up is about it). Each projection keeps these rows in tables of its own;
 * this is the one piece of code that keeps them.
 */
export interface AttendingDoctorTables {
  treatments: 'report_doctor_treatments' | 'doctor_feedback_treatments';
  patients: 'report_doctor_patients' | 'doctor_feedback_patients';
}

/** The changes a treatment or a correction of its doctor makes; undefined for any other event. */
export function attendingDoctorChanges(event: ProjectedEvent, rows: RowReader, tables: AttendingDoctorTables): RowChange[] | undefined {
  switch (event.type) {
    case 'TreatmentCompleted': {
      const d = event.data;
      if (rows.get(tables.treatments, { patient_id: d.patientId, treatment_id: d.treatmentId })) return [];
      const completedMs = epochMs(d.completedAt, 'completedAt');
      const latest = rows.get(tables.patients, { patient_id: d.patientId });
      return [
        put(tables.treatments, { patient_id: d.patientId, treatment_id: d.treatmentId, doctor_id: d.doctorId, completed_ms: completedMs }),
        ...(latest && latest.completed_ms > completedMs ? [] : [put(tables.patients, { patient_id: d.patientId, treatment_id: d.treatmentId, completed_ms: completedMs })]),
      ];
    }
    case 'TreatmentRecordCorrected': {
      const d = event.data;
      const treatment = rows.get(tables.treatments, { patient_id: d.patientId, treatment_id: d.treatmentId });
      if (!treatment || typeof d.corrected.doctorId !== 'string') return [];
      return [patched(tables.treatments, treatment, { doctor_id: d.corrected.doctorId })];
    }
    default:
      return undefined;
  }
}

/** The patient's latest treatment: what a call without a follow-up is about. */
export function latestTreatment(rows: RowReader, tables: AttendingDoctorTables, patientId: string): string | null {
  return rows.get(tables.patients, { patient_id: patientId })?.treatment_id ?? null;
}
