/** What a fact counts towards. */
export type CallerFact =
  | 'attempt'
  | 'reached'
  | 'booked'
  | 'credited_booking'
  /** A credited booking whose call is corrected to one that reached nobody: kept, not counted, back to credited if corrected again. */
  | 'credit_withheld'
  | 'referral_requested'
  | 'referral_converted'
  | 'objection_raised'
  | 'objection_resolved';

/**
 * One row per countable fact, with the instant it counts at, so any from/to range is a range scan.
 * `caller_id` is null only for a booking nobody's call made (it still counts for the clinic).
 */
export interface CallerFactsTable {
  position: number;
  fact: CallerFact;
  clinic_id: string;
  caller_id: string | null;
  /** For attempts: the call's outcome (as corrected). */
  outcome: string | null;
  /** The call or objection the fact counts, so a correction finds it. */
  subject_id: string | null;
  at_ms: number;
}

/** Who asked for each referral, so its conversion credits them, once. */
export interface CallerReferralsTable {
  referral_id: string;
  caller_id: string;
  clinic_id: string;
  converted: number;
}
