import type { PatientEvent } from '../events';
import { DomainRefusal } from '../decider';
import { idSequence } from './follow-up-scheduled';
import type { CorrectPersonalDetails, ErasePersonalData } from './patient.commands';
import type { PatientState } from './patient.state';
import { requireExistingPatient } from './preconditions';

/** Erasure is recorded once; asking again changes nothing (the key is gone already). */
export function erasePersonalData({ data }: ErasePersonalData, state: PatientState): PatientEvent[] {
  const clinicId = requireExistingPatient(state, data.patientId);
  if (state.erased) return [];
  return [{ type: 'PersonalDataErased', data: { patientId: data.patientId, clinicId, reason: data.reason } }];
}

/**
 * The name or phone as staff now know it (a wrong number, a new phone). Only the fields given are
 * corrected; after an erasure there is no key to seal them under, and no patient to call.
 */
export function correctPersonalDetails({ data }: CorrectPersonalDetails, state: PatientState): PatientEvent[] {
  const clinicId = requireExistingPatient(state, data.patientId);
  if (state.erased) throw new DomainRefusal('patient_erased', `patient ${data.patientId} asked to be forgotten: their details cannot be given again`);
  const patient = { ...(data.name !== undefined ? { name: data.name } : {}), ...(data.phone !== undefined ? { phone: data.phone } : {}) };
  if (Object.keys(patient).length === 0) throw new DomainRefusal('nothing_to_correct', 'give the corrected name or phone', 'rule', ['name', 'phone']);
  const correctionId = idSequence(data.patientId, state)('cor');
  return [{ type: 'PersonalDetailsCorrected', data: { patientId: data.patientId, clinicId, correctionId, patient, reason: data.reason } }];
}
