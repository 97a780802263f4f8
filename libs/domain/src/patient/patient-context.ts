import type { Temporal } from 'temporal-polyfill';
import type { ClinicState } from '../clinic/clinic';

export interface PatientContext {
  /** The server's time for this command. */
  now: Temporal.Instant;
  /** The patient's clinic (for a new patient, the clinic the command names). */
  clinic: ClinicState;
}
