import { Temporal } from 'temporal-polyfill';
import type { ClinicState } from '../clinic/clinic';
import type { CallAttempted, FollowUpClosedReason, FollowUpScheduled, InquiryReceived, ObjectionRaised, PatientEvent } from '../events';
import { prospectRule } from '../protocol/protocol-sections';
import { planStep } from '../protocol/schedule';
import { openAt } from '../protocol/work-hours';
import { isClosedOn } from '../protocol/call-windows';
import { urgentDeadlineMinutes } from '../protocol/urgent-deadlines';
import { DomainRefusal } from '../decider';
import { followUpClosed, followUpScheduled, idSequence, NextId } from './follow-up-scheduled';
import type { PatientContext } from './patient-context';
import type { ReceiveInquiry } from './patient.commands';
import { FollowUpState, openFollowUps, PatientState } from './patient.state';
import { requireConfiguredClinic, requireNotFuture, requireSameClinic } from './preconditions';

/**
 * Prospects (seed 002): a person who asked but has not come gets three calls, each with its purpose,
 * then a senior doctor, then keep-in-touch calls, until they book or visit, refuse seven times in a
 * row, or ask not to be called. Each next call is scheduled when the one before closes, counted from
 * the call that closed it. A call that did not reach them is tried again at other times, spread over
 * days (record-call's spreadRetry), and after the clinic's prospectMaxAttempts the next call takes
 * over: an absent prospect is not given up (对方不在的电话均不能放弃). A wrong number ends the
 * sequence; a new inquiry starts a new one. After the last numbered call a senior doctor calls back
 * only a patient who is unhappy with us (未能说服患者来院,且患者对我们有不满情绪); the others are
 * kept in touch.
 */
export const PERSUASION_KINDS = ['prospect', 'escalation'] as const;

export function receiveInquiry({ data }: ReceiveInquiry, state: PatientState, { now, clinic }: PatientContext): PatientEvent[] {
  requireConfiguredClinic(clinic, data.clinicId);
  requireSameClinic(state, data.clinicId);
  const receivedAt = Temporal.Instant.from(data.receivedAt);
  requireNotFuture(receivedAt, now, 'receivedAt');
  const convenientAt = data.convenientAt !== undefined ? Temporal.Instant.from(data.convenientAt) : undefined;
  if (convenientAt && Temporal.Instant.compare(convenientAt, receivedAt) < 0) {
    throw new DomainRefusal('convenient_time_past', 'convenientAt must not be before receivedAt: it is when the person said a call suits them');
  }
  const normalized = { ...data, receivedAt: receivedAt.toString(), ...(convenientAt ? { convenientAt: convenientAt.toString() } : {}) };
  // The same inquiry sent again records nothing.
  if ([...state.inquiries.values()].some((earlier) => sameInquiry(earlier, normalized))) return [];
  const nextId = idSequence(data.patientId, state);
  const inquiry: InquiryReceived = { type: 'InquiryReceived', data: { ...normalized, inquiryId: nextId('inq') } };
  if (!startsSequence(state, now)) return [inquiry];
  const rule = prospectRule(clinic.protocol);
  const protocolPlan = planStep(rule.id, rule.calls[0]!, clinic.protocol.version, receivedAt, clinic);
  const dueAt = firstCallAt(receivedAt, data.channel, convenientAt, clinic);
  const deadlineAt = dueAt?.add({ minutes: urgentDeadlineMinutes({ ruleId: rule.id, stepId: protocolPlan.stepId }, clinic.urgentRules) });
  const plan = dueAt ? { ...protocolPlan, dueAt, urgent: true, deadlineAt } : protocolPlan;
  return [inquiry, followUpScheduled(nextId('fu'), data.patientId, data.clinicId, plan, { kind: 'prospect', callNumber: 1, inquiryId: inquiry.data.inquiryId })];
}

/**
 * Seed 002 §六, "在他感到需要最强烈的时候拿起电话": an inquiry's first call is due at the time the
 * person said suits them, else within the clinic's minutes for its channel (30 by default) —
 * moved to the next opening when the clinic is closed then. Either way it is urgent (it has a
 * deadline, not a call window). An inquiry that names no channel follows the protocol's call 1.
 */
function firstCallAt(receivedAt: Temporal.Instant, channel: InquiryReceived['data']['channel'], convenientAt: Temporal.Instant | undefined, clinic: ClinicState): Temporal.Instant | undefined {
  if (convenientAt) return convenientAt;
  if (!channel) return undefined;
  return openAt(receivedAt.add({ minutes: clinic.inquiryFirstCallMinutes[channel] }), clinic.timeZone, clinic.workHours, (date) => isClosedOn(date, clinic));
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
  if (reason !== 'completed' && reason !== 'declined' && reason !== 'unreachable') return [];
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
  if (closed.kind === 'prospect' && number === rule.calls.length && reason !== 'unreachable' && unhappy(call)) {
    return schedule(rule.escalation, { kind: 'escalation', assignee: seniorDoctor(clinic, call.patientId, state) });
  }
  if (rule.keepInTouch) return schedule(rule.keepInTouch, { kind: 'prospect', callNumber: number + 1 });
  return [];
}

/** The call says the patient is unhappy with us: in so many words, or by a satisfaction of 1 or 2. */
export function unhappy(call: Pick<CallAttempted['data'], 'dissatisfied' | 'satisfaction'>): boolean {
  return call.dissatisfied === true || (call.satisfaction !== undefined && call.satisfaction <= 2);
}

/**
 * The senior doctor who calls back: the clinic's seniorDoctorIds in turn, the turn taken from the
 * patient (a stable spread across patients; the patient decides alone, without the clinic's count)
 * and their escalations so far. None named: the senior doctors' shared queue.
 */
function seniorDoctor(clinic: ClinicState, patientId: string, state: PatientState): FollowUpScheduled['data']['assignee'] {
  const doctors = clinic.seniorDoctorIds;
  if (doctors.length === 0) return { role: 'senior_doctor' };
  let turn = [...state.followUps.values()].filter((f) => f.kind === 'escalation').length;
  for (const char of patientId) turn = (turn * 31 + char.charCodeAt(0)) >>> 0;
  return { role: 'senior_doctor', doctorId: doctors[turn % doctors.length]! };
}

/**
 * An unresolved sincere objection raised on the call that closed the last numbered prospect call
 * (recorded after the call) shows the patient unhappy: the keep-in-touch call that call scheduled
 * gives way to a senior doctor's callback.
 */
export function escalateOnObjection(objection: ObjectionRaised['data'], state: PatientState, clinic: ClinicState, nextId: NextId): PatientEvent[] {
  if (objection.kind !== 'sincere' || objection.resolved || !objection.callId) return [];
  const call = state.calls.get(objection.callId);
  const third = call?.followUpId ? state.followUps.get(call.followUpId) : undefined;
  const rule = prospectRule(clinic.protocol);
  if (!third || third.kind !== 'prospect' || third.callNumber !== rule.calls.length || state.prospect.status !== 'active') return [];
  const next = [...state.followUps.values()].filter((f) => f.follows === third.followUpId);
  const keepInTouch = next.find((f) => f.kind === 'prospect' && f.status === 'open');
  if (!keepInTouch || next.some((f) => f.kind === 'escalation')) return [];
  const plan = planStep(rule.id, rule.escalation, clinic.protocol.version, Temporal.Instant.from(call!.startedAt), clinic);
  const base = { follows: third.followUpId, ...(third.inquiryId !== undefined ? { inquiryId: third.inquiryId } : {}) };
  return [
    followUpClosed(keepInTouch, objection.patientId, objection.clinicId, 'escalated', {}),
    followUpScheduled(nextId('fu'), objection.patientId, objection.clinicId, plan, { ...base, kind: 'escalation', assignee: seniorDoctor(clinic, objection.patientId, state) }),
  ];
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
