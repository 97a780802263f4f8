/** One row per appointment: when it was for, and what became of it. */
export interface ReportAppointmentsTable {
  appointment_id: string;
  clinic_id: string;
  patient_id: string;
  /** The booked time (as corrected), epoch ms. */
  scheduled_ms: number;
  /** When it was booked (recordedAt), epoch ms. */
  booked_ms: number;
  outcome: 'attended' | 'missed' | null;
  outcome_ms: number | null;
}
