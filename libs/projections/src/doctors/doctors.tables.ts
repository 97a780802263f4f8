/** Each treatment's attending doctor (as corrected): calls about the patient are credited through it. */
export interface ReportDoctorTreatmentsTable {
  patient_id: string;
  treatment_id: string;
  doctor_id: string;
  completed_ms: number;
}

/** The patient's latest treatment: the attending doctor of a call that names no follow-up. */
export interface ReportDoctorPatientsTable {
  patient_id: string;
  treatment_id: string;
  completed_ms: number;
}

/** Follow-ups, to find a call's treatment, and to tell a doctor's own callback from a caller's call. */
export interface ReportDoctorFollowUpsTable {
  follow_up_id: string;
  patient_id: string;
  treatment_id: string | null;
  kind: string;
}

/** Every call about a patient, as corrected, credited to the attending doctor of its treatment. */
export interface ReportDoctorCallsTable {
  call_id: string;
  clinic_id: string;
  patient_id: string;
  treatment_id: string | null;
  follow_up_id: string | null;
  /** 1: the doctor's own callback call (not feedback about the doctor). */
  callback: number;
  started_ms: number;
  outcome: string;
  satisfaction: number | null;
  complaint: number;
}

/** A complaint's callback task for the doctor: when it was scheduled and when the doctor reached the patient. */
export interface ReportDoctorCallbacksTable {
  follow_up_id: string;
  clinic_id: string;
  patient_id: string;
  treatment_id: string | null;
  /** The doctor named on the task; else the treatment's. */
  doctor_id: string | null;
  scheduled_ms: number;
  done_ms: number | null;
}
