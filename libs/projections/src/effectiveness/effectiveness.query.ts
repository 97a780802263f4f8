import type { Kysely } from 'kysely';
import { ratio, rangeView } from '../caller-metrics/caller-metrics.query';
import { requireClinic } from '../clinics/clinics.query';
import type { ReadModelDb } from '../read-store/read-model-db';

export const EFFECTIVENESS_REPORT_PROJECTIONS = ['effectiveness', 'clinics'] as const;
export const EFFECTIVENESS_GROUPINGS = ['procedure', 'rule'] as const;
export type EffectivenessGrouping = (typeof EFFECTIVENESS_GROUPINGS)[number];

export interface EffectivenessCounts {
  /** Callers' follow-ups first due in the range. */
  due: number;
  /** …with at least one call. */
  attempted: number;
  /** …with at least one reached call. */
  reached: number;
  /** reached ÷ due: how many of the follow-ups due reached the patient. */
  reachRate: number;
  /** …with a booking credited to one of their calls. */
  booked: number;
  /** …of those, the visit attended. */
  attended: number;
  /** …with a call that reported a complaint or discomfort. */
  complaints: number;
}

export type EffectivenessRow = EffectivenessCounts & (
  /** by procedure: the treatment's procedure (null for follow-ups no treatment started: prospects, missed visits, greetings, by `kind`). */
  | { procedure: string | null; kind: string }
  /** by rule: the protocol rule and step that scheduled it. */
  | { rule: string | null; step: string | null }
);

export interface EffectivenessReport {
  clinicId: string;
  by: EffectivenessGrouping;
  from?: string;
  to?: string;
  /** Most follow-ups due first. */
  rows: EffectivenessRow[];
}

/** Callers' follow-ups first due in [from, to), grouped by procedure or by protocol rule and step. */
export async function readEffectivenessReport(db: Kysely<ReadModelDb>, clinicId: string, by: EffectivenessGrouping, range: { fromMs?: number; toMs?: number }): Promise<EffectivenessReport> {
  await requireClinic(db, clinicId);
  const groups = by === 'procedure' ? (['kind', 'procedure'] as const) : (['rule_id', 'step_id'] as const);
  const rows = await db
    .selectFrom('report_effectiveness')
    .select(groups)
    .select((eb) => [
      eb.fn.countAll<number>().as('due'),
      eb.fn.sum<number>('attempted').as('attempted'),
      eb.fn.sum<number>('reached').as('reached'),
      eb.fn.sum<number>('booked').as('booked'),
      eb.fn.sum<number>('attended').as('attended'),
      eb.fn.sum<number>('complaints').as('complaints'),
    ])
    .where('clinic_id', '=', clinicId)
    .$if(range.fromMs !== undefined, (qb) => qb.where('first_due_ms', '>=', range.fromMs!))
    .$if(range.toMs !== undefined, (qb) => qb.where('first_due_ms', '<', range.toMs!))
    .groupBy(groups)
    .execute();
  const out = rows.map((row) => {
    const counts = { due: Number(row.due), attempted: Number(row.attempted), reached: Number(row.reached), booked: Number(row.booked), attended: Number(row.attended), complaints: Number(row.complaints) };
    const r = row as { kind?: string; procedure?: string | null; rule_id?: string | null; step_id?: string | null };
    const group = by === 'procedure' ? { procedure: r.procedure ?? null, kind: r.kind! } : { rule: r.rule_id ?? null, step: r.step_id ?? null };
    return { ...group, ...counts, reachRate: ratio(counts.reached, counts.due) } as EffectivenessRow;
  });
  const name = (r: EffectivenessRow) => ('kind' in r ? `${r.kind} ${r.procedure ?? ''}` : `${r.rule ?? ''} ${r.step ?? ''}`);
  out.sort((a, b) => b.due - a.due || (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
  return { clinicId, by, ...rangeView(range), rows: out };
}
