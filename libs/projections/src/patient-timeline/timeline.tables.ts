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
  /** The summary without the personal data it holds (null when it holds none); it replaces summary on PersonalDataErased. */
  redacted_summary: string | null;
  follow_up_id: string | null;
  call_id: string | null;
  /** JSON object of the ids the fact names (treatmentId, callId, referralId, …). */
  ids: string;
}
