import { Temporal } from 'temporal-polyfill';
import type { ClinicState } from '../clinic/clinic';
import { DomainRefusal } from '../decider';
import type { CallAttempted, FollowUpClosed, FollowUpRescheduled, PatientEvent } from '../events';
import { UNREACHED_OUTCOMES } from '../events';
import { firstWindowOn, localDate, nextWindow } from '../protocol/call-windows';
import { doctorCallback, reportsComplaint, requireConversationForComplaint } from './complaint';
import { afterClosing } from './follow-up-chain';
import { idSequence } from './follow-up-scheduled';
import type { PatientContext } from './patient-context';
import type { CallParts, RecordCall } from './patient.commands';
import { bookAppointment } from './book-appointment';
import { raiseObjection, requestReferral } from './objection-referral';
import { changeContactPreferences } from './preferences';
import { evolvePatient, FollowUpState, PatientState } from './patient.state';
import { requireExistingPatient, requireKnownFollowUp, requireNotFuture } from './preconditions';
import { stopPersuasionIfRefused } from './prospect';
import { nextContactAfterCall } from './steer-follow-ups';

/** A call recorded later than this after it happened must say why (truthful record). */
const LATE_ENTRY = { hours: 24 };

/**
 * Every attempt is recorded. A call on a follow-up closes it or moves it on; what the call means
 * beyond that is decided on the same call: a refusal that stops persuasion, the next call of a
 * chain, a doctor's callback for a complaint.
 */
export function recordCall({ data }: RecordCall, state: PatientState, context: PatientContext): PatientEvent[] {
  const { now, clinic } = context;
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
  requireConversationForComplaint(data);
  // A call on a follow-up another call already closed is still a fact: recorded, the follow-up left as it is.
  const followUp = data.followUpId ? openOrNothing(state, data.followUpId) : undefined;
  const nextId = idSequence(data.patientId, state);
  const { objections: _o, referrals: _r, appointment: _a, preferences: _p, ...said } = data;
  const call: CallAttempted = {
    type: 'CallAttempted',
    data: { ...said, callId: nextId('call'), clinicId, startedAt: startedAt.toString(), ...(callBackAt ? { callBackAt: callBackAt.toString() } : {}) },
  };
  const events: PatientEvent[] = [call];
  // A wrong number leaves the follow-up open: its call is still to make, on the right number.
  if (data.outcome === 'wrong_number') events.push({ type: 'PhoneNumberReportedWrong', data: { patientId: data.patientId, clinicId, callId: call.data.callId } });
  const moved = followUp && data.outcome !== 'wrong_number' ? followUpAfterCall(followUp, call.data, clinic) : undefined;
  if (moved) events.push(moved);
  events.push(...stopPersuasionIfRefused(call.data, fold(state, events), clinic));
  if (followUp && moved?.type === 'FollowUpClosed') events.push(...afterClosing(followUp, moved.data.reason, call.data, fold(state, events), clinic, nextId));
  if (reportsComplaint(data, state)) events.push(...doctorCallback(call.data, state, clinic, nextId));
  events.push(...nextContactAfterCall(call.data, clinic, nextId));
  return [...events, ...callParts(data, call.data, fold(state, events), context)];
}

/**
 * What the call produced, each decided by its own rules on the record as the call left it (so ids
 * follow on, and a booking is credited to this call); a refusal of any part refuses the whole call.
 */
function callParts(parts: CallParts, call: CallAttempted['data'], after: PatientState, context: PatientContext): PatientEvent[] {
  const events: PatientEvent[] = [];
  let state = after;
  const add = (decided: PatientEvent[]) => {
    events.push(...decided);
    state = decided.reduce(evolvePatient, state);
  };
  const { patientId, callerId, callId } = call;
  for (const objection of parts.objections ?? []) add(raiseObjection({ type: 'RaiseObjection', data: { ...objection, patientId, callerId, callId } }, state, context));
  (parts.referrals ?? []).forEach((referral, i) => add(requestReferral({ type: 'RequestReferral', data: { ...referral, patientId, callerId } }, state, `referrals[${i}].referred`)));
  if (parts.appointment) {
    const { scheduledFor, doctorId, note } = parts.appointment;
    const booking = { patientId, clinicId: call.clinicId, scheduledFor, callerId, callId, ...(call.followUpId ? { followUpId: call.followUpId } : {}), ...(doctorId ? { doctorId } : {}), ...(note ? { note } : {}) };
    add(bookAppointment({ type: 'BookAppointment', data: booking }, state, context));
  }
  if (parts.preferences && Object.keys(parts.preferences).length > 0) {
    add(changeContactPreferences({ type: 'ChangeContactPreferences', data: { patientId, changes: parts.preferences } }, state, context));
  }
  return events;
}

function openOrNothing(state: PatientState, followUpId: string): FollowUpState | undefined {
  const followUp = requireKnownFollowUp(state, followUpId);
  return followUp.status === 'open' ? followUp : undefined;
}

function fold(state: PatientState, events: PatientEvent[]): PatientState {
  return events.reduce(evolvePatient, state);
}

/**
 * Seed 002, "对方不在的电话均不能放弃": a prospect who did not answer is tried again at other times,
 * spread over days — the next window that day, then the next day, two days later, and so on.
 */
export function spreadRetry(startedAt: Temporal.Instant, failed: number, clinic: ClinicState): Temporal.Instant {
  if (failed <= 1) return nextWindow(startedAt, clinic, true);
  return firstWindowOn(localDate(startedAt, clinic.timeZone).add({ days: failed - 1 }), clinic);
}

/** What a call does to its follow-up: close it, or move it to the next window or the asked-for time. */
function followUpAfterCall(followUp: FollowUpState, call: CallAttempted['data'], clinic: ClinicState): FollowUpClosed | FollowUpRescheduled {
  const attempts = followUp.attempts + 1;
  const base = { followUpId: followUp.followUpId, patientId: call.patientId, clinicId: call.clinicId, attempts, callId: call.callId };
  switch (call.outcome) {
    case 'reached':
      return { type: 'FollowUpClosed', data: { ...base, reason: 'completed' } };
    case 'declined':
      return { type: 'FollowUpClosed', data: { ...base, reason: 'declined' } };
    case 'call_back_later':
      return { type: 'FollowUpRescheduled', data: { ...base, reason: 'call_back_later', dueAt: call.callBackAt! } };
    default: {
      if (!UNREACHED_OUTCOMES.includes(call.outcome)) throw new Error(`unhandled outcome ${call.outcome}`);
      const failed = followUp.failedAttempts + 1;
      const prospect = followUp.kind === 'prospect';
      if (failed >= (prospect ? clinic.prospectMaxAttempts : clinic.maxAttempts)) return { type: 'FollowUpClosed', data: { ...base, reason: 'unreachable' } };
      const startedAt = Temporal.Instant.from(call.startedAt);
      const dueAt = (prospect ? spreadRetry(startedAt, failed, clinic) : nextWindow(startedAt, clinic, true)).toString();
      return { type: 'FollowUpRescheduled', data: { ...base, reason: 'retry', dueAt } };
    }
  }
}
