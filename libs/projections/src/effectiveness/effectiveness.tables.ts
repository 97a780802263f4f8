/** One row per callers' follow-up: where it came from, and how far it got (each a 0/1 flag, kept from its calls). */
export interface ReportEffectivenessTable {
  follow_up_id: string;
  clinic_id: string;
  patient_id: string;
  kind: string;
  treatment_id: string | null;
  /** The treatment's procedure, as corrected. */
  procedure: string | null;
  rule_id: string | null;
  step_id: string | null;
  first_due_ms: number;
  attempted: number;
  reached: number;
  /** A booking was credited to a call on it. */
  booked: number;
  /** …and the patient came to that visit. */
  attended: number;
  /** A call on it reported a complaint or discomfort. */
  complaints: number;
}

/** Each call on a callers' follow-up, as corrected, and the booking credited to it. */
export interface ReportEffectivenessCallsTable {
  call_id: string;
  follow_up_id: string;
  outcome: string;
  complaint: number;
  appointment_id: string | null;
  attended: number;
}

/** A booking credited to a call, to find the call when the visit is attended. */
export interface ReportEffectivenessBookingsTable {
  appointment_id: string;
  call_id: string;
}

export interface ReportEffectivenessTreatmentsTable {
  patient_id: string;
  treatment_id: string;
  procedure: string;
}
