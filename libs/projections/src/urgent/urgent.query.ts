import type { Kysely } from 'kysely';
import { ratio, rangeView } from '../caller-metrics/caller-metrics.query';
import { requireClinic } from '../clinics/clinics.query';
import type { ReadModelDb } from '../read-store/read-model-db';

export const URGENT_REPORT_PROJECTIONS = ['urgent', 'clinics'] as const;

export interface UrgentRow {
  rule: string;
  /** Urgent follow-ups of the rule due in the range. */
  due: number;
  /** First called by the rule's deadline… */
  inTime: number;
  /** …after it… */
  late: number;
  /** …or not called at all. */
  notDone: number;
  /** inTime ÷ due. */
  inTimeRate: number;
}

export interface UrgentReport {
  clinicId: string;
  from?: string;
  to?: string;
  rows: UrgentRow[];
}

/** Urgent follow-ups due in [from, to), per rule: called in time, late, or never. */
export async function readUrgentReport(db: Kysely<ReadModelDb>, clinicId: string, range: { fromMs?: number; toMs?: number }): Promise<UrgentReport> {
  await requireClinic(db, clinicId);
  const rows = await db
    .selectFrom('report_urgent')
    .select('rule_id')
    .select((eb) => [
      eb.fn.countAll<number>().as('due'),
      eb.fn.sum<number>(eb.case().when('first_attempt_ms', '<=', eb.ref('deadline_ms')).then(1).else(0).end()).as('in_time'),
      eb.fn.sum<number>(eb.case().when('first_attempt_ms', '>', eb.ref('deadline_ms')).then(1).else(0).end()).as('late'),
    ])
    .where('clinic_id', '=', clinicId)
    .$if(range.fromMs !== undefined, (qb) => qb.where('due_ms', '>=', range.fromMs!))
    .$if(range.toMs !== undefined, (qb) => qb.where('due_ms', '<', range.toMs!))
    .groupBy('rule_id')
    .execute();
  return {
    clinicId,
    ...rangeView(range),
    rows: rows
      .map((r) => {
        const due = Number(r.due);
        const inTime = Number(r.in_time);
        const late = Number(r.late);
        return { rule: r.rule_id, due, inTime, late, notDone: due - inTime - late, inTimeRate: ratio(inTime, due) };
      })
      .sort((a, b) => b.due - a.due || (a.rule < b.rule ? -1 : 1)),
  };
}
