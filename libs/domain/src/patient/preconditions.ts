import { Temporal } from 'temporal-polyfill';
import type { ClinicState } from '../clinic/clinic';
import { DomainRefusal } from '../decider';
import type { FollowUpState, PatientState } from './patient.state';

/** The checks several patient commands share; each throws the refusal a person can act on. */

/** How far a claimed time may run ahead of the server's clock (phones and PCs drift). */
export const CLOCK_SKEW = { minutes: 5 };

export function requireConfiguredClinic(clinic: ClinicState, clinicId: string): void {
  if (!clinic.configured || clinic.clinicId !== clinicId) {
    throw new DomainRefusal('clinic_not_configured', `clinic ${clinicId} is not configured; PUT /v1/clinics/${clinicId} first`);
  }
}

export function requireSameClinic(state: PatientState, clinicId: string): void {
  if (state.clinicId && state.clinicId !== clinicId) {
    throw new DomainRefusal('patient_in_other_clinic', `patient ${state.patientId} belongs to clinic ${state.clinicId}, not ${clinicId}`, 'conflict');
  }
}

export function requireExistingPatient(state: PatientState, patientId: string): string {
  if (!state.exists || !state.clinicId) throw new DomainRefusal('unknown_patient', `patient ${patientId} has no record yet`, 'not_found');
  return state.clinicId;
}

export function requireKnownFollowUp(state: PatientState, followUpId: string): FollowUpState {
  const followUp = state.followUps.get(followUpId);
  if (!followUp) throw new DomainRefusal('unknown_follow_up', `follow-up ${followUpId} does not exist for patient ${state.patientId}`);
  return followUp;
}

export function requireOpenFollowUp(state: PatientState, followUpId: string): FollowUpState {
  const followUp = requireKnownFollowUp(state, followUpId);
  if (followUp.status === 'closed') throw new DomainRefusal('follow_up_closed', `follow-up ${followUpId} is closed; record the call without followUpId or schedule a new one`);
  return followUp;
}

export function requireNotFuture(claimed: Temporal.Instant, now: Temporal.Instant, field: string): void {
  if (Temporal.Instant.compare(claimed, now.add(CLOCK_SKEW)) > 0) {
    throw new DomainRefusal('claimed_time_in_future', `${field} ${claimed.toString()} is in the future; record what has happened`);
  }
}
