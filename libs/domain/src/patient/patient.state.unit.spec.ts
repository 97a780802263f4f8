/** Folding a patient's stream: what the decider later relies on. */
import { CLINIC_ID, PATIENT_ID, TREATED } from '../../test/patient-fixtures';
import type { PatientEvent } from '../events';
import { evolvePatient, initialPatientState, patientIdOf, PatientState } from './patient.state';

const fold = (events: PatientEvent[]): PatientState => events.reduce(evolvePatient, initialPatientState());

describe('evolvePatient', () => {
  it('starts with no patient and sequence 0', () => {
    expect(initialPatientState()).toMatchObject({ exists: false, lastSeq: 0, followUps: {} });
  });

  it('knows the patient, the clinic, the treatment and the open follow-ups after a treatment', () => {
    const state = fold(TREATED);
    expect(state).toMatchObject({ exists: true, patientId: PATIENT_ID, clinicId: CLINIC_ID, lastSeq: 5 });
    expect([...state.treatments.keys()]).toEqual(['t1']);
    expect(state.followUps.get('p1.fu1')).toEqual({
      followUpId: 'p1.fu1',
      treatmentId: 't1',
      status: 'open',
      dueAt: '2026-11-24T02:30:00Z',
      urgent: false,
      attempts: 0,
      failedAttempts: 0,
      kind: 'treatment',
      origin: { protocolVersion: 1, ruleId: 'general', stepId: 'day_1' },
      scheduledDueAt: '2026-11-24T02:30:00Z',
    });
  });

  it('tracks attempts, failures, the last outcome and closing on a follow-up', () => {
    const state = fold([
      ...TREATED,
      { type: 'CallAttempted', data: { callId: 'p1.call6', patientId: PATIENT_ID, clinicId: CLINIC_ID, callerId: 'n', followUpId: 'p1.fu1', startedAt: '2026-11-24T02:35:00Z', outcome: 'busy' } },
      { type: 'FollowUpRescheduled', data: { followUpId: 'p1.fu1', patientId: PATIENT_ID, clinicId: CLINIC_ID, dueAt: '2026-11-24T08:00:00Z', reason: 'retry', attempts: 1, callId: 'p1.call6' } },
      { type: 'CallAttempted', data: { callId: 'p1.call7', patientId: PATIENT_ID, clinicId: CLINIC_ID, callerId: 'n', followUpId: 'p1.fu1', startedAt: '2026-11-24T08:01:00Z', outcome: 'call_back_later', callBackAt: '2026-11-24T12:00:00Z' } },
      { type: 'FollowUpRescheduled', data: { followUpId: 'p1.fu1', patientId: PATIENT_ID, clinicId: CLINIC_ID, dueAt: '2026-11-24T12:00:00Z', reason: 'call_back_later', attempts: 2, callId: 'p1.call7' } },
    ]);
    expect(state.followUps.get('p1.fu1')).toMatchObject({ status: 'open', dueAt: '2026-11-24T12:00:00Z', attempts: 2, failedAttempts: 1, lastOutcome: 'call_back_later' });
    expect([...state.calls.keys()]).toEqual(['p1.call6', 'p1.call7']);
    expect(state.lastSeq).toBe(7);

    const closed = evolvePatient(state, { type: 'FollowUpClosed', data: { followUpId: 'p1.fu1', patientId: PATIENT_ID, clinicId: CLINIC_ID, reason: 'completed', attempts: 3, callId: 'p1.call8' } });
    expect(closed.followUps.get('p1.fu1')).toMatchObject({ status: 'closed', attempts: 3 });
  });

  it('keeps the first clinic the patient was seen at', () => {
    const state = fold([
      ...TREATED,
      { type: 'ReferralRequested', data: { referralId: 'p1.ref6', patientId: PATIENT_ID, clinicId: 'c-other', callerId: 'n' } },
    ]);
    expect(state.clinicId).toBe(CLINIC_ID);
    expect([...state.referralIds]).toEqual(['p1.ref6']);
  });

  it('takes lastSeq as the highest n seen, whatever the kind', () => {
    const state = fold([
      { type: 'AppointmentBooked', data: { appointmentId: 'p1.apt12', patientId: PATIENT_ID, clinicId: CLINIC_ID, scheduledFor: '2026-12-01T02:00:00Z' } },
      { type: 'ObjectionRaised', data: { objectionId: 'p1.obj3', patientId: PATIENT_ID, clinicId: CLINIC_ID, callerId: 'n', kind: 'trivial', topic: 'time', method: 'defer', resolved: false } },
    ]);
    expect(state.lastSeq).toBe(12);
    expect([...state.appointments.keys()]).toEqual(['p1.apt12']);
  });
});

describe('patientIdOf', () => {
  it('reads the patient from a server-made id', () => {
    expect(patientIdOf('p1.ref6')).toBe('p1');
    expect(patientIdOf('ref6')).toBeUndefined();
    expect(patientIdOf('.ref6')).toBeUndefined();
  });
});
