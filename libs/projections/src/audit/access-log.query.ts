import type { Kysely } from 'kysely';
import type { ReadModelDb } from '../read-store/read-model-db';

export const ACCESS_LOG_PROJECTIONS = ['access-log'] as const;

export interface AccessFilter {
  patientId?: string;
  userId?: string;
  clinicId?: string;
  fromMs?: number;
  toMs?: number;
  /** The clinics the reader may see; absent: every clinic. */
  clinicIds?: readonly string[];
  limit: number;
}

export interface AccessEntry {
  position: number;
  eventId: string;
  at: string;
  userId: string;
  role: string;
  patientId: string;
  clinicId: string;
  what: string;
}

/** Reads of patients' records, oldest first; `truncated` when more than `limit` match. */
export async function readAccessLog(db: Kysely<ReadModelDb>, filter: AccessFilter): Promise<{ entries: AccessEntry[]; truncated: boolean }> {
  if (filter.clinicIds && filter.clinicIds.length === 0) return { entries: [], truncated: false };
  const rows = await db
    .selectFrom('access_reads')
    .selectAll()
    .$if(filter.patientId !== undefined, (qb) => qb.where('patient_id', '=', filter.patientId!))
    .$if(filter.userId !== undefined, (qb) => qb.where('user_id', '=', filter.userId!))
    .$if(filter.clinicId !== undefined, (qb) => qb.where('clinic_id', '=', filter.clinicId!))
    .$if(filter.clinicIds !== undefined, (qb) => qb.where('clinic_id', 'in', filter.clinicIds!))
    .$if(filter.fromMs !== undefined, (qb) => qb.where('at_ms', '>=', filter.fromMs!))
    .$if(filter.toMs !== undefined, (qb) => qb.where('at_ms', '<', filter.toMs!))
    .orderBy('at_ms')
    .orderBy('position')
    .limit(filter.limit + 1)
    .execute();
  return {
    truncated: rows.length > filter.limit,
    entries: rows.slice(0, filter.limit).map((r) => ({
      position: Number(r.position),
      eventId: r.event_id,
      at: r.at,
      userId: r.user_id,
      role: r.role,
      patientId: r.patient_id,
      clinicId: r.clinic_id,
      what: r.what,
    })),
  };
}
