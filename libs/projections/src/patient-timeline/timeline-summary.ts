import type {
  AppointmentBooked,
  CallAttempted,
  CallOutcome,
  ContactPreferencesChanged,
  FollowUpAdded,
  ContactPreferencesSet,
  FollowUpClosed,
  FollowUpScheduled,
  ObjectionRaised,
  ReferralRequested,
  TreatmentCompleted,
} from '@rapport/domain';

/**
 * One readable English line per fact, for a person scrolling a patient's timeline. Pure: what the
 * line needs beyond the event (which attempt a call was) is passed in.
 */

const OUTCOMES: Record<CallOutcome, string> = {
  reached: 'reached',
  no_answer: 'no answer',
  busy: 'busy',
  powered_off: 'phone powered off',
  hung_up: 'hung up',
  wrong_number: 'wrong number',
  call_back_later: 'asked to be called back later',
  declined: 'declined',
};

const CLOSE_REASONS: Record<string, string> = {
  completed: 'completed',
  unreachable: 'unreachable',
  declined: 'declined by the patient',
  wrong_number: 'wrong number',
  booked: 'an appointment was booked',
  visited: 'the patient visited',
  persuasion_stopped: 'persuasion stopped',
  escalated: 'handed to a senior doctor instead',
  expired: 'expired (an urgent call nobody made in time)',
  withdrawn: 'the special date was withdrawn',
};

const FOLLOW_UP_KINDS: Record<string, string> = {
  treatment: 'Follow-up',
  missed_appointment: 'Missed-appointment call',
  prospect: 'Prospect call',
  escalation: 'Escalation call',
  doctor_callback: "Doctor's callback",
  greeting: 'Greeting call',
};

const OBJECTION_METHODS: Record<string, string> = {
  convert: 'turned into a reason to come',
  let_patient_answer: 'the patient answered it',
  inform: 'answered with information',
  acknowledge: 'acknowledged',
  deny: 'denied',
  defer: 'deferred',
  no_reply: 'not answered (not answerable or not worth answering)',
};

export function treatmentSummary(d: TreatmentCompleted['data']): string {
  const notes = [d.restored === false ? 'not yet restored' : '', d.needsProsthesis ? 'needs a prosthesis' : ''].filter(Boolean);
  return `Treatment ${d.treatmentId} completed: ${d.procedure} by ${d.doctorId}${notes.length ? ` (${notes.join(', ')})` : ''}`;
}

export function followUpScheduledSummary(d: FollowUpScheduled['data']): string {
  const kind = FOLLOW_UP_KINDS[d.kind ?? 'treatment'] ?? 'Follow-up';
  const label = `${d.urgent ? 'Urgent ' : ''}${d.urgent ? kind.toLowerCase() : kind}${d.callNumber !== undefined ? ` ${d.callNumber}` : ''}`;
  const who = d.assignee ? ` for ${d.assignee.role === 'senior_doctor' ? 'a senior doctor' : 'doctor'}${d.assignee.doctorId ? ` ${d.assignee.doctorId}` : ''}` : '';
  return `${label} ${d.followUpId} scheduled${who} for ${d.dueAt}: ${d.purpose}`;
}

export function callSummary(d: CallAttempted['data'], attemptNumber: number | undefined): string {
  const outcome = d.outcome === 'call_back_later' && d.callBackAt ? `asked to be called back at ${d.callBackAt}` : (OUTCOMES[d.outcome] ?? d.outcome);
  const attempt = d.followUpId ? ` (attempt ${attemptNumber ?? 1} of follow-up ${d.followUpId})` : '';
  const extras = [
    d.satisfaction !== undefined ? `satisfaction ${d.satisfaction}/5` : '',
    d.symptoms ? `symptoms: ${d.symptoms}` : '',
    d.complaint ? 'complaint reported' : '',
    d.lateEntryReason ? `entered late: ${d.lateEntryReason}` : '',
  ].filter(Boolean);
  return `Call by ${d.callerId}: ${outcome}${attempt}${extras.length ? `; ${extras.join('; ')}` : ''}`;
}

export function rescheduledSummary(d: { followUpId: string; dueAt: string; reason: string; attempts: number }): string {
  const why = d.reason === 'call_back_later' ? 'the patient asked to be called then' : `retry after ${plural(d.attempts, 'attempt')}`;
  return `Follow-up ${d.followUpId} moved to ${d.dueAt}: ${why}`;
}

export function closedSummary(d: FollowUpClosed['data']): string {
  return `Follow-up ${d.followUpId} closed: ${CLOSE_REASONS[d.reason] ?? d.reason} after ${plural(d.attempts, 'attempt')}`;
}

export function objectionSummary(d: ObjectionRaised['data']): string {
  const kind = d.kind.replace('_', '-');
  const hopeless = d.answerable === false ? ', judged hopeless' : '';
  return `Objection (${kind}, ${d.topic}) raised with ${d.callerId}: ${OBJECTION_METHODS[d.method] ?? d.method}, ${d.resolved ? 'resolved' : 'not resolved'}${hopeless}`;
}

export function referralSummary(d: ReferralRequested['data']): string {
  const referred = d.referred;
  const who = referred?.name ? `: ${referred.name}${referred.relation ? ` (${referred.relation})` : ''}` : referred?.relation ? `: a ${referred.relation}` : '';
  return `Referral ${d.referralId} asked for by ${d.callerId}${who}`;
}

export function appointmentSummary(d: AppointmentBooked['data']): string {
  const by = d.callerId ? ` by ${d.callerId}` : '';
  const referral = d.referralId ? `, converting referral ${d.referralId}${d.referrerPatientId ? ` from ${d.referrerPatientId}` : ''}` : '';
  return `Appointment ${d.appointmentId} booked${by} for ${d.scheduledFor}${referral}`;
}

/** The referrer's side of a booking their referral brought (every such booking; the metrics count the referral once). */
export function referralBookedSummary(d: AppointmentBooked['data']): string {
  return `Referral ${d.referralId}: ${d.patientId} booked appointment ${d.appointmentId} for ${d.scheduledFor}`;
}

export function missedSummary(d: { appointmentId: string; at: string }): string {
  return `Appointment ${d.appointmentId} missed (${d.at})`;
}

export function attendedSummary(d: { appointmentId: string; at: string }): string {
  return `Appointment ${d.appointmentId} attended (${d.at})`;
}

export function inquirySummary(d: { inquiryId: string; channel?: string; concern?: string }): string {
  return `Inquiry ${d.inquiryId} received${d.channel ? ` by ${d.channel}` : ''}${d.concern ? `: ${d.concern}` : ''}`;
}

export function preferencesSummary(d: ContactPreferencesSet['data']): string {
  const parts = [
    d.doNotCall ? 'do not call' : '',
    d.avoidWorkHours ? 'not during work hours' : '',
    d.preferredTimes?.length ? `preferred times ${d.preferredTimes.join(', ')}` : '',
    d.vip ? 'VIP' : '',
    d.specialDates?.length ? `special dates ${d.specialDates.map((s) => `${s.kind} ${s.date}`).join(', ')}` : '',
  ].filter(Boolean);
  return `Contact preferences set: ${parts.length ? parts.join('; ') : 'no restrictions'}`;
}

/** A follow-up added by hand (or as the next contact set on a call), by whom, for when and why. */
export function followUpAddedSummary(d: FollowUpAdded['data'], actor: string | undefined): string {
  const who = actor ? ` by ${actor}` : '';
  const why = d.callId ? ` (next contact set on call ${d.callId})` : d.note ? ` (${d.note})` : '';
  return `Follow-up ${d.followUpId} added${who} for ${d.dueAt}: ${d.purpose}${why}`;
}

export function followUpSteeredSummary(type: 'FollowUpMoved' | 'FollowUpCancelled', d: { followUpId: string; reason: string; dueAt?: string }, actor: string | undefined): string {
  const who = actor ? ` by ${actor}` : '';
  return type === 'FollowUpMoved' ? `Follow-up ${d.followUpId} moved${who} to ${d.dueAt}: ${d.reason}` : `Follow-up ${d.followUpId} cancelled${who}: ${d.reason}`;
}

/** What was changed, then the set as it now stands. */
export function preferencesChangedSummary(d: ContactPreferencesChanged['data']): string {
  const fields = Object.entries(d.changed).map(([field, value]) => (value === null ? `${field} cleared` : field));
  return `Contact preferences changed (${fields.join(', ')}); now: ${preferencesSummary(d).replace(/^Contact preferences set: /, '')}`;
}

export function persuasionStoppedSummary(d: { consecutiveRefusals: number }): string {
  return `Persuasion calls stopped after ${plural(d.consecutiveRefusals, 'consecutive refusal')}`;
}

const CORRECTED_FACTS: Record<string, string> = {
  CallRecordCorrected: 'call',
  ObjectionRecordCorrected: 'objection',
  ReferralRecordCorrected: 'referral',
  AppointmentRecordCorrected: 'appointment',
  TreatmentRecordCorrected: 'treatment',
};

/** "Correction of call p1.call6 by manager-wu: outcome no answer → reached. Reason: typed the wrong outcome" */
export function correctionSummary(
  type: string,
  d: { callId?: string; objectionId?: string; referralId?: string; appointmentId?: string; treatmentId?: string; corrected: object; previous: object; reason: string },
  by: string | undefined,
): string {
  const id = d.callId ?? d.objectionId ?? d.referralId ?? d.appointmentId ?? d.treatmentId ?? '';
  const previous = d.previous as Record<string, unknown>;
  const changes = Object.entries(d.corrected as Record<string, unknown>).map(([field, value]) => `${field} ${shown(field, previous[field])} → ${shown(field, value)}`);
  return `Correction of ${CORRECTED_FACTS[type] ?? 'record'} ${id}${by ? ` by ${by}` : ''}: ${changes.join('; ')}. Reason: ${d.reason}`;
}

export function phoneWrongSummary(d: { callId: string }): string {
  return `Wrong number on call ${d.callId}: the follow-ups wait for the right one`;
}

/** Which details were corrected, not what they now are: the timeline's text outlives an erasure. */
export function detailsCorrectedSummary(d: { patient: object; reason: string }, actor: string | undefined): string {
  const fields = ['name', 'phone'].filter((f) => (d.patient as Record<string, unknown>)[f] !== undefined);
  return `Personal details corrected${actor ? ` by ${actor}` : ''} (${fields.length > 0 ? fields.join(', ') : 'sealed'}): ${d.reason}`;
}

export function erasedSummary(d: { reason: string }): string {
  return `Personal data erased (names and phone numbers can no longer be read): ${d.reason}`;
}

function shown(field: string, value: unknown): string {
  if (value === undefined || value === null) return '—';
  if (field === 'outcome' && typeof value === 'string') return OUTCOMES[value as CallOutcome] ?? value;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
