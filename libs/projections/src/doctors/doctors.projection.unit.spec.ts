import { projectionSpec } from '../../test/projection-spec';
import { doctorsProjection } from './doctors.projection';

const spec = projectionSpec(doctorsProjection);
const origin = { protocolVersion: 1, ruleId: 'general', stepId: 'day_1' };
const treated = (treatmentId: string, doctorId: string, completedAt: string) => ({ type: 'TreatmentCompleted', data: { treatmentId, patientId: 'p', clinicId: 'c', doctorId, procedure: 'other', completedAt } }) as const;
const call = (callId: string, followUpId: string | undefined, startedAt: string, extra: object = {}) =>
  ({ type: 'CallAttempted', data: { callId, patientId: 'p', clinicId: 'c', callerId: 'li', ...(followUpId ? { followUpId } : {}), startedAt, outcome: 'reached', ...extra } }) as const;

describe('doctors projection', () => {
  it('a call is about its follow-up’s treatment, or else the patient’s latest', () =>
    spec
      .given(
        treated('t1', 'dr-li', '2026-11-01T02:00:00Z'),
        treated('t2', 'dr-wang', '2026-11-20T02:00:00Z'),
        { type: 'FollowUpScheduled', data: { followUpId: 'f1', patientId: 'p', clinicId: 'c', treatmentId: 't1', purpose: 'x', dueAt: '2026-11-24T02:30:00Z', urgent: false, origin } },
        call('k1', 'f1', '2026-11-24T02:35:00Z', { satisfaction: 4 }),
        call('k2', undefined, '2026-11-24T03:00:00Z'),
      )
      .then({
        report_doctor_calls: [
          { call_id: 'k1', treatment_id: 't1', satisfaction: 4, callback: 0 },
          { call_id: 'k2', treatment_id: 't2', satisfaction: null, callback: 0 },
        ],
        report_doctor_patients: [{ patient_id: 'p', treatment_id: 't2' }],
      }));

  it('a complaint’s callback is done at the doctor’s first reached call on it, as corrected', () =>
    spec
      .given(
        treated('t1', 'dr-li', '2026-11-01T02:00:00Z'),
        call('k1', undefined, '2026-11-24T02:35:00Z', { complaint: true, satisfaction: 1 }),
        {
          type: 'FollowUpScheduled',
          data: { followUpId: 'cb', patientId: 'p', clinicId: 'c', kind: 'doctor_callback', assignee: { role: 'doctor', doctorId: 'dr-li' }, treatmentId: 't1', callId: 'k1', purpose: 'x', dueAt: '2026-11-24T02:35:00Z', urgent: true, origin },
          recordedAt: '2026-11-24T02:40:00Z',
        },
        call('k2', 'cb', '2026-11-24T03:00:00Z', { callerId: 'dr-li', outcome: 'no_answer' }),
        call('k3', 'cb', '2026-11-24T04:00:00Z', { callerId: 'dr-li' }),
        {
          type: 'CallRecordCorrected',
          data: { correctionId: 'x', patientId: 'p', clinicId: 'c', correctsEventId: 'event-4', reason: 'she did answer', corrected: { outcome: 'reached' }, previous: { outcome: 'no_answer' }, callId: 'k2', callerId: 'dr-li', followUpId: 'cb' },
        },
      )
      .then({
        report_doctor_callbacks: [{ follow_up_id: 'cb', doctor_id: 'dr-li', treatment_id: 't1', scheduled_ms: Date.parse('2026-11-24T02:40:00Z'), done_ms: Date.parse('2026-11-24T03:00:00Z') }],
        report_doctor_calls: [{ call_id: 'k1', callback: 0, complaint: 1 }, { call_id: 'k2', callback: 1, outcome: 'reached' }, { call_id: 'k3', callback: 1 }],
      }));

  it('a corrected attending doctor is who the calls count for', () =>
    spec
      .given(treated('t1', 'dr-li', '2026-11-01T02:00:00Z'), {
        type: 'TreatmentRecordCorrected',
        data: { correctionId: 'x', patientId: 'p', clinicId: 'c', correctsEventId: 'event-1', reason: 'wrong doctor', corrected: { doctorId: 'dr-chen' }, previous: { doctorId: 'dr-li' }, treatmentId: 't1' },
      })
      .then({ report_doctor_treatments: [{ treatment_id: 't1', doctor_id: 'dr-chen' }] }));

  it('stops at a call whose start cannot be read', () => spec.given(call('k1', undefined, 'noon')).thenFailsAt(1, /startedAt is not an instant/));
});
