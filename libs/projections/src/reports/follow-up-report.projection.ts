import { epochMs } from '../runtime/instants';
import type { ProjectedEvent } from '../runtime/projection';
import { patched, put, RowChange, Projection, RowReader, tableSpec } from '../runtime/row-projection';

/**
 * The life of every follow-up for the weekly report: when it was first due, when it was first
 * tried, when and why it closed, and whether it was a complaint (kind doctor_callback).
 */
export const followUpReportProjection: Projection = {
  name: 'follow-up-report',
  version: 1,
  tables: ['report_follow_ups'],
  schema: [
    tableSpec({
      name: 'report_follow_ups',
      columns: {
        follow_up_id: 'text',
        clinic_id: 'text',
        audience: 'text',
        kind: 'text',
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
      ],
    }),
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
            audience: d.assignee?.role ?? 'caller',
            kind: d.kind ?? 'treatment',
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
      default:
        return [];
    }
  },
};
