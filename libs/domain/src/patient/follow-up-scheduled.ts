import type { FollowUpClosed, FollowUpClosedReason, FollowUpScheduled } from '../events';
import type { PlannedFollowUp } from '../protocol/schedule';
import type { FollowUpState, PatientState } from './patient.state';

/** Server-made ids for one decision: `<patientId>.<kind><n>`, n counting on from the stream's last. */
export type NextId = (kind: 'fu' | 'call' | 'obj' | 'ref' | 'apt' | 'inq' | 'cor') => string;

export function idSequence(patientId: string, state: PatientState): NextId {
  let seq = state.lastSeq;
  return (kind) => `${patientId}.${kind}${++seq}`;
}

/** What a follow-up carries besides its plan: why it exists and whose queue it lands in. */
export type FollowUpFacts = Omit<FollowUpScheduled['data'], 'followUpId' | 'patientId' | 'clinicId' | 'purpose' | 'dueAt' | 'urgent' | 'origin'>;

export function followUpScheduled(followUpId: string, patientId: string, clinicId: string, plan: PlannedFollowUp, facts: FollowUpFacts = {}): FollowUpScheduled {
  return {
    type: 'FollowUpScheduled',
    data: {
      followUpId,
      patientId,
      clinicId,
      ...facts,
      purpose: plan.purpose,
      dueAt: plan.dueAt.toString(),
      urgent: plan.urgent,
      ...(plan.movedFromClosedDay ? { movedFromClosedDay: true } : {}),
      ...(plan.deadlineAt ? { deadlineAt: plan.deadlineAt.toString() } : {}),
      origin: { protocolVersion: plan.protocolVersion, ruleId: plan.ruleId, stepId: plan.stepId },
    },
  };
}

/** Closing a follow-up without a call (a booking, a visit, a withdrawn date, persuasion stopped). */
export function followUpClosed(
  followUp: FollowUpState,
  patientId: string,
  clinicId: string,
  reason: FollowUpClosedReason,
  cause: Pick<FollowUpClosed['data'], 'callId' | 'appointmentId' | 'treatmentId'> = {},
): FollowUpClosed {
  return { type: 'FollowUpClosed', data: { followUpId: followUp.followUpId, patientId, clinicId, reason, attempts: followUp.attempts, ...cause } };
}
