/**
 * The doctor-feedback projection's tables. Ids, times and what the patient said about their
 * condition (symptoms, satisfaction, the complaint flag): no names, no phones, no notes.
 */

/** Each treatment's attending doctor (as corrected): the calls about it are fed back to that doctor. */
export interface DoctorFeedbackTreatmentsTable {
  patient_id: string;
  treatment_id: string;
  doctor_id: string;
  completed_ms: number;
}

/** The patient's latest treatment: the attending doctor of a call that names no follow-up (or one of no treatment). */
export interface DoctorFeedbackPatientsTable {
  patient_id: string;
  treatment_id: string;
  completed_ms: number;
}

/** Follow-ups, to find a call's treatment, and to tell a doctor's own callback from a caller's call. */
export interface DoctorFeedbackFollowUpsTable {
  follow_up_id: string;
  treatment_id: string | null;
  /** 1: a doctor_callback task (a call on it is the doctor's own, not feedback to them). */
  callback: number;
}

/**
 * Every caller's call about a patient (the doctors' own callback calls are left out), as
 * corrected: a call may come to qualify, or stop, when a correction changes its outcome,
 * satisfaction or symptoms, so each is kept and `qualifies` says whether it is feedback now.
 */
export interface DoctorFeedbackCallsTable {
  call_id: string;
  clinic_id: string;
  patient_id: string;
  /** The treatment the call is about (its follow-up's, else the patient's latest then); its doctor is the attending one. */
  treatment_id: string | null;
  follow_up_id: string | null;
  caller_id: string;
  started_ms: number;
  outcome: string;
  satisfaction: number | null;
  symptoms: string | null;
  complaint: number;
  /** 1: reached, with symptoms, satisfaction 1–2 or a complaint. */
  qualifies: number;
  /** The doctor_callback task the call put in a doctor's queue, if it did. */
  callback_follow_up_id: string | null;
}
