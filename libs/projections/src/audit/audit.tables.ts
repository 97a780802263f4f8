/** Every contact attempt as recorded (never deleted, never changed: corrections are rows of their own). */
export interface AuditAttemptsTable {
  event_id: string;
  position: number;
  call_id: string;
  patient_id: string;
  clinic_id: string;
  caller_id: string;
  follow_up_id: string | null;
  /** The time the caller claims (CallAttempted.startedAt), and its epoch ms for ranges. */
  started_at: string;
  started_at_ms: number;
  /** The server's time of recording (metadata.recordedAt). */
  recorded_at: string;
  outcome: string;
  duration_seconds: number | null;
  satisfaction: number | null;
  notes: string | null;
  symptoms: string | null;
  complaint: number;
  late_entry_reason: string | null;
  /** Who recorded it: the token's user and role (metadata.actor). */
  actor_user_id: string | null;
  actor_role: string | null;
}

/** Every CallRecordCorrected, beside the attempt it corrects. */
export interface AuditCorrectionsTable {
  event_id: string;
  position: number;
  correction_id: string;
  corrects_event_id: string;
  call_id: string;
  recorded_at: string;
  reason: string;
  /** JSON: the corrected fields' new values, and what they were. */
  corrected: string;
  previous: string;
  actor_user_id: string | null;
  actor_role: string | null;
}

/** Who read which patient's record, when (PatientRecordRead in the `access-<clinicId>` streams). */
export interface AccessReadsTable {
  position: number;
  event_id: string;
  patient_id: string;
  clinic_id: string;
  user_id: string;
  role: string;
  what: string;
  at: string;
  at_ms: number;
}
