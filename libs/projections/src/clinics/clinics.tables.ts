/** The clinic directory: what queries need to read a clinic's local time. */
export interface ClinicsTable {
  clinic_id: string;
  name: string | null;
  time_zone: string;
  /** JSON array of "HH:MM". */
  call_windows: string;
  max_attempts: number;
  /** JSON WorkHours ({ days, from, to }), or null for the default. */
  work_hours: string | null;
  configured_at: string;
}

/** A clinic's staff directory: who each id is. */
export interface StaffTable {
  clinic_id: string;
  staff_id: string;
  name: string;
  role: string;
  active: number;
  changed_at: string;
}
