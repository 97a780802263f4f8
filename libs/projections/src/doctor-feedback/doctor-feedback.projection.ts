import { epochMs } from '../runtime/instants';
import type { ProjectedEvent } from '../runtime/projection';
import { attendingDoctorChanges, AttendingDoctorTables, latestTreatment } from '../doctors/attending-doctor';
import { patched, put, RowChange, RowOf, Projection, RowReader, tableSpec } from '../runtime/row-projection';

type CallRow = RowOf<'doctor_feedback_calls'>;

const TABLES: AttendingDoctorTables = { treatments: 'doctor_feedback_treatments', patients: 'doctor_feedback_patients' };

/**
 * Feedback to the attending doctor (seed 000 "及时反馈给主诊医生"; issue 15): the callers' reached
 * calls about each doctor's patients that carried symptoms, a satisfaction of 1 or 2, or a
 * complaint, as corrected. A call is about the treatment its follow-up came from, or else the
 * patient's latest treatment (as the doctors report counts it); the treatment's doctor, as
 * corrected, is resolved when the feedback is read. Calls on a doctor's own callback task are the
 * doctor's, not feedback to them, and are left out.
 */
export const doctorFeedbackProjection: Projection = {
  name: 'doctor-feedback',
  version: 1,
  tables: ['doctor_feedback_treatments', 'doctor_feedback_patients', 'doctor_feedback_follow_ups', 'doctor_feedback_calls'],
  schema: [
    tableSpec({
      name: 'doctor_feedback_treatments',
      columns: { patient_id: 'text', treatment_id: 'text', doctor_id: 'text', completed_ms: 'bigint' },
      key: ['patient_id', 'treatment_id'],
      indexes: [{ name: 'doctor_feedback_treatments_by_doctor', columns: ['doctor_id'] }],
    }),
    tableSpec({ name: 'doctor_feedback_patients', columns: { patient_id: 'text', treatment_id: 'text', completed_ms: 'bigint' }, key: ['patient_id'] }),
    tableSpec({ name: 'doctor_feedback_follow_ups', columns: { follow_up_id: 'text', treatment_id: 'text?', callback: 'integer' }, key: ['follow_up_id'] }),
    tableSpec({
      name: 'doctor_feedback_calls',
      columns: {
        call_id: 'text',
        clinic_id: 'text',
        patient_id: 'text',
        treatment_id: 'text?',
        follow_up_id: 'text?',
        caller_id: 'text',
        started_ms: 'bigint',
        outcome: 'text',
        satisfaction: 'integer?',
        symptoms: 'text?',
        complaint: 'integer',
        qualifies: 'integer',
        callback_follow_up_id: 'text?',
      },
      key: ['call_id'],
      indexes: [{ name: 'doctor_feedback_calls_by_treatment', columns: ['patient_id', 'treatment_id', 'qualifies', 'started_ms'] }],
    }),
  ],

  project(event: ProjectedEvent, rows: RowReader): RowChange[] {
    const attending = attendingDoctorChanges(event, rows, TABLES);
    if (attending) return attending;
    switch (event.type) {
      case 'FollowUpScheduled':
      case 'FollowUpAdded': {
        const d = event.data;
        if (rows.get('doctor_feedback_follow_ups', { follow_up_id: d.followUpId })) return [];
        const callback = d.kind === 'doctor_callback';
        const followUp = put('doctor_feedback_follow_ups', { follow_up_id: d.followUpId, treatment_id: d.treatmentId ?? null, callback: callback ? 1 : 0 });
        // The call that reported the complaint points at the task it put in the doctor's queue.
        const call = callback && d.callId ? rows.get('doctor_feedback_calls', { call_id: d.callId }) : undefined;
        return [followUp, ...(call && call.callback_follow_up_id === null ? [patched('doctor_feedback_calls', call, { callback_follow_up_id: d.followUpId })] : [])];
      }
      case 'CallAttempted': {
        const d = event.data;
        if (rows.get('doctor_feedback_calls', { call_id: d.callId })) return [];
        const followUp = d.followUpId ? rows.get('doctor_feedback_follow_ups', { follow_up_id: d.followUpId }) : undefined;
        if (followUp?.callback === 1) return [];
        return [
          put(
            'doctor_feedback_calls',
            qualified({
              call_id: d.callId,
              clinic_id: d.clinicId,
              patient_id: d.patientId,
              treatment_id: followUp?.treatment_id ?? latestTreatment(rows, TABLES, d.patientId),
              follow_up_id: d.followUpId ?? null,
              caller_id: d.callerId,
              started_ms: epochMs(d.startedAt, 'startedAt'),
              outcome: d.outcome,
              satisfaction: d.satisfaction ?? null,
              symptoms: said(d.symptoms),
              complaint: d.complaint ? 1 : 0,
              qualifies: 0,
              callback_follow_up_id: null,
            }),
          ),
        ];
      }
      case 'CallRecordCorrected': {
        const d = event.data;
        const call = rows.get('doctor_feedback_calls', { call_id: d.callId });
        if (!call) return [];
        const c = d.corrected;
        return [
          put(
            'doctor_feedback_calls',
            qualified({
              ...call,
              ...(c.outcome !== undefined ? { outcome: c.outcome } : {}),
              ...(c.startedAt !== undefined ? { started_ms: epochMs(c.startedAt, 'corrected.startedAt') } : {}),
              ...(c.satisfaction !== undefined ? { satisfaction: c.satisfaction ?? null } : {}),
              ...(c.symptoms !== undefined ? { symptoms: said(c.symptoms) } : {}),
            }),
          ),
        ];
      }
      default:
        return [];
    }
  },
};

/** The row with `qualifies` worked out: reached, and symptoms, a satisfaction of 1 or 2, or a complaint. */
function qualified(call: CallRow): CallRow {
  const lowSatisfaction = call.satisfaction !== null && Number(call.satisfaction) <= 2;
  const qualifies = call.outcome === 'reached' && (call.symptoms !== null || lowSatisfaction || call.complaint === 1);
  return { ...call, qualifies: qualifies ? 1 : 0 };
}

/** Symptoms as said, or null when none were (an empty or blank text says nothing). */
function said(symptoms: string | null | undefined): string | null {
  return typeof symptoms === 'string' && symptoms.trim() !== '' ? symptoms : null;
}

