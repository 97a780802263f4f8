/** Every follow-up ever scheduled, with what the weekly report asks of it. */
export interface ReportFollowUpsTable {
  follow_up_id: string;
  clinic_id: string;
  patient_id: string;
  audience: string;
  kind: string;
  purpose: string;
  /** The patient asked not to be called (while it was open): not counted as due or overdue. */
  do_not_call: number;
  /** The dueAt it was scheduled with (a retry moves the queue's dueAt, not this). */
  first_due_at_ms: number;
  /** recordedAt of its FollowUpScheduled. */
  scheduled_at_ms: number;
  /** The earliest CallAttempted.startedAt on it. */
  first_attempt_at_ms: number | null;
  /** recordedAt of its FollowUpClosed. */
  closed_at_ms: number | null;
  closed_reason: string | null;
}

/** Whether each patient now asks not to be called. */
export interface ReportPatientsTable {
  patient_id: string;
  do_not_call: number;
}
