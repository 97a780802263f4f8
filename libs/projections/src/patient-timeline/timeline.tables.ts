/** One row per fact on a patient's timeline. */
export interface TimelineEntriesTable {
  patient_id: string;
  position: number;
  event_id: string;
  /** The event type; `ReferralBooked` for a booking seen from the referrer's side. */
  type: string;
  /** When it happened (the claimed time where the fact has one), ISO-8601. */
  at: string;
  at_ms: number;
  recorded_at: string;
  summary: string;
  follow_up_id: string | null;
  call_id: string | null;
  /** JSON object of the ids the fact names (treatmentId, callId, referralId, …). */
  ids: string;
}
