import type { Kysely } from 'kysely';
import type { ReadModelDb } from '../read-store/read-model-db';
import { epochMs } from '../runtime/instants';
import type { ProjectedEvent, Projection, ReadTx } from '../runtime/projection';
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

  async createTables(db: Kysely<ReadModelDb>) {
    await db.schema
      .createTable('audit_attempts')
      .ifNotExists()
      .addColumn('event_id', 'text', (c) => c.primaryKey())
      .addColumn('position', 'bigint', (c) => c.notNull())
      .addColumn('call_id', 'text', (c) => c.notNull())
      .addColumn('patient_id', 'text', (c) => c.notNull())
      .addColumn('clinic_id', 'text', (c) => c.notNull())
      .addColumn('caller_id', 'text', (c) => c.notNull())
      .addColumn('follow_up_id', 'text')
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('started_at_ms', 'bigint', (c) => c.notNull())
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('duration_seconds', 'integer')
      .addColumn('satisfaction', 'integer')
      .addColumn('notes', 'text')
      .addColumn('symptoms', 'text')
      .addColumn('complaint', 'integer', (c) => c.notNull())
      .addColumn('late_entry_reason', 'text')
      .addColumn('actor_user_id', 'text')
      .addColumn('actor_role', 'text')
      .execute();
    for (const column of ['clinic_id', 'caller_id', 'patient_id'] as const) {
      await db.schema.createIndex(`audit_attempts_by_${column}`).ifNotExists().on('audit_attempts').columns([column, 'started_at_ms', 'position']).execute();
    }
    await db.schema
      .createTable('audit_corrections')
      .ifNotExists()
      .addColumn('event_id', 'text', (c) => c.primaryKey())
      .addColumn('position', 'bigint', (c) => c.notNull())
      .addColumn('correction_id', 'text', (c) => c.notNull())
      .addColumn('corrects_event_id', 'text', (c) => c.notNull())
      .addColumn('call_id', 'text', (c) => c.notNull())
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('corrected', 'text', (c) => c.notNull())
      .addColumn('previous', 'text', (c) => c.notNull())
      .addColumn('actor_user_id', 'text')
      .addColumn('actor_role', 'text')
      .execute();
    await db.schema.createIndex('audit_corrections_by_target').ifNotExists().on('audit_corrections').columns(['corrects_event_id', 'position']).execute();
  },

  async apply(event: ProjectedEvent, tx: ReadTx) {
    switch (event.type) {
      case 'CallAttempted': {
        const d = event.data;
        await tx
          .insertInto('audit_attempts')
          .values({
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
          })
          .execute();
        return;
      }
      case 'CallRecordCorrected': {
        const d = event.data;
        await tx
          .insertInto('audit_corrections')
          .values({
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
          })
          .execute();
        return;
      }
      default:
        return;
    }
  },
};
