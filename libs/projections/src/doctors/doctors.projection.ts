import { epochMs } from '../runtime/instants';
import type { ProjectedEvent } from '../runtime/projection';
import { attendingDoctorChanges, AttendingDoctorTables, latestTreatment } from './attending-doctor';
import { patched, put, RowChange, RowOf, Projection, RowReader, tableSpec } from '../runtime/row-projection';

type CallRow = RowOf<'report_doctor_calls'>;

const TABLES: AttendingDoctorTables = { treatments: 'report_doctor_treatments', patients: 'report_doctor_patients' };

/**
 * Feedback per attending doctor (seed 000 "及时反馈给主诊医生"; issue 14): the callers' calls about
 * each doctor's patients (outcome, satisfaction 1–5, complaint, as corrected), and the callbacks the
 * doctor owed after a complaint, with when they were done (the first reached call on the task).
 * A call is about the treatment its follow-up came from, or else the patient's latest treatment.
 */
export const doctorsProjection: Projection = {
  name: 'doctors',
  version: 1,
  tables: ['report_doctor_treatments', 'report_doctor_patients', 'report_doctor_follow_ups', 'report_doctor_calls', 'report_doctor_callbacks'],
  schema: [
    tableSpec({ name: 'report_doctor_treatments', columns: { patient_id: 'text', treatment_id: 'text', doctor_id: 'text', completed_ms: 'bigint' }, key: ['patient_id', 'treatment_id'] }),
    tableSpec({ name: 'report_doctor_patients', columns: { patient_id: 'text', treatment_id: 'text', completed_ms: 'bigint' }, key: ['patient_id'] }),
    tableSpec({ name: 'report_doctor_follow_ups', columns: { follow_up_id: 'text', patient_id: 'text', treatment_id: 'text?', kind: 'text' }, key: ['follow_up_id'] }),
    tableSpec({
      name: 'report_doctor_calls',
      columns: {
        call_id: 'text',
        clinic_id: 'text',
        patient_id: 'text',
        treatment_id: 'text?',
        follow_up_id: 'text?',
        callback: 'integer',
        started_ms: 'bigint',
        outcome: 'text',
        satisfaction: 'integer?',
        complaint: 'integer',
      },
      key: ['call_id'],
      indexes: [
        // Covering for the report: the reached callers' calls of a range, read from the index alone.
        { name: 'report_doctor_calls_by_time', columns: ['clinic_id', 'outcome', 'callback', 'started_ms', 'patient_id', 'treatment_id', 'satisfaction', 'complaint'] },
        { name: 'report_doctor_calls_by_follow_up', columns: ['follow_up_id'] },
      ],
    }),
    tableSpec({
      name: 'report_doctor_callbacks',
      columns: { follow_up_id: 'text', clinic_id: 'text', patient_id: 'text', treatment_id: 'text?', doctor_id: 'text?', scheduled_ms: 'bigint', done_ms: 'bigint?' },
      key: ['follow_up_id'],
      indexes: [{ name: 'report_doctor_callbacks_by_done', columns: ['clinic_id', 'done_ms'] }],
    }),
  ],

  project(event: ProjectedEvent, rows: RowReader): RowChange[] {
    const attending = attendingDoctorChanges(event, rows, TABLES);
    if (attending) return attending;
    switch (event.type) {
      case 'FollowUpScheduled':
      case 'FollowUpAdded': {
        const d = event.data;
        if (rows.get('report_doctor_follow_ups', { follow_up_id: d.followUpId })) return [];
        const kind = d.kind ?? 'treatment';
        const followUp = put('report_doctor_follow_ups', { follow_up_id: d.followUpId, patient_id: d.patientId, treatment_id: d.treatmentId ?? null, kind });
        if (kind !== 'doctor_callback') return [followUp];
        // The complaint's call names the treatment it was about; the task inherits it.
        const complaintCall = d.callId ? rows.get('report_doctor_calls', { call_id: d.callId }) : undefined;
        return [
          followUp,
          put('report_doctor_callbacks', {
            follow_up_id: d.followUpId,
            clinic_id: d.clinicId,
            patient_id: d.patientId,
            treatment_id: d.treatmentId ?? complaintCall?.treatment_id ?? latestTreatment(rows, TABLES, d.patientId),
            doctor_id: d.assignee?.doctorId ?? null,
            scheduled_ms: event.recordedAtMs,
            done_ms: null,
          }),
        ];
      }
      case 'CallAttempted': {
        const d = event.data;
        if (rows.get('report_doctor_calls', { call_id: d.callId })) return [];
        const followUp = d.followUpId ? rows.get('report_doctor_follow_ups', { follow_up_id: d.followUpId }) : undefined;
        const call: CallRow = {
          call_id: d.callId,
          clinic_id: d.clinicId,
          patient_id: d.patientId,
          treatment_id: followUp?.treatment_id ?? latestTreatment(rows, TABLES, d.patientId),
          follow_up_id: d.followUpId ?? null,
          callback: followUp?.kind === 'doctor_callback' ? 1 : 0,
          started_ms: epochMs(d.startedAt, 'startedAt'),
          outcome: d.outcome,
          satisfaction: d.satisfaction ?? null,
          complaint: d.complaint ? 1 : 0,
        };
        return [put('report_doctor_calls', call), ...callbackDone(rows, call)];
      }
      case 'CallRecordCorrected': {
        const d = event.data;
        const call = rows.get('report_doctor_calls', { call_id: d.callId });
        if (!call) return [];
        const c = d.corrected;
        const corrected: CallRow = {
          ...call,
          ...(c.outcome !== undefined ? { outcome: c.outcome } : {}),
          ...(c.startedAt !== undefined ? { started_ms: epochMs(c.startedAt, 'corrected.startedAt') } : {}),
          ...(c.satisfaction !== undefined ? { satisfaction: c.satisfaction ?? null } : {}),
        };
        return [put('report_doctor_calls', corrected), ...callbackDone(rows, corrected)];
      }
      default:
        return [];
    }
  },
};


/** A callback is done at its first reached call (as corrected). */
function callbackDone(rows: RowReader, changed: CallRow): RowChange[] {
  if (changed.callback !== 1 || !changed.follow_up_id) return [];
  const callback = rows.get('report_doctor_callbacks', { follow_up_id: changed.follow_up_id });
  if (!callback) return [];
  const calls = [...rows.find('report_doctor_calls', 'follow_up_id', changed.follow_up_id).filter((c) => c.call_id !== changed.call_id), changed];
  const reached = calls.filter((c) => c.outcome === 'reached').map((c) => c.started_ms);
  const doneMs = reached.length > 0 ? Math.min(...reached) : null;
  return doneMs === callback.done_ms ? [] : [patched('report_doctor_callbacks', callback, { done_ms: doneMs })];
}
