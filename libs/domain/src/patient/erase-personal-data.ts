import type { PatientEvent } from '../events';
import type { ErasePersonalData } from './patient.commands';
import type { PatientState } from './patient.state';
import { requireExistingPatient } from './preconditions';

/** Erasure is recorded once; asking again changes nothing (the key is gone already). */
export function erasePersonalData({ data }: ErasePersonalData, state: PatientState): PatientEvent[] {
  const clinicId = requireExistingPatient(state, data.patientId);
  if (state.erased) return [];
  return [{ type: 'PersonalDataErased', data: { patientId: data.patientId, clinicId, reason: data.reason } }];
}
