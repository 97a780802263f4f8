import { Temporal } from 'temporal-polyfill';
import { DomainRefusal } from '../decider';
import type { PatientEvent } from '../events';
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
  const appointmentId = idSequence(data.patientId, state)('apt');
  const closed = openFollowUps(state, ['prospect', 'escalation', 'missed_appointment'])
    .filter((f) => f.followUpId !== data.followUpId)
    .map((f) => followUpClosed(f, data.patientId, data.clinicId, 'booked', { appointmentId }));
  return [{ type: 'AppointmentBooked', data: { ...data, appointmentId, scheduledFor: scheduledFor.toString() } }, ...closed];
}
