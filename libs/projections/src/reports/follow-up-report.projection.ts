import type { ContactPreferencesSet } from '@rapport/domain';
import { epochMs } from '../runtime/instants';
import type { ProjectedEvent } from '../runtime/projection';
import { patched, put, RowChange, Projection, RowReader, tableSpec } from '../runtime/row-projection';

/**
 * The life of every follow-up for the weekly report: when it was first due, when it was first
 * tried, when and why it closed, and whether it was a complaint (kind doctor_callback). A patient
 * who asked not to be called is marked on their open follow-ups: those are not work left undone
 * (issue 15 item 6). Closed ones keep the mark they closed with, so a past week stays as it was.
 * The follow-ups that closed unreachable or expired are listed for staff from here too.
 */
export const followUpReportProjection: Projection = {
  name: 'follow-up-report',
  version: 2,
  tables: ['report_follow_ups', 'report_patients'],
  schema: [
    tableSpec({
      name: 'report_follow_ups',
      columns: {
        follow_up_id: 'text',
        clinic_id: 'text',
        patient_id: 'text',
        audience: 'text',
        kind: 'text',
        purpose: 'text',
        do_not_call: 'integer',
        first_due_at_ms: 'bigint',
        scheduled_at_ms: 'bigint',
        first_attempt_at_ms: 'bigint?',
        closed_at_ms: 'bigint?',
        closed_reason: 'text?',
      },
      key: ['follow_up_id'],
      indexes: [
        { name: 'report_follow_ups_due', columns: ['clinic_id', 'first_due_at_ms'] },
        { name: 'report_follow_ups_kind', columns: ['clinic_id', 'kind', 'scheduled_at_ms'] },
        { name: 'report_follow_ups_closed', columns: ['clinic_id', 'closed_reason', 'closed_at_ms'] },
        { name: 'report_follow_ups_patient', columns: ['patient_id'] },
      ],
    }),
    tableSpec({ name: 'report_patients', columns: { patient_id: 'text', do_not_call: 'integer' }, key: ['patient_id'] }),
  ],

  project(event: ProjectedEvent, rows: RowReader): RowChange[] {
    switch (event.type) {
      case 'FollowUpScheduled':
      case 'FollowUpAdded': {
        const d = event.data;
        const firstDueMs = epochMs(d.dueAt, 'dueAt');
        // Scheduled once: the same id again (redelivered) changes nothing, neither its due time nor what became of it.
        if (rows.get('report_follow_ups', { follow_up_id: d.followUpId })) return [];
        return [
          put('report_follow_ups', {
            follow_up_id: d.followUpId,
            clinic_id: d.clinicId,
            patient_id: d.patientId,
            audience: d.assignee?.role ?? 'caller',
            kind: d.kind ?? 'treatment',
            purpose: d.purpose,
            do_not_call: rows.get('report_patients', { patient_id: d.patientId })?.do_not_call ?? 0,
            first_due_at_ms: firstDueMs,
            scheduled_at_ms: event.recordedAtMs,
            first_attempt_at_ms: null,
            closed_at_ms: null,
            closed_reason: null,
          }),
        ];
      }
      case 'CallAttempted': {
        const d = event.data;
        if (!d.followUpId) return [];
        const startedAt = epochMs(d.startedAt, 'startedAt');
        const followUp = rows.get('report_follow_ups', { follow_up_id: d.followUpId });
        // The earliest attempt, also when a late entry records an earlier call after a later one.
        if (!followUp || (followUp.first_attempt_at_ms !== null && followUp.first_attempt_at_ms <= startedAt)) return [];
        return [patched('report_follow_ups', followUp, { first_attempt_at_ms: startedAt })];
      }
      case 'FollowUpClosed': {
        const followUp = rows.get('report_follow_ups', { follow_up_id: event.data.followUpId });
        return followUp ? [patched('report_follow_ups', followUp, { closed_at_ms: event.recordedAtMs, closed_reason: event.data.reason })] : [];
      }
      case 'FollowUpCancelled': {
        const followUp = rows.get('report_follow_ups', { follow_up_id: event.data.followUpId });
        return followUp ? [patched('report_follow_ups', followUp, { closed_at_ms: event.recordedAtMs, closed_reason: 'cancelled' })] : [];
      }
      case 'ContactPreferencesSet':
      case 'ContactPreferencesChanged':
        return markDoNotCall(rows, event.data);
      default:
        return [];
    }
  },
};

function markDoNotCall(rows: RowReader, d: ContactPreferencesSet['data']): RowChange[] {
  const doNotCall = d.doNotCall ? 1 : 0;
  if ((rows.get('report_patients', { patient_id: d.patientId })?.do_not_call ?? 0) === doNotCall) return [];
  return [
    put('report_patients', { patient_id: d.patientId, do_not_call: doNotCall }),
    ...rows
      .find('report_follow_ups', 'patient_id', d.patientId)
      .filter((f) => f.closed_at_ms === null && f.do_not_call !== doNotCall)
      .map((f) => patched('report_follow_ups', f, { do_not_call: doNotCall })),
  ];
}
