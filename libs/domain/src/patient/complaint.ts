import { Temporal } from 'temporal-polyfill';
import type { ClinicState } from '../clinic/clinic';
import { DomainRefusal } from '../decider';
import type { CallAttempted, FollowUpScheduled, PatientEvent, TreatmentCompleted } from '../events';
import { UNREACHED_OUTCOMES } from '../events';
import { complaintCallbackRule } from '../protocol/protocol-sections';
import { planStep } from '../protocol/schedule';
import { followUpScheduled, NextId } from './follow-up-scheduled';
import type { RecordCall } from './patient.commands';
import type { PatientState } from './patient.state';

/**
 * A complaint or discomfort reported on a call (seed 000: 反馈给医生,由医生致电了解情况) puts a
 * callback task in the attending doctor's queue. A call reports one when the caller says so
 * (`complaint: true`); when it names symptoms and the patient rated satisfaction 1 or 2; or
 * (issue 15, 及时反馈给主诊医生) when it reached a patient with an attending doctor who rated
 * satisfaction 1 or 2, symptoms or not. A prospect's low rating alone is seed 002's "unhappy"
 * (the escalation after the last call), not a complaint: there is no attending doctor to tell.
 * The attending doctor is the one of the latest treatment; someone never treated here (a prospect)
 * goes to a senior doctor.
 */
export function reportsComplaint(data: RecordCall['data'], state: PatientState): boolean {
  if (nobodySpoke(data)) return false;
  if (data.complaint === true) return true;
  const lowSatisfaction = data.satisfaction !== undefined && data.satisfaction <= 2;
  if (lowSatisfaction && data.outcome === 'reached' && latestTreatment(state)) return true;
  return lowSatisfaction && Boolean(data.symptoms?.trim());
}

/** Nobody spoke on these calls, so nobody can have complained. */
export function requireConversationForComplaint(data: RecordCall['data']): void {
  if (data.complaint === true && nobodySpoke(data)) {
    throw new DomainRefusal('complaint_without_conversation', `a call with outcome ${data.outcome} reached nobody; a complaint needs a conversation`);
  }
}

function nobodySpoke(data: RecordCall['data']): boolean {
  return UNREACHED_OUTCOMES.includes(data.outcome) || data.outcome === 'wrong_number';
}

export function doctorCallback(call: CallAttempted['data'], state: PatientState, clinic: ClinicState, nextId: NextId): PatientEvent[] {
  const rule = complaintCallbackRule(clinic.protocol);
  const plan = planStep(rule.id, rule.step, clinic.protocol.version, Temporal.Instant.from(call.startedAt), clinic);
  const latest = latestTreatment(state);
  const assignee: FollowUpScheduled['data']['assignee'] = latest ? { role: 'doctor', doctorId: latest.doctorId } : { role: 'senior_doctor' };
  const purpose = call.symptoms?.trim() ? `${plan.purpose} (reported: ${call.symptoms.trim()})` : plan.purpose;
  return [
    followUpScheduled(nextId('fu'), call.patientId, call.clinicId, { ...plan, purpose }, {
      kind: 'doctor_callback',
      assignee,
      callId: call.callId,
      ...(latest ? { treatmentId: latest.treatmentId } : {}),
    }),
  ];
}

function latestTreatment(state: PatientState) {
  return [...state.treatments.values()].reduce<TreatmentCompleted['data'] | undefined>(
    (latest, t) => (!latest || Temporal.Instant.compare(Temporal.Instant.from(t.completedAt), Temporal.Instant.from(latest.completedAt)) >= 0 ? t : latest),
    undefined,
  );
}
