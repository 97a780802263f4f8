import { Temporal } from 'temporal-polyfill';
import type { ClinicState } from '../clinic/clinic';
import type { CallAttempted, FollowUpClosedReason, InquiryReceived, PatientEvent } from '../events';
import { prospectRule } from '../protocol/protocol-sections';
import { planStep } from '../protocol/schedule';
import { followUpClosed, followUpScheduled, idSequence, NextId } from './follow-up-scheduled';
import type { PatientContext } from './patient-context';
import type { ReceiveInquiry } from './patient.commands';
import { FollowUpState, openFollowUps, PatientState } from './patient.state';
import { requireConfiguredClinic, requireNotFuture, requireSameClinic } from './preconditions';

/**
 * Prospects (seed 002): a person who asked but has not come gets three calls, each with its purpose,
 * then a senior doctor, then keep-in-touch calls, until they book or visit, refuse seven times in a
 * row, or ask not to be called. Each next call is scheduled when the one before closes, counted from
 * the call that closed it. A call that never reached them (unreachable, wrong number) ends the
 * sequence; a new inquiry starts a new one.
 */
export const PERSUASION_KINDS = ['prospect', 'escalation'] as const;

export function receiveInquiry({ data }: ReceiveInquiry, state: PatientState, { now, clinic }: PatientContext): PatientEvent[] {
  requireConfiguredClinic(clinic, data.clinicId);
  requireSameClinic(state, data.clinicId);
  const receivedAt = Temporal.Instant.from(data.receivedAt);
  requireNotFuture(receivedAt, now, 'receivedAt');
  const normalized = { ...data, receivedAt: receivedAt.toString() };
  // The same inquiry sent again records nothing.
  if ([...state.inquiries.values()].some((earlier) => sameInquiry(earlier, normalized))) return [];
  const nextId = idSequence(data.patientId, state);
  const inquiry: InquiryReceived = { type: 'InquiryReceived', data: { ...normalized, inquiryId: nextId('inq') } };
  if (!startsSequence(state, now)) return [inquiry];
  const rule = prospectRule(clinic.protocol);
  const plan = planStep(rule.id, rule.calls[0]!, clinic.protocol.version, receivedAt, clinic);
  return [inquiry, followUpScheduled(nextId('fu'), data.patientId, data.clinicId, plan, { kind: 'prospect', callNumber: 1, inquiryId: inquiry.data.inquiryId })];
}

/**
 * A sequence starts for someone who has not been treated here, has no visit coming up, has no
 * sequence running and has not asked not to be called.
 */
function startsSequence(state: PatientState, now: Temporal.Instant): boolean {
  if (state.preferences.doNotCall) return false;
  if (state.treatments.size > 0) return false;
  if (openFollowUps(state, PERSUASION_KINDS).length > 0) return false;
  const upcoming = [...state.appointments.values()].some((a) => !a.missedAt && Temporal.Instant.compare(Temporal.Instant.from(a.scheduledFor), now) > 0);
  return !upcoming;
}

function sameInquiry(a: InquiryReceived['data'], b: Omit<InquiryReceived['data'], 'inquiryId'>): boolean {
  return a.receivedAt === b.receivedAt && a.channel === b.channel && a.concern === b.concern && JSON.stringify(a.patient ?? {}) === JSON.stringify(b.patient ?? {});
}

/**
 * The call that closed a prospect or escalation follow-up schedules what comes next: call n+1,
 * the escalation after the last numbered call, keep-in-touch after the escalation.
 */
export function nextPersuasionCall(closed: FollowUpState, reason: FollowUpClosedReason, call: CallAttempted['data'], state: PatientState, clinic: ClinicState, nextId: NextId): PatientEvent[] {
  if (reason !== 'completed' && reason !== 'declined') return [];
  if (state.prospect.status !== 'active' || state.preferences.doNotCall) return [];
  const rule = prospectRule(clinic.protocol);
  const from = Temporal.Instant.from(call.startedAt);
  const base = { follows: closed.followUpId, ...(closed.inquiryId !== undefined ? { inquiryId: closed.inquiryId } : {}) };
  const number = closed.kind === 'prospect' ? (closed.callNumber ?? state.prospect.lastCallNumber) : state.prospect.lastCallNumber;
  const schedule = (step: typeof rule.escalation, facts: object) =>
    [followUpScheduled(nextId('fu'), call.patientId, call.clinicId, planStep(rule.id, step, clinic.protocol.version, from, clinic), { ...base, ...facts })];

  if (closed.kind === 'prospect' && number < rule.calls.length) {
    return schedule(rule.calls[number]!, { kind: 'prospect', callNumber: number + 1 });
  }
  if (closed.kind === 'prospect' && number === rule.calls.length) {
    return schedule(rule.escalation, { kind: 'escalation', assignee: { role: 'senior_doctor' } });
  }
  if (rule.keepInTouch) return schedule(rule.keepInTouch, { kind: 'prospect', callNumber: number + 1 });
  return [];
}

/** Seven consecutive refusals (the clinic's stopAfterRefusals): persuasion stops and its open calls close. */
export function stopPersuasionIfRefused(call: CallAttempted['data'], state: PatientState, clinic: ClinicState): PatientEvent[] {
  const limit = prospectRule(clinic.protocol).stopAfterRefusals;
  if (call.outcome !== 'declined' || state.prospect.status !== 'active' || state.prospect.consecutiveRefusals < limit) return [];
  return [
    { type: 'ProspectPersuasionStopped', data: { patientId: call.patientId, clinicId: call.clinicId, consecutiveRefusals: state.prospect.consecutiveRefusals } },
    ...openFollowUps(state, PERSUASION_KINDS).map((f) => followUpClosed(f, call.patientId, call.clinicId, 'persuasion_stopped', { callId: call.callId })),
  ];
}
