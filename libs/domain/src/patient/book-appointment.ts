import { Temporal } from 'temporal-polyfill';
import { DomainRefusal } from '../decider';
import type { AppointmentBooked, PatientEvent } from '../events';
import { followUpClosed, idSequence } from './follow-up-scheduled';
import type { PatientContext } from './patient-context';
import type { BookAppointment } from './patient.commands';
import { openFollowUps, PatientState } from './patient.state';
import { requireConfiguredClinic, requireSameClinic } from './preconditions';

/**
 * A booking: a conversion. It makes open persuasion and missed-visit calls pointless, so they close
 * as booked — except the follow-up the booking was made on, which its call still closes.
 */
export function bookAppointment({ data }: BookAppointment, state: PatientState, { now, clinic }: PatientContext): PatientEvent[] {
  requireConfiguredClinic(clinic, data.clinicId);
  requireSameClinic(state, data.clinicId);
  const scheduledFor = Temporal.Instant.from(data.scheduledFor);
  if (Temporal.Instant.compare(scheduledFor, now) <= 0) {
    throw new DomainRefusal('appointment_in_past', `scheduledFor ${data.scheduledFor} is not in the future; book a time that is still to come`);
  }
  if (data.followUpId && !state.followUps.has(data.followUpId)) {
    throw new DomainRefusal('unknown_follow_up', `follow-up ${data.followUpId} does not exist for patient ${data.patientId}`);
  }
  if (data.referralId) {
    if (!data.referrerPatientId) throw new DomainRefusal('unknown_referral', `referral ${data.referralId} does not exist`);
    if (data.referrerPatientId === data.patientId) throw new DomainRefusal('self_referral', 'a patient cannot convert their own referral');
  }
  if (data.callId && !state.calls.has(data.callId)) {
    throw new DomainRefusal('unknown_call', `call ${data.callId} is not a call of patient ${data.patientId}`);
  }
  const appointmentId = idSequence(data.patientId, state)('apt');
  const closed = openFollowUps(state, ['prospect', 'escalation', 'missed_appointment'])
    .filter((f) => f.followUpId !== data.followUpId)
    .map((f) => followUpClosed(f, data.patientId, data.clinicId, 'booked', { appointmentId }));
  const { callId: _named, ...booking } = data;
  const credit = attribution(data, state, now);
  return [{ type: 'AppointmentBooked', data: { ...booking, appointmentId, scheduledFor: scheduledFor.toString(), ...credit } }, ...closed];
}

/** How far back a caller's reached call still counts for a booking that names none. */
const ATTRIBUTION_WINDOW = Temporal.Duration.from({ hours: 14 * 24 });

/**
 * The reached call a booking is credited to (ATTRIBUTION_RULES, in order); none when no reached,
 * not yet credited call led to it. A call earns one booking at most, so a caller's conversion
 * (credited bookings ÷ reached calls) can never pass 1.
 */
function attribution(data: BookAppointment['data'], state: PatientState, now: Temporal.Instant): Pick<AppointmentBooked['data'], 'attributedCallId' | 'attribution'> {
  const creditable = [...state.calls].filter(([, call]) => call.outcome === 'reached' && !call.credited);
  const latest = (calls: typeof creditable) => calls.sort(([, a], [, b]) => Temporal.Instant.compare(b.startedAt, a.startedAt))[0]?.[0];
  if (data.callId && creditable.some(([id]) => id === data.callId)) return { attributedCallId: data.callId, attribution: 'named_call' };
  const onFollowUp = data.followUpId ? latest(creditable.filter(([, call]) => call.followUpId === data.followUpId)) : undefined;
  if (onFollowUp) return { attributedCallId: onFollowUp, attribution: 'named_follow_up' };
  const since = now.subtract(ATTRIBUTION_WINDOW);
  const recent = creditable.filter(([, call]) => Temporal.Instant.compare(call.startedAt, since) >= 0 && Temporal.Instant.compare(call.startedAt, now) <= 0);
  const caller = data.callerId ? latest(recent.filter(([, call]) => call.callerId === data.callerId)) : latest(recent);
  if (caller) return { attributedCallId: caller, attribution: data.callerId ? 'caller_recent' : 'recent' };
  return {};
}
