import { epochMs } from '../runtime/instants';
import type { ProjectedEvent } from '../runtime/projection';
import { put, RowChange, Projection, tableSpec } from '../runtime/row-projection';
import { actorColumns } from './actor';

/**
 * The auditors' record of contact attempts: every CallAttempted exactly as recorded, reached or
 * not, with who recorded it and when, and every CallRecordCorrected beside it. Rows are only ever
 * inserted: a correction never changes the attempt's row.
 */
export const auditAttemptsProjection: Projection = {
  name: 'audit-attempts',
  version: 1,
  tables: ['audit_attempts', 'audit_corrections'],
  schema: [
    tableSpec({
      name: 'audit_attempts',
      columns: {
        event_id: 'text',
        position: 'bigint',
        call_id: 'text',
        patient_id: 'text',
        clinic_id: 'text',
        caller_id: 'text',
        follow_up_id: 'text?',
        started_at: 'text',
        started_at_ms: 'bigint',
        recorded_at: 'text',
        outcome: 'text',
        duration_seconds: 'integer?',
        satisfaction: 'integer?',
        notes: 'text?',
        symptoms: 'text?',
        complaint: 'integer',
        late_entry_reason: 'text?',
        actor_user_id: 'text?',
        actor_role: 'text?',
      },
      key: ['event_id'],
      indexes: (['clinic_id', 'caller_id', 'patient_id'] as const).map((column) => ({ name: `audit_attempts_by_${column}`, columns: [column, 'started_at_ms', 'position'] })),
    }),
    tableSpec({
      name: 'audit_corrections',
      columns: {
        event_id: 'text',
        position: 'bigint',
        correction_id: 'text',
        corrects_event_id: 'text',
        call_id: 'text',
        recorded_at: 'text',
        reason: 'text',
        corrected: 'text',
        previous: 'text',
        actor_user_id: 'text?',
        actor_role: 'text?',
      },
      key: ['event_id'],
      indexes: [{ name: 'audit_corrections_by_target', columns: ['corrects_event_id', 'position'] }],
    }),
  ],

  // Each row is wholly its event's, keyed by the event's id: putting it again changes nothing, so nothing is read.
  project(event: ProjectedEvent): RowChange[] {
    switch (event.type) {
      case 'CallAttempted': {
        const d = event.data;
        return [
          put('audit_attempts', {
            event_id: event.eventId,
            position: event.position,
            call_id: d.callId,
            patient_id: d.patientId,
            clinic_id: d.clinicId,
            caller_id: d.callerId,
            follow_up_id: d.followUpId ?? null,
            started_at: d.startedAt,
            started_at_ms: epochMs(d.startedAt, 'startedAt'),
            recorded_at: event.recordedAt,
            outcome: d.outcome,
            duration_seconds: d.durationSeconds ?? null,
            satisfaction: d.satisfaction ?? null,
            notes: d.notes ?? null,
            symptoms: d.symptoms ?? null,
            complaint: d.complaint ? 1 : 0,
            late_entry_reason: d.lateEntryReason ?? null,
            ...actorColumns(event.metadata),
          }),
        ];
      }
      case 'CallRecordCorrected': {
        const d = event.data;
        return [
          put('audit_corrections', {
            event_id: event.eventId,
            position: event.position,
            correction_id: d.correctionId,
            corrects_event_id: d.correctsEventId,
            call_id: d.callId,
            recorded_at: event.recordedAt,
            reason: d.reason,
            corrected: JSON.stringify(d.corrected),
            previous: JSON.stringify(d.previous),
            ...actorColumns(event.metadata),
          }),
        ];
      }
      default:
        return [];
    }
  },
};
