/**
 * CorrectRecord and ErasePersonalData: a correction is a new fact pointing at the one it corrects
 * (nothing is edited); an erasure is recorded once. TREATED leaves lastSeq at 5, so the call below
 * is p1.call6 and the first correction p1.cor7.
 */
import { CLINIC_ID, PATIENT_ID, spec, TREATED, treatment } from '../../test/patient-fixtures';
import type { CallAttempted, CallRecordCorrected, PatientEvent } from '../events';
import { currentRecord } from './correct-record';
import type { CorrectRecord } from './patient.commands';
import { evolvePatient, initialPatientState } from './patient.state';

const callData: CallAttempted['data'] = {
  callId: `${PATIENT_ID}.call6`,
  patientId: PATIENT_ID,
  clinicId: CLINIC_ID,
  callerId: 'nurse1',
  followUpId: `${PATIENT_ID}.fu1`,
  startedAt: '2026-11-23T06:50:00Z',
  outcome: 'no_answer',
};
const CALLED: PatientEvent[] = [...TREATED, { type: 'CallAttempted', data: callData }];
const target = { eventId: 'e-call6', type: 'CallAttempted', data: callData as unknown as Record<string, unknown> };

const correct = (changes: Record<string, unknown>, over: Partial<CorrectRecord['data']> = {}): CorrectRecord => ({
  type: 'CorrectRecord',
  data: { patientId: PATIENT_ID, eventId: 'e-call6', reason: 'typed the wrong outcome', changes, target, ...over },
});

describe('CorrectRecord', () => {
  it('records what changed, what it was, and which event it corrects', () => {
    const expected: CallRecordCorrected = {
      type: 'CallRecordCorrected',
      data: {
        correctionId: `${PATIENT_ID}.cor7`,
        patientId: PATIENT_ID,
        clinicId: CLINIC_ID,
        correctsEventId: 'e-call6',
        reason: 'typed the wrong outcome',
        corrected: { outcome: 'reached', satisfaction: 4 },
        previous: { outcome: 'no_answer' },
        callId: `${PATIENT_ID}.call6`,
        callerId: 'nurse1',
        followUpId: `${PATIENT_ID}.fu1`,
      },
    };
    spec(CALLED).when(correct({ outcome: 'reached', satisfaction: 4 })).then([expected]);
  });

  it('leaves the follow-ups as the call left them', () => {
    const [event] = spec(CALLED).when(correct({ outcome: 'reached' })).then([expect.objectContaining({ type: 'CallRecordCorrected' }) as never]);
    const before = CALLED.reduce(evolvePatient, initialPatientState());
    const after = evolvePatient(before, event!);
    expect(after.followUps).toEqual(before.followUps);
    expect(after.lastSeq).toBe(7);
  });

  it('refuses a field that is not correctable on that fact', () => {
    const refusal = spec(CALLED).when(correct({ callerId: 'nurse2' })).thenRefuses('field_not_correctable');
    expect(refusal.message).toContain('callerId');
  });

  it('refuses a correction that changes nothing', () => {
    spec(CALLED).when(correct({ outcome: 'no_answer' })).thenRefuses('nothing_to_correct');
  });

  it('refuses a corrected call time in the future (NOW is 07:00Z)', () => {
    spec(CALLED).when(correct({ startedAt: '2026-11-23T08:00:00Z' })).thenRefuses('claimed_time_in_future');
  });

  it('refuses an event the stream does not have, and a correction of a correction', () => {
    spec(CALLED).when(correct({ outcome: 'reached' }, { target: undefined })).thenRefuses('unknown_event', 'not_found');
    const correction = { eventId: 'e-cor', type: 'CallRecordCorrected', data: {} };
    spec(CALLED).when(correct({ outcome: 'reached' }, { target: correction })).thenRefuses('not_correctable');
  });

  it('refuses a patient with no record', () => {
    spec([]).when(correct({ outcome: 'reached' })).thenRefuses('unknown_patient', 'not_found');
  });

  it('corrects a treatment’s procedure with its own event type', () => {
    const treatmentTarget = { eventId: 'e-t1', type: 'TreatmentCompleted', data: treatment as unknown as Record<string, unknown> };
    spec(TREATED)
      .when(correct({ procedure: 'scaling' }, { eventId: 'e-t1', target: treatmentTarget }))
      .then([
        {
          type: 'TreatmentRecordCorrected',
          data: {
            correctionId: `${PATIENT_ID}.cor6`,
            patientId: PATIENT_ID,
            clinicId: CLINIC_ID,
            correctsEventId: 'e-t1',
            reason: 'typed the wrong outcome',
            corrected: { procedure: 'scaling' },
            previous: { procedure: 'filling' },
            treatmentId: 't1',
          },
        },
      ]);
  });
});

describe('currentRecord', () => {
  it('applies every correction of the event, in order, and no other', () => {
    const events = [
      { eventId: 'e-call6', type: 'CallAttempted', data: { ...callData } as Record<string, unknown> },
      { eventId: 'x1', type: 'CallRecordCorrected', data: { correctsEventId: 'e-call6', corrected: { outcome: 'reached', notes: 'a' } } },
      { eventId: 'x2', type: 'CallRecordCorrected', data: { correctsEventId: 'other', corrected: { outcome: 'busy' } } },
      { eventId: 'x3', type: 'CallRecordCorrected', data: { correctsEventId: 'e-call6', corrected: { notes: 'b' } } },
    ];
    expect(currentRecord(events, 'e-call6')!.data).toEqual({ ...callData, outcome: 'reached', notes: 'b' });
    expect(currentRecord(events, 'nope')).toBeUndefined();
  });
});

describe('ErasePersonalData', () => {
  const erase = { type: 'ErasePersonalData' as const, data: { patientId: PATIENT_ID, reason: 'patient asked' } };
  const named: PatientEvent[] = [{ type: 'TreatmentCompleted', data: { ...treatment, patient: { name: '王伟', phone: '138' } } }, ...TREATED.slice(1)];

  it('records the erasure, and the folded state keeps no name or phone', () => {
    const [erased] = spec(named).when(erase).then([{ type: 'PersonalDataErased', data: { patientId: PATIENT_ID, clinicId: CLINIC_ID, reason: 'patient asked' } }]);
    const state = [...named, erased!].reduce(evolvePatient, initialPatientState());
    expect(state.erased).toBe(true);
    expect(state.treatments.get('t1')).toEqual(treatment);
  });

  it('records nothing the second time', () => {
    spec([...named, { type: 'PersonalDataErased', data: { patientId: PATIENT_ID, clinicId: CLINIC_ID, reason: 'x' } }]).when(erase).thenNothing();
  });

  it('refuses a patient with no record', () => {
    spec([]).when(erase).thenRefuses('unknown_patient', 'not_found');
  });
});
