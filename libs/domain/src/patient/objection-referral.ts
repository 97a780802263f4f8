import { DomainRefusal } from '../decider';
import type { ObjectionRaised, PatientEvent } from '../events';
import { idSequence } from './follow-up-scheduled';
import type { PatientContext } from './patient-context';
import type { RaiseObjection, RequestReferral } from './patient.commands';
import type { PatientState } from './patient.state';
import { requireExistingPatient } from './preconditions';
import { escalateOnObjection } from './prospect';

export function raiseObjection({ data }: RaiseObjection, state: PatientState, { clinic }: PatientContext): PatientEvent[] {
  const clinicId = requireExistingPatient(state, data.patientId);
  if (data.callId && !state.calls.has(data.callId)) {
    throw new DomainRefusal('unknown_call', `call ${data.callId} is not a call of patient ${data.patientId}`);
  }
  const nextId = idSequence(data.patientId, state);
  const raised: ObjectionRaised = { type: 'ObjectionRaised', data: { ...data, objectionId: nextId('obj'), clinicId } };
  return [raised, ...escalateOnObjection(raised.data, state, clinic, nextId)];
}

export function requestReferral({ data }: RequestReferral, state: PatientState, field = 'referred'): PatientEvent[] {
  const clinicId = requireExistingPatient(state, data.patientId);
  // A referred person with no name, phone or relation is nobody: an empty form, not a referral.
  if (data.referred && !data.referred.name?.trim() && !data.referred.phone?.trim() && !data.referred.relation?.trim()) {
    throw new DomainRefusal('referral_empty', `${field} names nobody: give the referred person's name, phone or relation, or leave it out`, 'invalid', [field]);
  }
  return [{ type: 'ReferralRequested', data: { ...data, referralId: `${data.patientId}.ref${state.lastSeq + 1}`, clinicId } }];
}

