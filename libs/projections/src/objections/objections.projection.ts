import type { ProjectedEvent } from '../runtime/projection';
import { patched, put, RowChange, Projection, RowReader, tableSpec } from '../runtime/row-projection';

/**
 * Objections for the objections report (seed 002 §5: which objection is answered by which
 * method): each as raised, with corrections to its kind, topic, method or resolution applied.
 */
export const objectionsProjection: Projection = {
  name: 'objections',
  version: 1,
  tables: ['report_objections'],
  schema: [
    tableSpec({
      name: 'report_objections',
      columns: { objection_id: 'text', clinic_id: 'text', kind: 'text', topic: 'text', method: 'text', resolved: 'integer', at_ms: 'bigint' },
      key: ['objection_id'],
      indexes: [{ name: 'report_objections_by_time', columns: ['clinic_id', 'at_ms'] }],
    }),
  ],

  project(event: ProjectedEvent, rows: RowReader): RowChange[] {
    if (event.type === 'ObjectionRaised') {
      const d = event.data;
      // The first raise counts; once it is there (and maybe corrected), the same id again changes nothing.
      if (rows.get('report_objections', { objection_id: d.objectionId })) return [];
      return [put('report_objections', { objection_id: d.objectionId, clinic_id: d.clinicId, kind: d.kind, topic: d.topic, method: d.method, resolved: d.resolved ? 1 : 0, at_ms: event.recordedAtMs })];
    }
    if (event.type === 'ObjectionRecordCorrected') {
      const c = event.data.corrected;
      const patch = {
        ...(typeof c.kind === 'string' ? { kind: c.kind } : {}),
        ...(typeof c.topic === 'string' ? { topic: c.topic } : {}),
        ...(typeof c.method === 'string' ? { method: c.method } : {}),
        ...(typeof c.resolved === 'boolean' ? { resolved: c.resolved ? 1 : 0 } : {}),
      };
      if (Object.keys(patch).length === 0) return [];
      const objection = rows.get('report_objections', { objection_id: event.data.objectionId });
      return objection ? [patched('report_objections', objection, patch)] : [];
    }
    return [];
  },
};
