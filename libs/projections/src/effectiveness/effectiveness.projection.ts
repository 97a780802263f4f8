import { epochMs } from '../runtime/instants';
import type { ProjectedEvent } from '../runtime/projection';
import { patched, put, RowChange, RowOf, Projection, RowReader, tableSpec } from '../runtime/row-projection';

type FollowUpRow = RowOf<'report_effectiveness'>;
type CallRow = RowOf<'report_effectiveness_calls'>;

/**
 * Follow-up effectiveness (issue 14): for every callers' follow-up, its procedure and protocol
 * rule and step, and whether it was tried, reached, brought a booking credited to one of its calls
 * (attributedCallId) while that call stands as reached, a visit to that booking, and a complaint. The flags are worked out from the
 * follow-up's calls as corrected, so a corrected outcome moves them.
 */
export const effectivenessProjection: Projection = {
  name: 'effectiveness',
  version: 1,
  tables: ['report_effectiveness', 'report_effectiveness_calls', 'report_effectiveness_bookings', 'report_effectiveness_treatments'],
  schema: [
    tableSpec({
      name: 'report_effectiveness',
      columns: {
        follow_up_id: 'text',
        clinic_id: 'text',
        patient_id: 'text',
        kind: 'text',
        treatment_id: 'text?',
        procedure: 'text?',
        rule_id: 'text?',
        step_id: 'text?',
        first_due_ms: 'bigint',
        attempted: 'integer',
        reached: 'integer',
        booked: 'integer',
        attended: 'integer',
        complaints: 'integer',
      },
      key: ['follow_up_id'],
      indexes: [
        { name: 'report_effectiveness_by_due', columns: ['clinic_id', 'first_due_ms'] },
        { name: 'report_effectiveness_by_treatment', columns: ['treatment_id'] },
      ],
    }),
    tableSpec({
      name: 'report_effectiveness_calls',
      columns: { call_id: 'text', follow_up_id: 'text', outcome: 'text', complaint: 'integer', appointment_id: 'text?', attended: 'integer' },
      key: ['call_id'],
      indexes: [{ name: 'report_effectiveness_calls_by_follow_up', columns: ['follow_up_id'] }],
    }),
    tableSpec({ name: 'report_effectiveness_bookings', columns: { appointment_id: 'text', call_id: 'text' }, key: ['appointment_id'] }),
    tableSpec({ name: 'report_effectiveness_treatments', columns: { patient_id: 'text', treatment_id: 'text', procedure: 'text' }, key: ['patient_id', 'treatment_id'] }),
  ],

  project(event: ProjectedEvent, rows: RowReader): RowChange[] {
    switch (event.type) {
      case 'TreatmentCompleted': {
        const d = event.data;
        if (rows.get('report_effectiveness_treatments', { patient_id: d.patientId, treatment_id: d.treatmentId })) return [];
        return [put('report_effectiveness_treatments', { patient_id: d.patientId, treatment_id: d.treatmentId, procedure: d.procedure })];
      }
      case 'TreatmentRecordCorrected': {
        const d = event.data;
        const procedure = d.corrected.procedure;
        const treatment = rows.get('report_effectiveness_treatments', { patient_id: d.patientId, treatment_id: d.treatmentId });
        if (typeof procedure !== 'string' || !treatment) return [];
        const followUps = rows.find('report_effectiveness', 'treatment_id', d.treatmentId).filter((f) => f.patient_id === d.patientId);
        return [patched('report_effectiveness_treatments', treatment, { procedure }), ...followUps.map((f) => patched('report_effectiveness', f, { procedure }))];
      }
      case 'FollowUpScheduled':
      case 'FollowUpAdded': {
        const d = event.data;
        // The callers' work: a doctor's callback or a senior doctor's escalation is not a follow-up call.
        if (d.assignee || rows.get('report_effectiveness', { follow_up_id: d.followUpId })) return [];
        const treatment = d.treatmentId ? rows.get('report_effectiveness_treatments', { patient_id: d.patientId, treatment_id: d.treatmentId }) : undefined;
        return [
          put('report_effectiveness', {
            follow_up_id: d.followUpId,
            clinic_id: d.clinicId,
            patient_id: d.patientId,
            kind: d.kind ?? 'treatment',
            treatment_id: d.treatmentId ?? null,
            procedure: treatment?.procedure ?? null,
            rule_id: d.origin?.ruleId ?? null,
            step_id: d.origin?.stepId ?? null,
            first_due_ms: epochMs(d.dueAt, 'dueAt'),
            attempted: 0,
            reached: 0,
            booked: 0,
            attended: 0,
            complaints: 0,
          }),
        ];
      }
      case 'CallAttempted': {
        const d = event.data;
        const followUp = d.followUpId ? rows.get('report_effectiveness', { follow_up_id: d.followUpId }) : undefined;
        if (!followUp || rows.get('report_effectiveness_calls', { call_id: d.callId })) return [];
        const call: CallRow = { call_id: d.callId, follow_up_id: followUp.follow_up_id, outcome: d.outcome, complaint: d.complaint ? 1 : 0, appointment_id: null, attended: 0 };
        return [put('report_effectiveness_calls', call), ...summarised(rows, followUp, call)];
      }
      case 'CallRecordCorrected': {
        const outcome = event.data.corrected.outcome;
        const call = rows.get('report_effectiveness_calls', { call_id: event.data.callId });
        if (outcome === undefined || !call) return [];
        return changedCall(rows, { ...call, outcome });
      }
      case 'AppointmentBooked': {
        const d = event.data;
        const call = d.attributedCallId ? rows.get('report_effectiveness_calls', { call_id: d.attributedCallId }) : undefined;
        if (!call || call.appointment_id !== null) return [];
        return [put('report_effectiveness_bookings', { appointment_id: d.appointmentId, call_id: call.call_id }), ...changedCall(rows, { ...call, appointment_id: d.appointmentId })];
      }
      case 'AppointmentAttended': {
        const booking = rows.get('report_effectiveness_bookings', { appointment_id: event.data.appointmentId });
        const call = booking && rows.get('report_effectiveness_calls', { call_id: booking.call_id });
        if (!call || call.attended === 1) return [];
        return changedCall(rows, { ...call, attended: 1 });
      }
      default:
        return [];
    }
  },
};

function changedCall(rows: RowReader, call: CallRow): RowChange[] {
  const followUp = rows.get('report_effectiveness', { follow_up_id: call.follow_up_id });
  return [put('report_effectiveness_calls', call), ...(followUp ? summarised(rows, followUp, call) : [])];
}

/** The follow-up's flags from its calls, with `changed` as it now stands. */
function summarised(rows: RowReader, followUp: FollowUpRow, changed: CallRow): RowChange[] {
  const calls = [...rows.find('report_effectiveness_calls', 'follow_up_id', followUp.follow_up_id).filter((c) => c.call_id !== changed.call_id), changed];
  const any = (test: (c: CallRow) => boolean) => (calls.some(test) ? 1 : 0);
  return [
    patched('report_effectiveness', followUp, {
      attempted: 1,
      reached: any((c) => c.outcome === 'reached'),
      // A booking's credit stands while its call stands as reached (a correction may take the reach back).
      booked: any((c) => c.appointment_id !== null && c.outcome === 'reached'),
      attended: any((c) => c.attended === 1 && c.outcome === 'reached'),
      complaints: any((c) => c.complaint === 1),
    }),
  ];
}
