import type { Kysely } from 'kysely';
import type { ReadModelDb } from '../read-store/read-model-db';

/**
 * Open urgent follow-ups that fell due at or before `dueBeforeMs`: the ones whose expiry may have
 * come (the domain decides, by the clinic's rule). Oldest first, a bounded page per sweep.
 */
export async function readExpiryCandidates(db: Kysely<ReadModelDb>, dueBeforeMs: number, limit = 500): Promise<{ patientId: string; followUpId: string }[]> {
  const rows = await db
    .selectFrom('queue_follow_ups')
    .select(['patient_id', 'follow_up_id'])
    .where('urgent', '=', 1)
    .where('due_at_ms', '<=', dueBeforeMs)
    .orderBy('due_at_ms')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ patientId: r.patient_id, followUpId: r.follow_up_id }));
}
