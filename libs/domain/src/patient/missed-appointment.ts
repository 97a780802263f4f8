import { Temporal } from 'temporal-polyfill';
import { DomainRefusal } from '../decider';
import type { PatientEvent } from '../events';
import { missedAppointmentRule } from '../protocol/protocol-sections';
import { planStep } from '../protocol/schedule';
import { followUpScheduled, idSequence } from './follow-up-scheduled';
import type { PatientContext } from './patient-context';
import type { MissAppointment } from './patient.commands';
import type { PatientState } from './patient.state';
import { requireExistingPatient, requireNotFuture } from './preconditions';

/** A booked visit missed (seed 000): recorded, and an urgent call to ask why and book again, per the protocol. */
export function missAppointment({ data }: MissAppointment, state: PatientState, { now, clinic }: PatientContext): PatientEvent[] {
  const clinicId = requireExistingPatient(state, data.patientId);
  const appointment = state.appointments.get(data.appointmentId);
  if (!appointment) throw new DomainRefusal('unknown_appointment', `appointment ${data.appointmentId} does not exist for patient ${data.patientId}`, 'not_found');
  const at = Temporal.Instant.from(data.at);
  requireNotFuture(at, now, 'at');
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
