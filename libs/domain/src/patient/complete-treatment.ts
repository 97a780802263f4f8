import { Temporal } from 'temporal-polyfill';
import { DomainRefusal } from '../decider';
import type { PatientEvent } from '../events';
import { planFollowUps } from '../protocol/schedule';
import { followUpClosed, followUpScheduled, idSequence } from './follow-up-scheduled';
import type { PatientContext } from './patient-context';
import type { CompleteTreatment } from './patient.commands';
import { openFollowUps, PatientState } from './patient.state';
import { requireConfiguredClinic, requireNotFuture, requireSameClinic } from './preconditions';

/** A treatment is recorded with the follow-ups the clinic's protocol derives; a prospect who came needs no more persuading. */
export function completeTreatment({ data }: CompleteTreatment, state: PatientState, { now, clinic }: PatientContext): PatientEvent[] {
  requireConfiguredClinic(clinic, data.clinicId);
  requireSameClinic(state, data.clinicId);
  const earlier = state.treatments.get(data.treatmentId);
  if (earlier) {
    if (JSON.stringify(canonical(earlier)) === JSON.stringify(canonical(data))) return [];
    throw new DomainRefusal('treatment_conflict', `treatment ${data.treatmentId} is already recorded with different data; record a correction instead`, 'conflict');
  }
  const completedAt = Temporal.Instant.from(data.completedAt);
  requireNotFuture(completedAt, now, 'completedAt');
  const nextId = idSequence(data.patientId, state);
  const visited = openFollowUps(state, ['prospect', 'escalation']).map((f) =>
    followUpClosed(f, data.patientId, data.clinicId, 'visited', { treatmentId: data.treatmentId }),
  );
  const followUps = planFollowUps({ ...data, completedAt }, clinic.protocol, clinic).map((plan) =>
    followUpScheduled(nextId('fu'), data.patientId, data.clinicId, plan, { treatmentId: data.treatmentId }),
  );
  return [{ type: 'TreatmentCompleted', data: { ...data, completedAt: completedAt.toString() } }, ...visited, ...followUps];
}

/** Field order and instant spelling must not make the same treatment look different. */
function canonical(data: CompleteTreatment['data']): unknown {
  const sorted = Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)));
  return { ...sorted, completedAt: Temporal.Instant.from(data.completedAt).toString() };
}
