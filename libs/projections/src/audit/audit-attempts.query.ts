import type { Kysely } from 'kysely';
import type { ReadModelDb } from '../read-store/read-model-db';

export const AUDIT_ATTEMPTS_PROJECTIONS = ['audit-attempts'] as const;

/** At most this many attempts in one export: a bigger one is refused, so nobody reads a silently cut list. */
export const MAX_AUDIT_ATTEMPTS = 100_000;

export interface AuditFilter {
  patientId?: string;
  callerId?: string;
  clinicId?: string;
  /** [fromMs, toMs) on the claimed startedAt as first recorded. */
  fromMs?: number;
  toMs?: number;
  /** The clinics the reader may see; absent: every clinic. */
  clinicIds?: readonly string[];
}

export interface Recorder {
  userId: string | null;
  role: string | null;
}

export interface AuditCorrection {
  eventId: string;
  position: number;
  correctionId: string;
  recordedAt: string;
  recordedBy: Recorder;
  reason: string;
  /** Each corrected field: what it was and what it is now. */
  changes: Record<string, { from: unknown; to: unknown }>;
}

export interface AuditAttempt {
  eventId: string;
  position: number;
  callId: string;
  patientId: string;
  clinicId: string;
  callerId: string;
  followUpId: string | null;
  /** When the caller says the call started. */
  startedAt: string;
  /** When the server recorded it. */
  recordedAt: string;
  outcome: string;
  durationSeconds: number | null;
  satisfaction: number | null;
  notes: string | null;
  symptoms: string | null;
  complaint: boolean;
  lateEntryReason: string | null;
  recordedBy: Recorder;
  /** Every correction of this attempt, oldest first. */
  corrections: AuditCorrection[];
  /** The attempt's fields with every correction applied (equal to the recorded ones when there is none). */
  current: { outcome: string; startedAt: string; durationSeconds: number | null; satisfaction: number | null; notes: string | null; symptoms: string | null };
}

export class AuditExportTooLargeError extends Error {
  constructor() {
    super(`more than ${MAX_AUDIT_ATTEMPTS} attempts match: narrow the range (from, to) or name a clinic, caller or patient`);
    this.name = 'AuditExportTooLargeError';
  }
}

/** Every contact attempt that matches, oldest first (by claimed start, then as recorded), each with its corrections. */
export async function readAuditAttempts(db: Kysely<ReadModelDb>, filter: AuditFilter): Promise<AuditAttempt[]> {
  if (filter.clinicIds && filter.clinicIds.length === 0) return [];
  const rows = await db
    .selectFrom('audit_attempts')
    .selectAll()
    .$if(filter.patientId !== undefined, (qb) => qb.where('patient_id', '=', filter.patientId!))
    .$if(filter.callerId !== undefined, (qb) => qb.where('caller_id', '=', filter.callerId!))
    .$if(filter.clinicId !== undefined, (qb) => qb.where('clinic_id', '=', filter.clinicId!))
    .$if(filter.clinicIds !== undefined, (qb) => qb.where('clinic_id', 'in', filter.clinicIds!))
    .$if(filter.fromMs !== undefined, (qb) => qb.where('started_at_ms', '>=', filter.fromMs!))
    .$if(filter.toMs !== undefined, (qb) => qb.where('started_at_ms', '<', filter.toMs!))
    .orderBy('started_at_ms')
    .orderBy('position')
    .limit(MAX_AUDIT_ATTEMPTS + 1)
    .execute();
  if (rows.length > MAX_AUDIT_ATTEMPTS) throw new AuditExportTooLargeError();
  const corrections = new Map<string, AuditCorrection[]>();
  // SQLite allows some thousands of bound values per statement: look corrections up in chunks.
  for (let i = 0; i < rows.length; i += 500) {
    const ids = rows.slice(i, i + 500).map((r) => r.event_id);
    const found = await db.selectFrom('audit_corrections').selectAll().where('corrects_event_id', 'in', ids).orderBy('position').execute();
    for (const c of found) {
      const list = corrections.get(c.corrects_event_id) ?? [];
      const corrected = JSON.parse(c.corrected) as Record<string, unknown>;
      const previous = JSON.parse(c.previous) as Record<string, unknown>;
      list.push({
        eventId: c.event_id,
        position: Number(c.position),
        correctionId: c.correction_id,
        recordedAt: c.recorded_at,
        recordedBy: { userId: c.actor_user_id, role: c.actor_role },
        reason: c.reason,
        changes: Object.fromEntries(Object.entries(corrected).map(([field, to]) => [field, { from: previous[field] ?? null, to }])),
      });
      corrections.set(c.corrects_event_id, list);
    }
  }
  return rows.map((r) => {
    const own = corrections.get(r.event_id) ?? [];
    const attempt: Omit<AuditAttempt, 'current'> = {
      eventId: r.event_id,
      position: Number(r.position),
      callId: r.call_id,
      patientId: r.patient_id,
      clinicId: r.clinic_id,
      callerId: r.caller_id,
      followUpId: r.follow_up_id,
      startedAt: r.started_at,
      recordedAt: r.recorded_at,
      outcome: r.outcome,
      durationSeconds: r.duration_seconds === null ? null : Number(r.duration_seconds),
      satisfaction: r.satisfaction === null ? null : Number(r.satisfaction),
      notes: r.notes,
      symptoms: r.symptoms,
      complaint: Number(r.complaint) === 1,
      lateEntryReason: r.late_entry_reason,
      recordedBy: { userId: r.actor_user_id, role: r.actor_role },
      corrections: own,
    };
    const current = { outcome: attempt.outcome, startedAt: attempt.startedAt, durationSeconds: attempt.durationSeconds, satisfaction: attempt.satisfaction, notes: attempt.notes, symptoms: attempt.symptoms };
    for (const correction of own) for (const [field, { to }] of Object.entries(correction.changes)) (current as Record<string, unknown>)[field] = to;
    return { ...attempt, current };
  });
}
