import type { Kysely } from 'kysely';
import type { ReadModelDb } from '../read-store/read-model-db';

export const TIMELINE_PROJECTIONS = ['patient-timeline'] as const;

export interface TimelineEntry {
  position: number;
  eventId: string;
  type: string;
  at: string;
  recordedAt: string;
  summary: string;
  ids: Record<string, string>;
}

/** A patient's timeline, oldest first (by when it happened, then by the order it was recorded); undefined when unknown. */
export async function readTimeline(db: Kysely<ReadModelDb>, patientId: string): Promise<{ patientId: string; entries: TimelineEntry[] } | undefined> {
  const rows = await db
    .selectFrom('timeline_entries')
    .selectAll()
    .where('patient_id', '=', patientId)
    .orderBy('at_ms')
    .orderBy('position')
    .orderBy('type')
    .execute();
  if (rows.length === 0) return undefined;
  return {
    patientId,
    entries: rows.map((r) => ({
      position: Number(r.position),
      eventId: r.event_id,
      type: r.type,
      at: r.at,
      recordedAt: r.recorded_at,
      summary: r.summary,
      ids: JSON.parse(r.ids) as Record<string, string>,
    })),
  };
}

/** The patient whose timeline shows the fact recorded as this event (the referral booking a referrer sees is not theirs). */
export async function patientOfEvent(db: Kysely<ReadModelDb>, eventId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('timeline_entries')
    .select('patient_id')
    .where('event_id', '=', eventId)
    .where('type', '!=', 'ReferralBooked')
    .executeTakeFirst();
  return row?.patient_id;
}
