/**
 * RaiseObjection and RequestReferral: facts recorded about a known patient, with server-made ids
 * counting on from the stream's last id (TREATED leaves lastSeq at 5).
 */
import { CLINIC_ID, PATIENT_ID, spec, TREATED } from '../../test/patient-fixtures';
import type { CallAttempted, ObjectionRaised, PatientEvent, ReferralRequested } from '../events';
import type { RaiseObjection, RequestReferral } from './patient.commands';

const call: CallAttempted = {
  type: 'CallAttempted',
  data: { callId: `${PATIENT_ID}.call6`, patientId: PATIENT_ID, clinicId: CLINIC_ID, callerId: 'nurse1', startedAt: '2026-11-23T06:50:00Z', outcome: 'reached' },
};
const CALLED: PatientEvent[] = [...TREATED, call];

const objection = (data: Partial<RaiseObjection['data']> = {}): RaiseObjection => ({
  type: 'RaiseObjection',
  data: { patientId: PATIENT_ID, callerId: 'nurse1', kind: 'sincere', topic: 'cost', method: 'inform', resolved: true, ...data },
});
const raised = (seq: number, data: Partial<ObjectionRaised['data']> = {}): ObjectionRaised => ({
  type: 'ObjectionRaised',
  data: { patientId: PATIENT_ID, callerId: 'nurse1', kind: 'sincere', topic: 'cost', method: 'inform', resolved: true, objectionId: `${PATIENT_ID}.obj${seq}`, clinicId: CLINIC_ID, ...data },
});

const referral = (data: Partial<RequestReferral['data']> = {}): RequestReferral => ({
  type: 'RequestReferral',
  data: { patientId: PATIENT_ID, callerId: 'nurse1', ...data },
});
const requested = (seq: number, data: Partial<ReferralRequested['data']> = {}): ReferralRequested => ({
  type: 'ReferralRequested',
  data: { patientId: PATIENT_ID, callerId: 'nurse1', referralId: `${PATIENT_ID}.ref${seq}`, clinicId: CLINIC_ID, ...data },
});

describe('RaiseObjection', () => {
  it('records the objection with a server-made id and the patient’s clinic', () => {
    spec(TREATED).when(objection()).then([raised(6)]);
  });

  it('records the call it was raised on, with every detail', () => {
    const details = { callId: `${PATIENT_ID}.call6`, kind: 'half_informed' as const, topic: 'fear', method: 'let_patient_answer' as const, resolved: false, answerable: true, note: 'heard implants hurt' };
    spec(CALLED).when(objection(details)).then([raised(7, details)]);
  });

  it('refuses a patient with no record', () => {
    spec([]).when(objection()).thenRefuses('unknown_patient', 'not_found');
  });

  it('refuses a call the patient does not have', () => {
    const refusal = spec(CALLED).when(objection({ callId: 'p2.call6' })).thenRefuses('unknown_call');
    expect(refusal.message).toContain('p2.call6');
  });

  it('refuses a follow-up id given as the call', () => {
    spec(CALLED).when(objection({ callId: `${PATIENT_ID}.fu1` })).thenRefuses('unknown_call');
  });
});

describe('RequestReferral', () => {
  it('records the request with a server-made id and the patient’s clinic', () => {
    spec(TREATED).when(referral()).then([requested(6)]);
  });

  it('records who was referred, when known', () => {
    const details = { referred: { name: 'Wang Fang', phone: '+86 139 0000 0000', relation: 'sister' }, note: 'asked after a good check-up' };
    spec(CALLED).when(referral(details)).then([requested(7, details)]);
  });

  it('counts on after an objection: obj6 then ref7', () => {
    spec([...TREATED, raised(6)]).when(referral()).then([requested(7)]);
  });

  it('refuses a patient with no record', () => {
    spec([]).when(referral()).thenRefuses('unknown_patient', 'not_found');
  });
});
