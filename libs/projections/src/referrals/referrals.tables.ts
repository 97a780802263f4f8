/** One row per referral asked for: who asked, and how far it went (the first booking it brought, a visit). */
export interface ReportReferralsTable {
  referral_id: string;
  clinic_id: string;
  referrer_id: string;
  requested_ms: number;
  /** The first booking that carries it, and whose it is. */
  appointment_id: string | null;
  referred_patient_id: string | null;
  booked_ms: number | null;
  /** The first visit attended on a booking that carries it. */
  attended_ms: number | null;
}

/** Every booking that carries a referral: an attended visit is traced back to its referral through it. */
export interface ReportReferralBookingsTable {
  appointment_id: string;
  referral_id: string;
}
