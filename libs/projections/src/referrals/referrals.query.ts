import type { Kysely } from 'kysely';
import { rangeView } from '../caller-metrics/caller-metrics.query';
import { requireClinic } from '../clinics/clinics.query';
import type { ReadModelDb } from '../read-store/read-model-db';
import { isoOf } from '../runtime/instants';

export const REFERRALS_REPORT_PROJECTIONS = ['referrals', 'clinics'] as const;
/** The referrers listed, most bookings brought first. */
const TOP_REFERRERS = 10;

export interface ReferralChain {
  referralId: string;
  referrerId: string;
  requestedAt: string;
  referredPatientId?: string;
  appointmentId?: string;
  bookedAt?: string;
  attendedAt?: string;
}

export interface ReferralsReport {
  clinicId: string;
  from?: string;
  to?: string;
  requested: number;
  /** Referrals that brought a booking. */
  booked: number;
  /** Referrals whose booking led to a visit. */
  attended: number;
  topReferrers: { patientId: string; requested: number; booked: number; attended: number }[];
  /** Each referral: referrer → referred → booking → visit, oldest first. */
  chains: ReferralChain[];
}

/** Referrals asked for in [from, to) (at their recordedAt), followed to the booking and the visit, whenever those came. */
export async function readReferralsReport(db: Kysely<ReadModelDb>, clinicId: string, range: { fromMs?: number; toMs?: number }): Promise<ReferralsReport> {
  await requireClinic(db, clinicId);
  const rows = await db
    .selectFrom('report_referrals')
    .selectAll()
    .where('clinic_id', '=', clinicId)
    .$if(range.fromMs !== undefined, (qb) => qb.where('requested_ms', '>=', range.fromMs!))
    .$if(range.toMs !== undefined, (qb) => qb.where('requested_ms', '<', range.toMs!))
    .orderBy('requested_ms')
    .orderBy('referral_id')
    .execute();
  const referrers = new Map<string, { patientId: string; requested: number; booked: number; attended: number }>();
  for (const row of rows) {
    const r = referrers.get(row.referrer_id) ?? { patientId: row.referrer_id, requested: 0, booked: 0, attended: 0 };
    r.requested++;
    if (row.booked_ms !== null) r.booked++;
    if (row.attended_ms !== null) r.attended++;
    referrers.set(row.referrer_id, r);
  }
  return {
    clinicId,
    ...rangeView(range),
    requested: rows.length,
    booked: rows.filter((r) => r.booked_ms !== null).length,
    attended: rows.filter((r) => r.attended_ms !== null).length,
    topReferrers: [...referrers.values()]
      .sort((a, b) => b.booked - a.booked || b.attended - a.attended || b.requested - a.requested || (a.patientId < b.patientId ? -1 : 1))
      .slice(0, TOP_REFERRERS),
    chains: rows.map((row) => ({
      referralId: row.referral_id,
      referrerId: row.referrer_id,
      requestedAt: isoOf(Number(row.requested_ms)),
      ...(row.referred_patient_id !== null ? { referredPatientId: row.referred_patient_id } : {}),
      ...(row.appointment_id !== null ? { appointmentId: row.appointment_id } : {}),
      ...(row.booked_ms !== null ? { bookedAt: isoOf(Number(row.booked_ms)) } : {}),
      ...(row.attended_ms !== null ? { attendedAt: isoOf(Number(row.attended_ms)) } : {}),
    })),
  };
}
