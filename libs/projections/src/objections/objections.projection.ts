import type { Kysely } from 'kysely';
import type { ReadModelDb } from '../read-store/read-model-db';
import type { ProjectedEvent, Projection, ReadTx } from '../runtime/projection';

/**
 * Objections for the objections report (seed 002 §5: which objection is answered by which
 * method): each as raised, with corrections to its kind, topic, method or resolution applied.
 */
export const objectionsProjection: Projection = {
  name: 'objections',
  version: 1,
  tables: ['report_objections'],

  async createTables(db: Kysely<ReadModelDb>) {
    await db.schema
      .createTable('report_objections')
      .ifNotExists()
      .addColumn('objection_id', 'text', (c) => c.primaryKey())
      .addColumn('clinic_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('topic', 'text', (c) => c.notNull())
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('resolved', 'integer', (c) => c.notNull())
      .addColumn('at_ms', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('report_objections_by_time').ifNotExists().on('report_objections').columns(['clinic_id', 'at_ms']).execute();
  },

  async apply(event: ProjectedEvent, tx: ReadTx) {
    if (event.type === 'ObjectionRaised') {
      const d = event.data;
      await tx
        .insertInto('report_objections')
        .values({ objection_id: d.objectionId, clinic_id: d.clinicId, kind: d.kind, topic: d.topic, method: d.method, resolved: d.resolved ? 1 : 0, at_ms: event.recordedAtMs })
        .onConflict((oc) => oc.column('objection_id').doNothing())
        .execute();
      return;
    }
    if (event.type === 'ObjectionRecordCorrected') {
      const c = event.data.corrected;
      const patch = {
        ...(typeof c.kind === 'string' ? { kind: c.kind } : {}),
        ...(typeof c.topic === 'string' ? { topic: c.topic } : {}),
        ...(typeof c.method === 'string' ? { method: c.method } : {}),
        ...(typeof c.resolved === 'boolean' ? { resolved: c.resolved ? 1 : 0 } : {}),
      };
      if (Object.keys(patch).length > 0) await tx.updateTable('report_objections').set(patch).where('objection_id', '=', event.data.objectionId).execute();
    }
  },
};
