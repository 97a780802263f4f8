import { Temporal } from 'temporal-polyfill';
import { DomainRefusal } from '../decider';
import type { PatientEvent, RecordCorrected } from '../events';
import { CALL_OUTCOMES } from '../events';
import { idSequence } from './follow-up-scheduled';
import type { PatientContext } from './patient-context';
import type { CorrectionTarget, CorrectRecord } from './patient.commands';
import type { PatientState } from './patient.state';
import { requireExistingPatient, requireNotFuture } from './preconditions';

/**
 * Which fields of which fact may be corrected. Ids, the patient, the clinic, who made the call and
 * personal data (names, phone numbers) are not: a wrong patient or caller is a new record, not an
 * edit; names and phones are given again with the next treatment or inquiry.
 */
export const CORRECTABLE_FIELDS = {
  CallAttempted: ['outcome', 'startedAt', 'durationSeconds', 'notes', 'satisfaction', 'symptoms'],
  ObjectionRaised: ['kind', 'topic', 'method', 'resolved', 'answerable', 'note'],
  ReferralRequested: ['note'],
  AppointmentBooked: ['scheduledFor'],
  TreatmentCompleted: ['procedure', 'doctorId', 'completedAt', 'restored', 'needsProsthesis'],
} as const satisfies Record<string, readonly string[]>;

export type CorrectableType = keyof typeof CORRECTABLE_FIELDS;

/** The correction event each correctable fact gets. */
export const CORRECTION_OF: Record<CorrectableType, RecordCorrected['type']> = {
  CallAttempted: 'CallRecordCorrected',
  ObjectionRaised: 'ObjectionRecordCorrected',
  ReferralRequested: 'ReferralRecordCorrected',
  AppointmentBooked: 'AppointmentRecordCorrected',
  TreatmentCompleted: 'TreatmentRecordCorrected',
};

const CORRECTION_TYPES: ReadonlySet<string> = new Set(Object.values(CORRECTION_OF));

export function isCorrectable(type: string): type is CorrectableType {
  return Object.prototype.hasOwnProperty.call(CORRECTABLE_FIELDS, type);
}

export function isCorrection(type: string): type is RecordCorrected['type'] {
  return CORRECTION_TYPES.has(type);
}

/** Claimed times a correction may set: like the original, never in the future. */
const CLAIMED_TIMES = new Set(['startedAt', 'completedAt']);

/**
 * A fact as it stands now: the recorded event with every correction that points at it applied in
 * order; undefined when `events` (one patient's stream) has no event with that id.
 */
export function currentRecord(events: readonly { eventId: string; type: string; data: Record<string, unknown> }[], eventId: string): CorrectionTarget | undefined {
  const original = events.find((e) => e.eventId === eventId);
  if (!original) return undefined;
  let data = { ...original.data };
  for (const event of events) {
    if (isCorrection(event.type) && event.data.correctsEventId === eventId) data = { ...data, ...(event.data.corrected as Record<string, unknown>) };
  }
  return { eventId, type: original.type, data };
}

export function correctRecord({ data }: CorrectRecord, state: PatientState, { now }: PatientContext): PatientEvent[] {
  const clinicId = requireExistingPatient(state, data.patientId);
  const target = data.target;
  if (!target) throw new DomainRefusal('unknown_event', `patient ${data.patientId} has no event ${data.eventId}`, 'not_found');
  if (!isCorrectable(target.type)) {
    const hint = isCorrection(target.type) ? '; correct the original fact instead (its latest correction is what stands)' : '';
    throw new DomainRefusal('not_correctable', `a ${target.type} cannot be corrected${hint}; correctable: ${Object.keys(CORRECTABLE_FIELDS).join(', ')}`);
  }
  if (!data.reason.trim()) throw new DomainRefusal('correction_needs_reason', 'a correction needs a reason');
  const allowed: readonly string[] = CORRECTABLE_FIELDS[target.type];
  const refused = Object.keys(data.changes).filter((field) => !allowed.includes(field));
  if (refused.length > 0) {
    throw new DomainRefusal('field_not_correctable', `${refused.join(', ')} cannot be corrected on a ${target.type}; correctable: ${allowed.join(', ')}`, 'invalid', refused);
  }
  const corrected: Record<string, unknown> = {};
  const previous: Record<string, unknown> = {};
  for (const [field, given] of Object.entries(data.changes)) {
    if (given === undefined) continue;
    if (field === 'outcome' && !(CALL_OUTCOMES as readonly unknown[]).includes(given)) throw new DomainRefusal('unknown_outcome', `outcome ${String(given)} is not a call outcome`);
    const value = CLAIMED_TIMES.has(field) ? claimedTime(given, field, now) : given;
    if (JSON.stringify(value) === JSON.stringify(target.data[field])) continue;
    corrected[field] = value;
    if (target.data[field] !== undefined) previous[field] = target.data[field];
  }
  if (Object.keys(corrected).length === 0) {
    throw new DomainRefusal('nothing_to_correct', `every field given already has that value on event ${target.eventId}; nothing to correct`);
  }
  const correctionId = idSequence(data.patientId, state)('cor');
  const base = { correctionId, patientId: data.patientId, clinicId, correctsEventId: target.eventId, reason: data.reason.trim(), corrected, previous };
  const d = target.data;
  switch (target.type) {
    case 'CallAttempted':
      return [
        {
          type: 'CallRecordCorrected',
          data: { ...base, callId: String(d.callId), callerId: String(d.callerId), ...(typeof d.followUpId === 'string' ? { followUpId: d.followUpId } : {}) },
        },
      ];
    case 'ObjectionRaised':
      return [{ type: 'ObjectionRecordCorrected', data: { ...base, objectionId: String(d.objectionId), callerId: String(d.callerId) } }];
    case 'ReferralRequested':
      return [{ type: 'ReferralRecordCorrected', data: { ...base, referralId: String(d.referralId) } }];
    case 'AppointmentBooked':
      return [{ type: 'AppointmentRecordCorrected', data: { ...base, appointmentId: String(d.appointmentId) } }];
    case 'TreatmentCompleted':
      return [{ type: 'TreatmentRecordCorrected', data: { ...base, treatmentId: String(d.treatmentId) } }];
  }
}

function claimedTime(value: unknown, field: string, now: Temporal.Instant): string {
  let instant: Temporal.Instant;
  try {
    instant = Temporal.Instant.from(String(value));
  } catch {
    throw new DomainRefusal('invalid_time', `${field} must be an ISO-8601 instant with Z or an offset`);
  }
  requireNotFuture(instant, now, field);
  return instant.toString();
}
