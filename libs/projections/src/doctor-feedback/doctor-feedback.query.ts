import type { Kysely } from 'kysely';
import { rangeView } from '../caller-metrics/caller-metrics.query';
import type { ReadModelDb } from '../read-store/read-model-db';
import { isoOf } from '../runtime/instants';

export const DOCTOR_FEEDBACK_PROJECTIONS = ['doctor-feedback'] as const;

/** A reached call about one of the doctor's patients that the doctor should hear about. */
export interface DoctorFeedbackItem {
  callId: string;
  patientId: string;
  clinicId: string;
  /** The treatment the call was about: its follow-up's, else the patient's latest then. */
  treatmentId: string;
  /** The follow-up the call worked, if it named one. */
  followUpId: string | null;
  callerId: string;
  startedAt: string;
  /** 1–5 as the patient rated it; null when not asked. */
  satisfaction: number | null;
  /** What the patient said about their condition; null when nothing. */
  symptoms: string | null;
  complaint: boolean;
  /** The callback task the call put in a doctor's queue (a complaint, or discomfort), if it did. */
  callbackFollowUpId: string | null;
}

export interface DoctorFeedback {
  doctorId: string;
  from?: string;
  to?: string;
  /** Newest first. */
  items: DoctorFeedbackItem[];
}

/**
 * The callers' reached calls about the doctor's patients (the doctor of the treatment each call
 * was about, as corrected) with symptoms, a satisfaction of 1 or 2, or a complaint, started in
 * [from, to), newest first. `clinicIds`: only calls of these clinics (a token scoped to some
 * clinics); absent: every clinic.
 */
export async function readDoctorFeedback(
  db: Kysely<ReadModelDb>,
  doctorId: string,
  range: { fromMs?: number; toMs?: number },
  clinicIds?: readonly string[],
): Promise<DoctorFeedback> {
  if (clinicIds && clinicIds.length === 0) return { doctorId, ...rangeView(range), items: [] };
  const rows = await db
    .selectFrom('doctor_feedback_treatments as t')
    .innerJoin('doctor_feedback_calls as c', (j) => j.onRef('c.patient_id', '=', 't.patient_id').onRef('c.treatment_id', '=', 't.treatment_id'))
    .selectAll('c')
    .where('t.doctor_id', '=', doctorId)
    .where('c.qualifies', '=', 1)
    .$if(clinicIds !== undefined, (qb) => qb.where('c.clinic_id', 'in', clinicIds!))
    .$if(range.fromMs !== undefined, (qb) => qb.where('c.started_ms', '>=', range.fromMs!))
    .$if(range.toMs !== undefined, (qb) => qb.where('c.started_ms', '<', range.toMs!))
    .orderBy('c.started_ms', 'desc')
    .orderBy('c.call_id', 'desc')
    .execute();
  const items = rows.map(
    (r): DoctorFeedbackItem => ({
      callId: r.call_id,
      patientId: r.patient_id,
      clinicId: r.clinic_id,
      treatmentId: r.treatment_id!,
      followUpId: r.follow_up_id,
      callerId: r.caller_id,
      startedAt: isoOf(Number(r.started_ms)),
      satisfaction: r.satisfaction === null ? null : Number(r.satisfaction),
      symptoms: r.symptoms,
      complaint: Number(r.complaint) === 1,
      callbackFollowUpId: r.callback_follow_up_id,
    }),
  );
  return { doctorId, ...rangeView(range), items };
}
