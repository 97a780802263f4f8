import type { Kysely } from 'kysely';
import { ratio, rangeView } from '../caller-metrics/caller-metrics.query';
import { requireClinic } from '../clinics/clinics.query';
import type { ReadModelDb } from '../read-store/read-model-db';

export const OBJECTIONS_REPORT_PROJECTIONS = ['objections', 'clinics'] as const;

export interface ObjectionCounts {
  raised: number;
  resolved: number;
  /** resolved ÷ raised. */
  resolutionRate: number;
}

export interface ObjectionsReport {
  clinicId: string;
  from?: string;
  to?: string;
  /** Every kind × method that occurred, by kind then method. */
  byKindMethod: (ObjectionCounts & { kind: string; method: string })[];
  /** Every topic × method that occurred, by topic then method. */
  byTopicMethod: (ObjectionCounts & { topic: string; method: string })[];
  /** The topics, most raised first (then by name). */
  topics: (ObjectionCounts & { topic: string })[];
}

/** Objections raised in [from, to) (at their recordedAt), as corrected: what was raised, how it was answered, what worked. */
export async function readObjectionsReport(db: Kysely<ReadModelDb>, clinicId: string, range: { fromMs?: number; toMs?: number }): Promise<ObjectionsReport> {
  await requireClinic(db, clinicId);
  const rows = await db
    .selectFrom('report_objections')
    .select(['kind', 'topic', 'method', 'resolved'])
    .where('clinic_id', '=', clinicId)
    .$if(range.fromMs !== undefined, (qb) => qb.where('at_ms', '>=', range.fromMs!))
    .$if(range.toMs !== undefined, (qb) => qb.where('at_ms', '<', range.toMs!))
    .execute();
  const tally = <K extends string>(keys: (row: (typeof rows)[number]) => Record<K, string>) => {
    const groups = new Map<string, Record<K, string> & { raised: number; resolved: number }>();
    for (const row of rows) {
      const key = keys(row);
      const id = JSON.stringify(key);
      const group = groups.get(id) ?? { ...key, raised: 0, resolved: 0 };
      group.raised++;
      if (Number(row.resolved) === 1) group.resolved++;
      groups.set(id, group);
    }
    return [...groups.values()].map((g) => ({ ...g, resolutionRate: ratio(g.resolved, g.raised) }));
  };
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return {
    clinicId,
    ...rangeView(range),
    byKindMethod: tally((r) => ({ kind: r.kind, method: r.method })).sort((a, b) => byName(a.kind, b.kind) || byName(a.method, b.method)),
    byTopicMethod: tally((r) => ({ topic: r.topic, method: r.method })).sort((a, b) => byName(a.topic, b.topic) || byName(a.method, b.method)),
    topics: tally((r) => ({ topic: r.topic })).sort((a, b) => b.raised - a.raised || byName(a.topic, b.topic)),
  };
}
