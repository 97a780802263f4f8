import { urgentDeadlineMinutes } from '@rapport/domain';
import { epochMs } from '../runtime/instants';
import type { ProjectedEvent } from '../runtime/projection';
import { patched, put, RowChange, RowOf, Projection, RowReader, tableSpec } from '../runtime/row-projection';

type CallRow = RowOf<'report_urgent_calls'>;

/**
 * Urgent calls done in time (DOMAIN.md: missed visit within 1 hour, post-op 2–3 hours): each urgent
 * follow-up with the deadline its rule gives (urgentDeadlineMinutes) and its first call, so the
 * report can tell in time, late and never done.
 */
export const urgentProjection: Projection = {
  name: 'urgent',
  version: 1,
  tables: ['report_urgent', 'report_urgent_calls'],
  schema: [
    tableSpec({
      name: 'report_urgent',
      columns: { follow_up_id: 'text', clinic_id: 'text', rule_id: 'text', due_ms: 'bigint', deadline_ms: 'bigint', first_attempt_ms: 'bigint?' },
      key: ['follow_up_id'],
      indexes: [{ name: 'report_urgent_by_due', columns: ['clinic_id', 'due_ms'] }],
    }),
    tableSpec({
      name: 'report_urgent_calls',
      columns: { call_id: 'text', follow_up_id: 'text', started_ms: 'bigint' },
      key: ['call_id'],
      indexes: [{ name: 'report_urgent_calls_by_follow_up', columns: ['follow_up_id'] }],
    }),
  ],

  project(event: ProjectedEvent, rows: RowReader): RowChange[] {
    switch (event.type) {
      case 'FollowUpScheduled': {
        const d = event.data;
        if (!d.urgent || rows.get('report_urgent', { follow_up_id: d.followUpId })) return [];
        const dueMs = epochMs(d.dueAt, 'dueAt');
        return [
          put('report_urgent', {
            follow_up_id: d.followUpId,
            clinic_id: d.clinicId,
            rule_id: d.origin?.ruleId ?? d.kind ?? 'treatment',
            due_ms: dueMs,
            // The deadline the domain stamped (the clinic's own, if it set one); older events: the default.
            deadline_ms: d.deadlineAt ? epochMs(d.deadlineAt, 'deadlineAt') : dueMs + urgentDeadlineMinutes(d.origin) * 60_000,
            first_attempt_ms: null,
          }),
        ];
      }
      case 'CallAttempted': {
        const d = event.data;
        const followUp = d.followUpId ? rows.get('report_urgent', { follow_up_id: d.followUpId }) : undefined;
        if (!followUp || rows.get('report_urgent_calls', { call_id: d.callId })) return [];
        return changedCall(rows, { call_id: d.callId, follow_up_id: followUp.follow_up_id, started_ms: epochMs(d.startedAt, 'startedAt') });
      }
      case 'CallRecordCorrected': {
        const startedAt = event.data.corrected.startedAt;
        const call = rows.get('report_urgent_calls', { call_id: event.data.callId });
        if (!call || startedAt === undefined) return [];
        return changedCall(rows, { ...call, started_ms: epochMs(startedAt, 'corrected.startedAt') });
      }
      default:
        return [];
    }
  },
};

function changedCall(rows: RowReader, changed: CallRow): RowChange[] {
  const followUp = rows.get('report_urgent', { follow_up_id: changed.follow_up_id });
  const calls = [...rows.find('report_urgent_calls', 'follow_up_id', changed.follow_up_id).filter((c) => c.call_id !== changed.call_id), changed];
  return [put('report_urgent_calls', changed), ...(followUp ? [patched('report_urgent', followUp, { first_attempt_ms: Math.min(...calls.map((c) => c.started_ms)) })] : [])];
}
