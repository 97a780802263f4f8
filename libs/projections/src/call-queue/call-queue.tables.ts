/** Who works a follow-up: the callers, or a doctor (a complaint's callback, a prospect's escalation). */
export type QueueAudience = 'caller' | 'doctor' | 'senior_doctor';

/** One row per OPEN follow-up; a closed one is deleted, so the table stays as small as the work. */
export interface QueueFollowUpsTable {
  follow_up_id: string;
  clinic_id: string;
  patient_id: string;
  audience: QueueAudience;
  assignee_doctor_id: string | null;
  kind: string;
  purpose: string;
  due_at: string;
  due_at_ms: number;
  urgent: number;
  /** Copied from the patient's preferences, so ordering and filtering need no join. */
  vip: number;
  do_not_call: number;
  avoid_work_hours: number;
  has_preferred_times: number;
  has_wishes: number;
  needs_number: number;
  treatment_id: string | null;
  procedure: string | null;
  rule_id: string | null;
  step_id: string | null;
  protocol_version: number | null;
  attempts: number;
  last_outcome: string | null;
  last_attempt_at: string | null;
  last_caller_id: string | null;
  scheduled_at: string;
  /** An urgent call's deadline (its rule's): past it, the call is late. */
  deadline_at: string | null;
  claimed_by: string | null;
  claimed_until: string | null;
}

/** The attempt history of open follow-ups ("I have tried you several times, your phone was off"). */
export interface QueueAttemptsTable {
  follow_up_id: string;
  call_id: string;
  caller_id: string;
  outcome: string;
  started_at: string;
  started_at_ms: number;
}

export interface QueuePatientsTable {
  patient_id: string;
  clinic_id: string;
  name: string | null;
  phone: string | null;
  vip: number;
  do_not_call: number;
  avoid_work_hours: number;
  /** JSON array of local "HH:MM-HH:MM" ranges, or null. */
  preferred_times: string | null;
  phone_wrong: number;
}

export interface QueueTreatmentsTable {
  patient_id: string;
  treatment_id: string;
  procedure: string;
  doctor_id: string;
}
