import { Temporal } from 'temporal-polyfill';
import type { ClinicState } from '../clinic/clinic';
import { Decider, DomainRefusal } from '../decider';
import type { CallAttempted, FollowUpScheduled, PatientEvent } from '../events';
import { UNREACHED_OUTCOMES } from '../events';
import { nextWindow } from '../protocol/call-windows';
import { planFollowUps } from '../protocol/schedule';
import type { BookAppointment, CompleteTreatment, PatientCommand, RaiseObjection, RecordCall, RequestReferral } from './patient.commands';
import { evolvePatient, FollowUpState, initialPatientState, PatientState } from './patient.state';

export interface PatientContext {
  /** The server's time for this command. */
  now: Temporal.Instant;
  /** The patient's clinic (for a new patient, the clinic the command names). */
  clinic: ClinicState;
}

/** How far a claimed time may run ahead of the server's clock (phones and PCs drift). */
const CLOCK_SKEW = { minutes: 5 };
/** A call recorded later than this after it happened must say why (truthful record). */
const LATE_ENTRY = { hours: 24 };

export function decidePatient(command: PatientCommand, state: PatientState, context: PatientContext): PatientEvent[] {
  switch (command.type) {
    case 'CompleteTreatment':
      return completeTreatment(command, state, context);
    case 'RecordCall':
      return recordCall(command, state, context);
    case 'RaiseObjection':
      return raiseObjection(command, state);
    case 'RequestReferral':
      return requestReferral(command, state);
    case 'BookAppointment':
      return bookAppointment(command, state, context);
  }
}

function completeTreatment({ data }: CompleteTreatment, state: PatientState, { now, clinic }: PatientContext): PatientEvent[] {
  requireConfiguredClinic(clinic, data.clinicId);
  requireSameClinic(state, data.clinicId);
  const earlier = state.treatments[data.treatmentId];
  if (earlier) {
    if (JSON.stringify(canonical(earlier)) === JSON.stringify(canonical(data))) return [];
    throw new DomainRefusal('treatment_conflict', `treatment ${data.treatmentId} is already recorded with different data; record a correction instead`, 'conflict');
  }
  const completedAt = Temporal.Instant.from(data.completedAt);
  requireNotFuture(completedAt, now, 'completedAt');
  let seq = state.lastSeq;
  const followUps: FollowUpScheduled[] = planFollowUps({ ...data, completedAt }, clinic.protocol, clinic).map((plan) => ({
    type: 'FollowUpScheduled',
    data: {
      followUpId: `${data.patientId}.fu${++seq}`,
      patientId: data.patientId,
      clinicId: data.clinicId,
      treatmentId: data.treatmentId,
      purpose: plan.purpose,
      dueAt: plan.dueAt.toString(),
      urgent: plan.urgent,
      origin: { protocolVersion: plan.protocolVersion, ruleId: plan.ruleId, stepId: plan.stepId },
    },
  }));
  return [{ type: 'TreatmentCompleted', data: { ...data, completedAt: completedAt.toString() } }, ...followUps];
}

function recordCall({ data }: RecordCall, state: PatientState, { now, clinic }: PatientContext): PatientEvent[] {
  const clinicId = requireExistingPatient(state, data.patientId);
  const startedAt = Temporal.Instant.from(data.startedAt);
  requireNotFuture(startedAt, now, 'startedAt');
  if (Temporal.Instant.compare(startedAt, now.subtract(LATE_ENTRY)) < 0 && !data.lateEntryReason) {
    throw new DomainRefusal('late_entry_needs_reason', 'a call recorded more than 24 hours after it started needs a lateEntryReason');
  }
  const callBackAt = data.callBackAt ? Temporal.Instant.from(data.callBackAt) : undefined;
  if (data.outcome === 'call_back_later') {
    if (!callBackAt) throw new DomainRefusal('call_back_time_required', 'outcome call_back_later needs callBackAt: when the patient asked to be called');
    if (Temporal.Instant.compare(callBackAt, startedAt) <= 0) throw new DomainRefusal('call_back_time_past', 'callBackAt must be after the call started');
  }
  const followUp = data.followUpId ? requireOpenFollowUp(state, data.followUpId) : undefined;
  const callId = `${data.patientId}.call${state.lastSeq + 1}`;
  const call: CallAttempted = {
    type: 'CallAttempted',
    data: { ...data, callId, clinicId, startedAt: startedAt.toString(), ...(callBackAt ? { callBackAt: callBackAt.toString() } : {}) },
  };
  if (!followUp) return [call];
  return [call, followUpAfterCall(followUp, call.data, clinic, clinicId)];
}

/** What a call does to its follow-up: close it, or move it to the next window or the asked-for time. */
function followUpAfterCall(followUp: FollowUpState, call: CallAttempted['data'], clinic: ClinicState, clinicId: string): PatientEvent {
  const attempts = followUp.attempts + 1;
  const base = { followUpId: followUp.followUpId, patientId: call.patientId, clinicId, attempts, callId: call.callId };
  switch (call.outcome) {
    case 'reached':
      return { type: 'FollowUpClosed', data: { ...base, reason: 'completed' } };
    case 'declined':
      return { type: 'FollowUpClosed', data: { ...base, reason: 'declined' } };
    case 'wrong_number':
      return { type: 'FollowUpClosed', data: { ...base, reason: 'wrong_number' } };
    case 'call_back_later':
      return { type: 'FollowUpRescheduled', data: { ...base, reason: 'call_back_later', dueAt: call.callBackAt! } };
    default: {
      if (!UNREACHED_OUTCOMES.includes(call.outcome)) throw new Error(`unhandled outcome ${call.outcome}`);
      if (followUp.failedAttempts + 1 >= clinic.maxAttempts) return { type: 'FollowUpClosed', data: { ...base, reason: 'unreachable' } };
      const dueAt = nextWindow(Temporal.Instant.from(call.startedAt), clinic, true).toString();
      return { type: 'FollowUpRescheduled', data: { ...base, reason: 'retry', dueAt } };
    }
  }
}

function raiseObjection({ data }: RaiseObjection, state: PatientState): PatientEvent[] {
  const clinicId = requireExistingPatient(state, data.patientId);
  if (data.callId && !state.callIds[data.callId]) {
    throw new DomainRefusal('unknown_call', `call ${data.callId} is not a call of patient ${data.patientId}`);
  }
  return [{ type: 'ObjectionRaised', data: { ...data, objectionId: `${data.patientId}.obj${state.lastSeq + 1}`, clinicId } }];
}

function requestReferral({ data }: RequestReferral, state: PatientState): PatientEvent[] {
  const clinicId = requireExistingPatient(state, data.patientId);
  return [{ type: 'ReferralRequested', data: { ...data, referralId: `${data.patientId}.ref${state.lastSeq + 1}`, clinicId } }];
}

function bookAppointment({ data }: BookAppointment, state: PatientState, { now, clinic }: PatientContext): PatientEvent[] {
  requireConfiguredClinic(clinic, data.clinicId);
  requireSameClinic(state, data.clinicId);
  const scheduledFor = Temporal.Instant.from(data.scheduledFor);
  if (Temporal.Instant.compare(scheduledFor, now) <= 0) {
    throw new DomainRefusal('appointment_in_past', `scheduledFor ${data.scheduledFor} is not in the future; book a time that is still to come`);
  }
  if (data.followUpId && !state.followUps[data.followUpId]) {
    throw new DomainRefusal('unknown_follow_up', `follow-up ${data.followUpId} does not exist for patient ${data.patientId}`);
  }
  if (data.referralId) {
    if (!data.referrerPatientId) throw new DomainRefusal('unknown_referral', `referral ${data.referralId} does not exist`);
    if (data.referrerPatientId === data.patientId) throw new DomainRefusal('self_referral', 'a patient cannot convert their own referral');
  }
  const appointmentId = `${data.patientId}.apt${state.lastSeq + 1}`;
  return [{ type: 'AppointmentBooked', data: { ...data, appointmentId, scheduledFor: scheduledFor.toString() } }];
}

function requireConfiguredClinic(clinic: ClinicState, clinicId: string): void {
  if (!clinic.configured || clinic.clinicId !== clinicId) {
    throw new DomainRefusal('clinic_not_configured', `clinic ${clinicId} is not configured; PUT /v1/clinics/${clinicId} first`);
  }
}

function requireSameClinic(state: PatientState, clinicId: string): void {
  if (state.clinicId && state.clinicId !== clinicId) {
    throw new DomainRefusal('patient_in_other_clinic', `patient ${state.patientId} belongs to clinic ${state.clinicId}, not ${clinicId}`, 'conflict');
  }
}

function requireExistingPatient(state: PatientState, patientId: string): string {
  if (!state.exists || !state.clinicId) throw new DomainRefusal('unknown_patient', `patient ${patientId} has no record yet`, 'not_found');
  return state.clinicId;
}

function requireOpenFollowUp(state: PatientState, followUpId: string): FollowUpState {
  const followUp = state.followUps[followUpId];
  if (!followUp) throw new DomainRefusal('unknown_follow_up', `follow-up ${followUpId} does not exist for patient ${state.patientId}`);
  if (followUp.status === 'closed') throw new DomainRefusal('follow_up_closed', `follow-up ${followUpId} is closed; record the call without followUpId or schedule a new one`);
  return followUp;
}

function requireNotFuture(claimed: Temporal.Instant, now: Temporal.Instant, field: string): void {
  if (Temporal.Instant.compare(claimed, now.add(CLOCK_SKEW)) > 0) {
    throw new DomainRefusal('claimed_time_in_future', `${field} ${claimed.toString()} is in the future; record what has happened`);
  }
}

/** Field order and instant spelling must not make the same treatment look different. */
function canonical(data: CompleteTreatment['data']): unknown {
  const sorted = Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)));
  return { ...sorted, completedAt: Temporal.Instant.from(data.completedAt).toString() };
}

export const patientDecider: Decider<PatientCommand, PatientEvent, PatientState, PatientContext> = {
  decide: decidePatient,
  evolve: evolvePatient,
  initialState: initialPatientState,
};
