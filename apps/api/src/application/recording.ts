import {
  AddFollowUp,
  AppointmentBooked,
  BookAppointment,
  CallAttempted,
  CancelFollowUp,
  ChangeContactPreferences,
  CompleteTreatment,
  ContactPreferences,
  DomainRefusal,
  FollowUpClosed,
  FollowUpRescheduled,
  FollowUpScheduled,
  InquiryReceived,
  MoveFollowUp,
  ObjectionRaised,
  patientIdOf,
  PatientState,
  patientStream,
  RaiseObjection,
  ReceiveInquiry,
  RecordCall,
  ReferralRequested,
  RequestReferral,
  SetContactPreferences,
  Temporal,
} from '@rapport/domain';
import type { RecordedEvent } from '@rapport/event-store';
import type { CommandContext, CommandResult } from './command-context';
import type { CommandOutcome } from './command-runner';
import type { CommandPorts } from './command-ports';
import { FollowUpView, scheduledFollowUps } from './follow-up-view';

/**
 * The commands that record what happened with a patient, one function each: what the HTTP
 * handlers, the demo and the bench all call. Each loads, decides, appends (through the runner)
 * and answers with the view its caller shows.
 */

export interface ScheduledFollowUpView {
  followUpId: string;
  dueAt: string;
  purpose: string;
  urgent: boolean;
  rule: { ruleId: string; stepId: string; protocolVersion: number };
}

export interface TreatmentRecordedView {
  patientId: string;
  treatmentId: string;
  followUps: ScheduledFollowUpView[];
}

export function recordTreatment(ports: CommandPorts, input: CompleteTreatment['data'], context: CommandContext): Promise<CommandResult<TreatmentRecordedView>> {
  return ports.requests.run(context, async () => {
    const outcome = await ports.runner.patient(input.patientId, input.clinicId, { type: 'CompleteTreatment', data: input }, context);
    // The same treatment again appends nothing; answer with the follow-ups it scheduled the first time.
    const events = outcome.events.length > 0 ? outcome.events : await ports.store.readStream(patientStream(input.patientId));
    return result(outcome, treatmentView(input.patientId, input.treatmentId, events));
  });
}

function treatmentView(patientId: string, treatmentId: string, events: RecordedEvent[]): TreatmentRecordedView {
  const followUps = events
    .filter((e) => e.type === 'FollowUpScheduled')
    .map((e) => e.data as FollowUpScheduled['data'])
    // Only the protocol's own follow-ups: a complaint's callback also names the treatment it concerns.
    .filter((d) => d.treatmentId === treatmentId && (d.kind ?? 'treatment') === 'treatment')
    .map((d) => ({ followUpId: d.followUpId, dueAt: d.dueAt, purpose: d.purpose, urgent: d.urgent, rule: d.origin }));
  return { patientId, treatmentId, followUps };
}

export interface CallRecordedView {
  callId: string;
  followUp?: { followUpId: string; status: 'open' | 'closed'; nextDueAt?: string; attempts: number; closedReason?: string; alreadyClosed?: boolean };
  /** What the call led to: the next call of a chain (yearly, prospect, escalation, greeting) or a doctor's callback. */
  scheduled?: FollowUpView[];
  /** Seven refusals: persuasion stopped for this person. */
  persuasionStopped?: boolean;
  /** A wrong number: the patient's open follow-ups wait for the right one (GET …/follow-ups?status=needs_number). */
  phoneWrong?: boolean;
  /** What the call produced, recorded with it: the ids made. */
  objectionIds?: string[];
  referralIds?: string[];
  appointmentId?: string;
  preferencesChanged?: boolean;
}

export function recordCall(ports: CommandPorts, input: RecordCall['data'], context: CommandContext): Promise<CommandResult<CallRecordedView>> {
  return ports.requests.run(context, async () => {
    const outcome = await ports.runner.patient(input.patientId, undefined, { type: 'RecordCall', data: input }, context);
    const view = callView(outcome.events, input.followUpId);
    // A call that left its follow-up as it was (a wrong number; one another call had closed): say so, rather than nothing.
    const left = input.followUpId ? outcome.state.followUps.get(input.followUpId) : undefined;
    if (left && !view.followUp) {
      view.followUp =
        left.status === 'open'
          ? { followUpId: left.followUpId, status: 'open', nextDueAt: left.dueAt, attempts: left.attempts }
          : { followUpId: left.followUpId, status: 'closed', attempts: left.attempts, alreadyClosed: true };
    }
    return result(outcome, view);
  });
}

function callView(events: readonly RecordedEvent[], followUpId: string | undefined): CallRecordedView {
  let view: CallRecordedView = { callId: '' };
  for (const event of events) {
    if (event.type === 'CallAttempted') view = { callId: (event.data as CallAttempted['data']).callId };
    if (event.type === 'FollowUpRescheduled') {
      const d = event.data as FollowUpRescheduled['data'];
      view.followUp = { followUpId: d.followUpId, status: 'open', nextDueAt: d.dueAt, attempts: d.attempts };
    }
    if (event.type === 'FollowUpClosed' && (event.data as FollowUpClosed['data']).followUpId === followUpId) {
      const d = event.data as FollowUpClosed['data'];
      view.followUp = { followUpId: d.followUpId, status: 'closed', attempts: d.attempts, closedReason: d.reason };
    }
  }
  const scheduled = scheduledFollowUps(events);
  if (scheduled.length > 0) view.scheduled = scheduled;
  if (events.some((e) => e.type === 'ProspectPersuasionStopped')) view.persuasionStopped = true;
  if (events.some((e) => e.type === 'PhoneNumberReportedWrong')) view.phoneWrong = true;
  const made = (type: string, field: string) => events.filter((e) => e.type === type).map((e) => String((e.data as Record<string, unknown>)[field]));
  if (made('ObjectionRaised', 'objectionId').length > 0) view.objectionIds = made('ObjectionRaised', 'objectionId');
  if (made('ReferralRequested', 'referralId').length > 0) view.referralIds = made('ReferralRequested', 'referralId');
  const [appointmentId] = made('AppointmentBooked', 'appointmentId');
  if (appointmentId) view.appointmentId = appointmentId;
  if (events.some((e) => e.type === 'ContactPreferencesChanged')) view.preferencesChanged = true;
  return view;
}

export function raiseObjection(ports: CommandPorts, input: RaiseObjection['data'], context: CommandContext): Promise<CommandResult<{ objectionId: string }>> {
  return ports.requests.run(context, async () => {
    const outcome = await ports.runner.patient(input.patientId, undefined, { type: 'RaiseObjection', data: input }, context);
    return result(outcome, { objectionId: (outcome.events[0]!.data as ObjectionRaised['data']).objectionId });
  });
}

export function requestReferral(ports: CommandPorts, input: RequestReferral['data'], context: CommandContext): Promise<CommandResult<{ referralId: string }>> {
  return ports.requests.run(context, async () => {
    const outcome = await ports.runner.patient(input.patientId, undefined, { type: 'RequestReferral', data: input }, context);
    return result(outcome, { referralId: (outcome.events[0]!.data as ReferralRequested['data']).referralId });
  });
}

/** A booking, which may convert a referral: the referrer is whoever's stream holds that referral. */
export function bookAppointment(
  ports: CommandPorts,
  input: Omit<BookAppointment['data'], 'referrerPatientId'>,
  context: CommandContext,
): Promise<CommandResult<{ appointmentId: string }>> {
  return ports.requests.run(context, async () => {
    const referrerPatientId = input.referralId ? await referrerOf(ports, input.referralId) : undefined;
    const data = { ...input, ...(referrerPatientId ? { referrerPatientId } : {}) };
    const outcome = await ports.runner.patient(input.patientId, input.clinicId, { type: 'BookAppointment', data }, context);
    return result(outcome, { appointmentId: (outcome.events[0]!.data as AppointmentBooked['data']).appointmentId });
  });
}

/** The referral's id names the referrer; it counts only if their stream really holds it. */
async function referrerOf(ports: CommandPorts, referralId: string): Promise<string | undefined> {
  const referrer = patientIdOf(referralId);
  if (!referrer) return undefined;
  const { state } = await ports.runner.loadPatient(referrer);
  return state.referralIds.has(referralId) ? referrer : undefined;
}

export interface AppointmentMissedView {
  appointmentId: string;
  patientId: string;
  followUps: FollowUpView[];
}

export function missAppointment(ports: CommandPorts, input: { appointmentId: string; at: string }, context: CommandContext): Promise<CommandResult<AppointmentMissedView>> {
  return ports.requests.run(context, async () => {
    const patientId = patientOfAppointment(input.appointmentId);
    const outcome = await ports.runner.patient(patientId, undefined, { type: 'MissAppointment', data: { appointmentId: input.appointmentId, patientId, at: input.at } }, context);
    return result(outcome, { appointmentId: input.appointmentId, patientId, followUps: scheduledFollowUps(outcome.events) });
  });
}

/** A server-made appointment id names its patient; an unknown patient is refused by the decider as not found. */
function patientOfAppointment(appointmentId: string): string {
  const patientId = patientIdOf(appointmentId);
  if (!patientId) throw new DomainRefusal('unknown_appointment', `${appointmentId} is not an appointment id the server made`, 'not_found');
  return patientId;
}

export interface AppointmentAttendedView {
  appointmentId: string;
  patientId: string;
  at: string;
}

export function attendAppointment(ports: CommandPorts, input: { appointmentId: string; at: string }, context: CommandContext): Promise<CommandResult<AppointmentAttendedView>> {
  return ports.requests.run(context, async () => {
    const patientId = patientOfAppointment(input.appointmentId);
    const outcome = await ports.runner.patient(patientId, undefined, { type: 'AttendAppointment', data: { appointmentId: input.appointmentId, patientId, at: input.at } }, context);
    // The same visit again records nothing: the answer names the one recorded.
    const at = outcome.state.appointments.get(input.appointmentId)?.attendedAt ?? input.at;
    return result(outcome, { appointmentId: input.appointmentId, patientId, at });
  });
}

export interface InquiryReceivedView {
  patientId: string;
  inquiryId: string;
  /** The first prospect call; empty when no sequence starts (already treated, visit booked, do-not-call, one running). */
  followUps: FollowUpView[];
}

export function receiveInquiry(ports: CommandPorts, input: ReceiveInquiry['data'], context: CommandContext): Promise<CommandResult<InquiryReceivedView>> {
  return ports.requests.run(context, async () => {
    const outcome = await ports.runner.patient(input.patientId, input.clinicId, { type: 'ReceiveInquiry', data: input }, context);
    const recorded = outcome.events.find((e) => e.type === 'InquiryReceived');
    // The same inquiry again records nothing: answer with the one recorded the first time.
    const receivedAt = Temporal.Instant.from(input.receivedAt).toString();
    const inquiryId = recorded
      ? (recorded.data as InquiryReceived['data']).inquiryId
      : ([...outcome.state.inquiries.values()].find((i) => i.receivedAt === receivedAt)?.inquiryId ?? '');
    return result(outcome, { patientId: input.patientId, inquiryId, followUps: scheduledFollowUps(outcome.events) });
  });
}

export interface PreferencesSetView {
  patientId: string;
  preferences: ContactPreferences;
  /** Greetings scheduled by this change. */
  followUps: FollowUpView[];
}

export function setContactPreferences(ports: CommandPorts, input: SetContactPreferences['data'], context: CommandContext): Promise<CommandResult<PreferencesSetView>> {
  return ports.requests.run(context, async () => {
    const outcome = await ports.runner.patient(input.patientId, undefined, { type: 'SetContactPreferences', data: input }, context);
    return result(outcome, { patientId: input.patientId, preferences: outcome.state.preferences, followUps: scheduledFollowUps(outcome.events) });
  });
}

export interface FollowUpSteeredView {
  followUpId: string;
  patientId: string;
  /** open, or closed (cancelled) */
  status: 'open' | 'closed';
  dueAt: string;
}

/** The patient a server-made follow-up id belongs to; anything else is an unknown follow-up. */
export function patientOfFollowUp(followUpId: string): string {
  const patientId = patientIdOf(followUpId);
  if (!patientId) throw new DomainRefusal('unknown_follow_up', `${followUpId} is not a follow-up id the server made`, 'not_found');
  return patientId;
}

function steered(outcome: CommandOutcome<PatientState>, followUpId: string, patientId: string): FollowUpSteeredView {
  const followUp = outcome.state.followUps.get(followUpId);
  return { followUpId, patientId, status: followUp?.status ?? 'closed', dueAt: followUp?.dueAt ?? '' };
}

export function addFollowUp(ports: CommandPorts, input: AddFollowUp['data'], context: CommandContext): Promise<CommandResult<FollowUpSteeredView>> {
  return ports.requests.run(context, async () => {
    const outcome = await ports.runner.patient(input.patientId, undefined, { type: 'AddFollowUp', data: input }, context);
    const followUpId = String(outcome.events.find((e) => e.type === 'FollowUpAdded')?.data.followUpId ?? '');
    return result(outcome, steered(outcome, followUpId, input.patientId));
  });
}

export function moveFollowUp(ports: CommandPorts, input: Omit<MoveFollowUp['data'], 'patientId'>, context: CommandContext): Promise<CommandResult<FollowUpSteeredView>> {
  const patientId = patientOfFollowUp(input.followUpId);
  return ports.requests.run(context, async () => {
    const outcome = await ports.runner.patient(patientId, undefined, { type: 'MoveFollowUp', data: { ...input, patientId } }, context);
    return result(outcome, steered(outcome, input.followUpId, patientId));
  });
}

export function cancelFollowUp(ports: CommandPorts, input: Omit<CancelFollowUp['data'], 'patientId'>, context: CommandContext): Promise<CommandResult<FollowUpSteeredView>> {
  const patientId = patientOfFollowUp(input.followUpId);
  return ports.requests.run(context, async () => {
    const outcome = await ports.runner.patient(patientId, undefined, { type: 'CancelFollowUp', data: { ...input, patientId } }, context);
    return result(outcome, steered(outcome, input.followUpId, patientId));
  });
}

/** An urgent call past its expiry closes as expired; one not yet expired (or already closed) is left as it is. */
export async function expireFollowUp(ports: CommandPorts, input: { patientId: string; followUpId: string }, context: CommandContext): Promise<'expired' | 'left'> {
  try {
    const outcome = await ports.runner.patient(input.patientId, undefined, { type: 'ExpireFollowUp', data: input }, context);
    return outcome.events.length > 0 ? 'expired' : 'left';
  } catch (error) {
    if (error instanceof DomainRefusal && (error.rule === 'not_expired' || error.rule === 'not_urgent' || error.rule === 'unknown_follow_up')) return 'left';
    throw error;
  }
}

/** PATCH: only the fields given change; null clears one. */
export function changeContactPreferences(ports: CommandPorts, input: ChangeContactPreferences['data'], context: CommandContext): Promise<CommandResult<PreferencesSetView>> {
  return ports.requests.run(context, async () => {
    const outcome = await ports.runner.patient(input.patientId, undefined, { type: 'ChangeContactPreferences', data: input }, context);
    return result(outcome, { patientId: input.patientId, preferences: outcome.state.preferences, followUps: scheduledFollowUps(outcome.events) });
  });
}

/** The patient's preferences as they stand (from the patient's own stream: what a command decides with), and its revision for If-Match. */
export async function contactPreferences(ports: Pick<CommandPorts, 'runner'>, patientId: string): Promise<{ patientId: string; preferences: ContactPreferences; revision: number } | undefined> {
  const { state, revision } = await ports.runner.loadPatient(patientId);
  return state.clinicId === undefined ? undefined : { patientId, preferences: state.preferences, revision };
}

export function result<Body>(outcome: CommandOutcome<unknown>, body: Body): CommandResult<Body> {
  return { body, position: outcome.position, replayed: outcome.replayed, events: outcome.events, ...(outcome.revision >= 0 ? { revision: outcome.revision } : {}) };
}
