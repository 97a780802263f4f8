import { Temporal } from 'temporal-polyfill';
import type { ClinicState } from '../clinic/clinic';
import type { CallAttempted, FollowUpClosedReason, PatientEvent } from '../events';
import { nextRecurrence } from '../protocol/schedule';
import { followUpScheduled, NextId } from './follow-up-scheduled';
import type { FollowUpState, PatientState } from './patient.state';
import { nextGreeting } from './preferences';
import { nextPersuasionCall } from './prospect';

/**
 * What a follow-up closed by a call leads to, decided on that call: the next yearly check-up, the
 * next year's greeting, the next prospect call. A wrong number ends every chain (no point calling it again).
 */
export function afterClosing(closed: FollowUpState, reason: FollowUpClosedReason, call: CallAttempted['data'], state: PatientState, clinic: ClinicState, nextId: NextId): PatientEvent[] {
  switch (closed.kind) {
    case 'treatment':
      return nextOccurrence(closed, reason, call, clinic, nextId);
    case 'greeting':
      return nextGreeting(closed, reason, call, state, clinic, nextId);
    case 'prospect':
    case 'escalation':
      return nextPersuasionCall(closed, reason, call, state, clinic, nextId);
    default:
      return [];
  }
}

/**
 * A recurring step (the implant's yearly check-up) schedules its next occurrence when one closes,
 * under the clinic's current protocol: a clinic that drops the step or its recurrence ends the chain.
 */
function nextOccurrence(closed: FollowUpState, reason: FollowUpClosedReason, call: CallAttempted['data'], clinic: ClinicState, nextId: NextId): PatientEvent[] {
  if (reason === 'wrong_number') return [];
  const rule = clinic.protocol.rules.find((r) => r.id === closed.origin.ruleId);
  const step = rule?.steps.find((s) => s.id === closed.origin.stepId);
  if (!rule || !step?.repeatEveryMonths) return [];
  const dueAt = nextRecurrence(Temporal.Instant.from(closed.scheduledDueAt), step.repeatEveryMonths, Temporal.Instant.from(call.startedAt), clinic);
  const plan = { ruleId: rule.id, stepId: step.id, protocolVersion: clinic.protocol.version, purpose: step.purpose, dueAt, urgent: false };
  return [followUpScheduled(nextId('fu'), call.patientId, call.clinicId, plan, { ...(closed.treatmentId ? { treatmentId: closed.treatmentId } : {}), follows: closed.followUpId })];
}
