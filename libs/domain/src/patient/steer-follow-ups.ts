import { Temporal } from 'temporal-polyfill';
import type { ClinicState } from '../clinic/clinic';
import { DomainRefusal } from '../decider';
import type { CallAttempted, FollowUpAdded, PatientEvent } from '../events';
import { idSequence, NextId } from './follow-up-scheduled';
import type { PatientContext } from './patient-context';
import type { AddFollowUp, CancelFollowUp, ClaimFollowUp, MoveFollowUp } from './patient.commands';
import type { PatientState } from './patient.state';
import { CLOCK_SKEW, requireExistingPatient, requireOpenFollowUp } from './preconditions';

/**
 * Staff steer one patient's plan (DOMAIN.md "Steering and the calendar"): add a follow-up, move
 * one, cancel one, each with the reason and the actor in the metadata. A time in the past is
 * refused: steering is about calls still to make.
 */
export function addFollowUp({ data }: AddFollowUp, state: PatientState, { now, clinic }: PatientContext): PatientEvent[] {
  const clinicId = requireExistingPatient(state, data.patientId);
  const dueAt = requireNotPast(data.dueAt, now, 'dueAt');
  return [added(idSequence(data.patientId, state), data.patientId, clinicId, clinic, { purpose: data.purpose, dueAt, ...(data.assigneeId ? { assigneeId: data.assigneeId } : {}), ...(data.note ? { note: data.note } : {}) })];
}

export function moveFollowUp({ data }: MoveFollowUp, state: PatientState, { now }: PatientContext): PatientEvent[] {
  const clinicId = requireExistingPatient(state, data.patientId);
  const followUp = requireOpenFollowUp(state, data.followUpId);
  const dueAt = requireNotPast(data.dueAt, now, 'dueAt');
  if (Temporal.Instant.compare(dueAt, Temporal.Instant.from(followUp.dueAt)) === 0) return [];
  return [{ type: 'FollowUpMoved', data: { followUpId: data.followUpId, patientId: data.patientId, clinicId, dueAt: dueAt.toString(), reason: data.reason } }];
}

export function cancelFollowUp({ data }: CancelFollowUp, state: PatientState): PatientEvent[] {
  const clinicId = requireExistingPatient(state, data.patientId);
  requireOpenFollowUp(state, data.followUpId);
  return [{ type: 'FollowUpCancelled', data: { followUpId: data.followUpId, patientId: data.patientId, clinicId, reason: data.reason } }];
}

/** How long a claim may last: long enough for a call, short enough that a forgotten one lapses. */
export const CLAIM_MINUTES = { min: 1, max: 60 } as const;

/**
 * Opening a call claims it, so two callers do not dial one patient (issue 16). Another caller's
 * claim that has not lapsed is a conflict naming who holds it and until when; one's own claim is
 * renewed. The claim is released by the next call on the follow-up, or lapses at `until`.
 */
export function claimFollowUp({ data }: ClaimFollowUp, state: PatientState, { now }: PatientContext): PatientEvent[] {
  const clinicId = requireExistingPatient(state, data.patientId);
  const followUp = requireOpenFollowUp(state, data.followUpId);
  if (!Number.isInteger(data.minutes) || data.minutes < CLAIM_MINUTES.min || data.minutes > CLAIM_MINUTES.max) {
    throw new DomainRefusal('claim_minutes_invalid', `minutes must be a whole number from ${CLAIM_MINUTES.min} to ${CLAIM_MINUTES.max}`, 'invalid', ['minutes']);
  }
  const held = followUp.claim;
  if (held && held.by !== data.claimedBy && Temporal.Instant.compare(Temporal.Instant.from(held.until), now) > 0) {
    throw new DomainRefusal('follow_up_claimed', `${held.by} is on this call until ${held.until}`, 'conflict');
  }
  const until = now.add({ minutes: data.minutes }).round({ smallestUnit: 'second' }).toString();
  return [{ type: 'FollowUpClaimed', data: { followUpId: data.followUpId, patientId: data.patientId, clinicId, claimedBy: data.claimedBy, until } }];
}

/** The next contact a caller sets on a reached call: when, and the reason for it (seed 002: 为下次电话下理由). */
export function nextContactAfterCall(call: CallAttempted['data'], clinic: ClinicState, nextId: NextId): PatientEvent[] {
  if (!call.nextContact) return [];
  if (call.outcome !== 'reached') throw new DomainRefusal('next_contact_needs_conversation', `a call with outcome ${call.outcome} reached nobody; set the next contact on a call that did`);
  const dueAt = Temporal.Instant.from(call.nextContact.at);
  if (Temporal.Instant.compare(dueAt, Temporal.Instant.from(call.startedAt)) <= 0) throw new DomainRefusal('next_contact_in_past', 'nextContact.at must be after the call started', 'rule', ['nextContact.at']);
  return [added(nextId, call.patientId, call.clinicId, clinic, { purpose: call.nextContact.purpose, dueAt, callId: call.callId, ...(call.followUpId ? { follows: call.followUpId } : {}) })];
}

function added(
  nextId: NextId,
  patientId: string,
  clinicId: string,
  clinic: ClinicState,
  what: { purpose: string; dueAt: Temporal.Instant; assigneeId?: string; note?: string; callId?: string; follows?: string },
): FollowUpAdded {
  return {
    type: 'FollowUpAdded',
    data: {
      followUpId: nextId('fu'),
      patientId,
      clinicId,
      kind: 'added',
      // Someone named: it lands in their own queue (GET /v1/doctors/:id/queue); else the callers'.
      ...(what.assigneeId ? { assignee: { role: 'doctor' as const, doctorId: what.assigneeId } } : {}),
      purpose: what.purpose,
      dueAt: what.dueAt.toString(),
      urgent: false,
      origin: { protocolVersion: clinic.protocol.version, ruleId: 'staff', stepId: 'added' },
      ...(what.callId ? { callId: what.callId } : {}),
      ...(what.follows ? { follows: what.follows } : {}),
      ...(what.note ? { note: what.note } : {}),
    },
  };
}

function requireNotPast(iso: string, now: Temporal.Instant, field: string): Temporal.Instant {
  const at = Temporal.Instant.from(iso);
  if (Temporal.Instant.compare(at, now.subtract(CLOCK_SKEW)) < 0) throw new DomainRefusal('due_in_past', `${field} ${at.toString()} is in the past: a follow-up is a call still to make`, 'rule', [field]);
  return at;
}
