import { attempted, reportedWrong } from '../../test/engine-fixtures';
import { at, CLINIC_ID, NOW, PATIENT_ID, spec, TREATED } from '../../test/patient-fixtures';
import type { PatientEvent } from '../events';
import type { CorrectPersonalDetails } from './patient.commands';
import { evolvePatient, initialPatientState } from './patient.state';

const correct = (data: Omit<CorrectPersonalDetails['data'], 'patientId'>): CorrectPersonalDetails => ({ type: 'CorrectPersonalDetails', data: { patientId: PATIENT_ID, ...data } });
const WRONG: PatientEvent[] = [...TREATED, attempted(PATIENT_ID, 6, 'wrong_number', '2026-11-23T06:30:00Z', { followUpId: `${PATIENT_ID}.fu1` }), reportedWrong(PATIENT_ID, 6)];

describe('CorrectPersonalDetails (issue 15 item 9: a wrong number waits for the right one)', () => {
  it('records only the fields given, under a correction id of the patient', () => {
    spec(WRONG)
      .when(correct({ phone: '13800000002', reason: 'the daughter gave her mother’s new number' }), at(NOW))
      .then([
        {
          type: 'PersonalDetailsCorrected',
          data: { patientId: PATIENT_ID, clinicId: CLINIC_ID, correctionId: `${PATIENT_ID}.cor7`, patient: { phone: '13800000002' }, reason: 'the daughter gave her mother’s new number' },
        },
      ]);
  });

  it('a corrected phone clears the wrong number; a corrected name alone does not', () => {
    const fold = (events: PatientEvent[]) => events.reduce(evolvePatient, initialPatientState());
    expect(fold(WRONG).phoneWrong).toBe(true);
    const named: PatientEvent = { type: 'PersonalDetailsCorrected', data: { patientId: PATIENT_ID, clinicId: CLINIC_ID, correctionId: 'p1.cor7', patient: { name: 'Wang Fang' }, reason: 'spelling' } };
    expect(fold([...WRONG, named]).phoneWrong).toBe(true);
    const phoned: PatientEvent = { ...named, data: { ...named.data, correctionId: 'p1.cor8', patient: { phone: '13800000002' } } } as PatientEvent;
    expect(fold([...WRONG, named, phoned]).phoneWrong).toBe(false);
  });

  it('refuses a correction that gives nothing', () => {
    spec(WRONG).when(correct({ reason: 'nothing' }), at(NOW)).thenRefuses('nothing_to_correct');
  });

  it('refuses details for a patient who was erased: there is no key to seal them under', () => {
    const erased: PatientEvent = { type: 'PersonalDataErased', data: { patientId: PATIENT_ID, clinicId: CLINIC_ID, reason: 'asked to be forgotten' } };
    spec([...WRONG, erased]).when(correct({ phone: '13800000002', reason: 'new phone' }), at(NOW)).thenRefuses('patient_erased');
  });

  it('refuses an unknown patient', () => {
    spec([]).when(correct({ phone: '13800000002', reason: 'new phone' }), at(NOW)).thenRefuses('unknown_patient', 'not_found');
  });
});
