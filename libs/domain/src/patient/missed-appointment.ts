import { Temporal } from 'temporal-polyfill';
import { DomainRefusal } from '../decider';
import type { PatientEvent } from '../events';
import { missedAppointmentRule } from '../protocol/protocol-sections';
import { planStep } from '../protocol/schedule';
import { followUpScheduled, idSequence } from './follow-up-scheduled';
import type { PatientContext } from './patient-context';
import type { AttendAppointment, MissAppointment } from './patient.commands';
import type { PatientState } from './patient.state';
import { requireExistingPatient, requireNotFuture } from './preconditions';

/** A booked visit missed (seed 000): recorded, and an urgent call to ask why and book again, per the protocol. */
export function missAppointment({ data }: MissAppointment, state: PatientState, { now, clinic }: PatientContext): PatientEvent[] {
  const clinicId = requireExistingPatient(state, data.patientId);
  const appointment = state.appointments.get(data.appointmentId);
  if (!appointment) throw new DomainRefusal('unknown_appointment', `appointment ${data.appointmentId} does not exist for patient ${data.patientId}`, 'not_found');
  const at = Temporal.Instant.from(data.at);
  requireNotFuture(at, now, 'at');
  if (appointment.attendedAt !== undefined) {
    throw new DomainRefusal('appointment_closed', `appointment ${data.appointmentId} was attended at ${appointment.attendedAt}; it cannot also be missed`);
  }
  if (appointment.missedAt !== undefined) {
    if (appointment.missedAt === at.toString()) return [];
    throw new DomainRefusal('appointment_already_missed', `appointment ${data.appointmentId} was already recorded as missed at ${appointment.missedAt}`, 'conflict');
  }
  if (Temporal.Instant.compare(at, Temporal.Instant.from(appointment.scheduledFor)) < 0) {
    throw new DomainRefusal('appointment_not_yet_due', `appointment ${data.appointmentId} is booked for ${appointment.scheduledFor}; it cannot be missed at ${at.toString()}`);
  }
  const rule = missedAppointmentRule(clinic.protocol);
  const plan = planStep(rule.id, rule.step, clinic.protocol.version, at, clinic);
  return [
    { type: 'AppointmentMissed', data: { appointmentId: data.appointmentId, patientId: data.patientId, clinicId, at: at.toString() } },
    followUpScheduled(idSequence(data.patientId, state)('fu'), data.patientId, clinicId, plan, { kind: 'missed_appointment', appointmentId: data.appointmentId }),
  ];
}

/** How early before the booked time a patient may be recorded as having come (the same morning, say). */
const EARLY_ARRIVAL = Temporal.Duration.from({ hours: 12 });

/** A booked visit attended: a return visit (复诊); it closes the appointment as missed would. */
export function attendAppointment({ data }: AttendAppointment, state: PatientState, { now }: PatientContext): PatientEvent[] {
  const clinicId = requireExistingPatient(state, data.patientId);
  const appointment = state.appointments.get(data.appointmentId);
  if (!appointment) throw new DomainRefusal('unknown_appointment', `appointment ${data.appointmentId} does not exist for patient ${data.patientId}`, 'not_found');
  const at = Temporal.Instant.from(data.at);
  requireNotFuture(at, now, 'at');
  if (appointment.missedAt !== undefined) {
    throw new DomainRefusal('appointment_closed', `appointment ${data.appointmentId} was recorded as missed at ${appointment.missedAt}; it cannot also be attended (book a new one)`);
  }
  if (appointment.attendedAt !== undefined) {
    if (appointment.attendedAt === at.toString()) return [];
    throw new DomainRefusal('appointment_closed', `appointment ${data.appointmentId} was already attended at ${appointment.attendedAt}`);
  }
  if (Temporal.Instant.compare(at, Temporal.Instant.from(appointment.scheduledFor).subtract(EARLY_ARRIVAL)) < 0) {
    throw new DomainRefusal('attended_before_booked', `appointment ${data.appointmentId} is booked for ${appointment.scheduledFor}; a visit at ${at.toString()} is more than 12 hours before it`);
  }
  return [{ type: 'AppointmentAttended', data: { appointmentId: data.appointmentId, patientId: data.patientId, clinicId, at: at.toString() } }];
}
