import type { Kysely } from 'kysely';
import type { ReadModelDb } from '../read-store/read-model-db';
import { epochMs } from '../runtime/instants';
import type { ProjectedEvent, Projection, ReadTx } from '../runtime/projection';

/**
 * The life of every follow-up for the weekly report: when it was first due, when it was first
 * tried, when and why it closed, and whether it was a complaint (kind doctor_callback).
 */
export const followUpReportProjection: Projection = {
  name: 'follow-up-report',
  version: 1,
  tables: ['report_follow_ups'],

  async createTables(db: Kysely<ReadModelDb>) {
    await db.schema
      .createTable('report_follow_ups')
      .ifNotExists()
      .addColumn('follow_up_id', 'text', (c) => c.primaryKey())
      .addColumn('clinic_id', 'text', (c) => c.notNull())
      .addColumn('audience', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('first_due_at_ms', 'bigint', (c) => c.notNull())
      .addColumn('scheduled_at_ms', 'bigint', (c) => c.notNull())
      .addColumn('first_attempt_at_ms', 'bigint')
      .addColumn('closed_at_ms', 'bigint')
      .addColumn('closed_reason', 'text')
      .execute();
    await db.schema.createIndex('report_follow_ups_due').ifNotExists().on('report_follow_ups').columns(['clinic_id', 'first_due_at_ms']).execute();
    await db.schema.createIndex('report_follow_ups_kind').ifNotExists().on('report_follow_ups').columns(['clinic_id', 'kind', 'scheduled_at_ms']).execute();
  },

  async apply(event: ProjectedEvent, tx: ReadTx) {
    switch (event.type) {
      case 'FollowUpScheduled': {
        const d = event.data;
        await tx
          .insertInto('report_follow_ups')
          .values({
            follow_up_id: d.followUpId,
            clinic_id: d.clinicId,
            audience: d.assignee?.role ?? 'caller',
            kind: d.kind ?? 'treatment',
            first_due_at_ms: epochMs(d.dueAt, 'dueAt'),
            scheduled_at_ms: event.recordedAtMs,
            first_attempt_at_ms: null,
            closed_at_ms: null,
            closed_reason: null,
          })
          .onConflict((oc) => oc.column('follow_up_id').doNothing())
          .execute();
        return;
      }
      case 'CallAttempted': {
        const d = event.data;
        if (!d.followUpId) return;
        const startedAt = epochMs(d.startedAt, 'startedAt');
        // The earliest attempt, also when a late entry records an earlier call after a later one.
        await tx
          .updateTable('report_follow_ups')
          .set({ first_attempt_at_ms: startedAt })
          .where('follow_up_id', '=', d.followUpId)
          .where((eb) => eb.or([eb('first_attempt_at_ms', 'is', null), eb('first_attempt_at_ms', '>', startedAt)]))
          .execute();
        return;
      }
      case 'FollowUpClosed':
        await tx
          .updateTable('report_follow_ups')
          .set({ closed_at_ms: event.recordedAtMs, closed_reason: event.data.reason })
          .where('follow_up_id', '=', event.data.followUpId)
          .execute();
        return;
      default:
        return;
    }
  },
};
