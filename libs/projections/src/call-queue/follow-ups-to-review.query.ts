import type { Kysely } from 'kysely';
import { requireClinic } from '../clinics/clinics.query';
import type { ReadModelDb } from '../read-store/read-model-db';
import { isoOf } from '../runtime/instants';

/** The follow-ups staff look at outside the queue (issue 15 item 9; API.md `GET …/follow-ups`). */
export const REVIEW_STATUSES = ['needs_number', 'unreachable', 'expired'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export const REVIEW_PROJECTIONS = {
  needs_number: ['call-queue', 'clinics'],
  unreachable: ['follow-up-report', 'call-queue', 'clinics'],
  expired: ['follow-up-report', 'call-queue', 'clinics'],
} as const satisfies Record<ReviewStatus, readonly string[]>;

export interface FollowUpToReview {
  followUpId: string;
  patientId: string;
  clinicId: string;
  /** The name and phone on record (for needs_number: the wrong phone, so staff know which one failed). */
  patient: { name?: string; phone?: string };
  purpose: string;
  kind: string;
  status: ReviewStatus;
  /** needs_number: when it is (or was) due; unreachable and expired: when it closed. */
  dueAt?: string;
  closedAt?: string;
}

export interface FollowUpsToReview {
  clinicId: string;
  status: ReviewStatus;
  items: FollowUpToReview[];
}

/**
 * needs_number: the open follow-ups of patients whose phone a call found wrong, longest due first;
 * they come back to the queue when a phone is given again. unreachable / expired: the follow-ups
 * that closed so (attempts used up; an urgent call past its expiry), most recently closed first.
 */
export async function readFollowUpsToReview(db: Kysely<ReadModelDb>, clinicId: string, status: ReviewStatus, limit: number): Promise<FollowUpsToReview> {
  await requireClinic(db, clinicId);
  if (status === 'needs_number') {
    const rows = await db
      .selectFrom('queue_follow_ups as f')
      .leftJoin('queue_patients as p', 'p.patient_id', 'f.patient_id')
      .select(['f.follow_up_id', 'f.patient_id', 'f.purpose', 'f.kind', 'f.due_at', 'p.name', 'p.phone'])
      .where('f.clinic_id', '=', clinicId)
      .where('f.needs_number', '=', 1)
      .orderBy('f.due_at_ms')
      .orderBy('f.follow_up_id')
      .limit(limit)
      .execute();
    return { clinicId, status, items: rows.map((r) => ({ ...item(r, clinicId, status), dueAt: r.due_at })) };
  }
  const rows = await db
    .selectFrom('report_follow_ups as f')
    .leftJoin('queue_patients as p', 'p.patient_id', 'f.patient_id')
    .select(['f.follow_up_id', 'f.patient_id', 'f.purpose', 'f.kind', 'f.closed_at_ms', 'p.name', 'p.phone'])
    .where('f.clinic_id', '=', clinicId)
    .where('f.closed_reason', '=', status)
    .orderBy('f.closed_at_ms', 'desc')
    .orderBy('f.follow_up_id')
    .limit(limit)
    .execute();
  return { clinicId, status, items: rows.map((r) => ({ ...item(r, clinicId, status), ...(r.closed_at_ms !== null ? { closedAt: isoOf(Number(r.closed_at_ms)) } : {}) })) };
}

function item(r: { follow_up_id: string; patient_id: string; purpose: string; kind: string; name: string | null; phone: string | null }, clinicId: string, status: ReviewStatus): FollowUpToReview {
  return {
    followUpId: r.follow_up_id,
    patientId: r.patient_id,
    clinicId,
    patient: { ...(r.name !== null ? { name: r.name } : {}), ...(r.phone !== null ? { phone: r.phone } : {}) },
    purpose: r.purpose,
    kind: r.kind,
    status,
  };
}
