import { Temporal } from 'temporal-polyfill';
import { DomainRefusal } from '../decider';
import type { PatientEvent } from '../events';
import { urgentExpiryHours } from '../protocol/urgent-deadlines';
import { followUpClosed } from './follow-up-scheduled';
import type { PatientContext } from './patient-context';
import type { ExpireFollowUp } from './patient.commands';
import type { PatientState } from './patient.state';
import { requireExistingPatient } from './preconditions';

/**
 * DOMAIN.md, urgent calls: "after a day they expire (recorded), so a stale urgent call never
 * buries today's". An urgent follow-up still open its rule's expiry after it first fell due (24 h
 * by default, the clinic's urgentRules otherwise) closes as `expired`. Already closed: nothing.
 */
export function expireFollowUp({ data }: ExpireFollowUp, state: PatientState, { now, clinic }: PatientContext): PatientEvent[] {
  const clinicId = requireExistingPatient(state, data.patientId);
  const followUp = state.followUps.get(data.followUpId);
  if (!followUp) throw new DomainRefusal('unknown_follow_up', `follow-up ${data.followUpId} does not exist for patient ${data.patientId}`, 'not_found');
  if (followUp.status === 'closed') return [];
  if (!followUp.urgent) throw new DomainRefusal('not_urgent', `follow-up ${data.followUpId} is not urgent: only urgent calls expire`);
  const expiresAt = Temporal.Instant.from(followUp.scheduledDueAt).add({ hours: urgentExpiryHours(followUp.origin, clinic.urgentRules) });
  if (Temporal.Instant.compare(now, expiresAt) < 0) throw new DomainRefusal('not_expired', `follow-up ${data.followUpId} expires at ${expiresAt.toString()}`);
  return [followUpClosed(followUp, data.patientId, clinicId, 'expired')];
}
