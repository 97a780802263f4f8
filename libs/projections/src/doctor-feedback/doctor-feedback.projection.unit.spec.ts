import { projectionSpec } from '../../test/projection-spec';
import { doctorFeedbackProjection } from './doctor-feedback.projection';

const spec = projectionSpec(doctorFeedbackProjection);
const origin = { protocolVersion: 1, ruleId: 'general', stepId: 'day_1' };
const treated = (treatmentId: string, doctorId: string, completedAt: string) => ({ type: 'TreatmentCompleted', data: { treatmentId, patientId: 'p', clinicId: 'c', doctorId, procedure: 'other', completedAt } }) as const;
const scheduled = (followUpId: string, extra: object = {}) =>
  ({ type: 'FollowUpScheduled', data: { followUpId, patientId: 'p', clinicId: 'c', purpose: 'x', dueAt: '2026-11-24T02:30:00Z', urgent: false, origin, ...extra } }) as const;
const call = (callId: string, followUpId: string | undefined, startedAt: string, extra: object = {}) =>
  ({ type: 'CallAttempted', data: { callId, patientId: 'p', clinicId: 'c', callerId: 'nurse-zhang', ...(followUpId ? { followUpId } : {}), startedAt, outcome: 'reached', ...extra } }) as const;
const corrected = (callId: string, corrected: object, previous: object) =>
  ({ type: 'CallRecordCorrected', data: { correctionId: `x-${callId}`, patientId: 'p', clinicId: 'c', correctsEventId: 'event-9', reason: 'misheard', corrected, previous, callId, callerId: 'nurse-zhang' } }) as const;

describe('doctor-feedback projection', () => {
  it('a reached call qualifies with symptoms, satisfaction 1 or 2, or a complaint; not with satisfaction 3+ alone, nor unreached', () =>
    spec
      .given(
        treated('t1', 'dr-li', '2026-11-01T02:00:00Z'),
        call('k1', undefined, '2026-11-24T02:35:00Z', { symptoms: 'swelling', satisfaction: 4 }),
        call('k2', undefined, '2026-11-24T02:36:00Z', { satisfaction: 2 }),
        call('k3', undefined, '2026-11-24T02:37:00Z', { complaint: true, satisfaction: 3, notes: 'upset about the wait' }),
        call('k4', undefined, '2026-11-24T02:38:00Z', { satisfaction: 5 }),
        call('k5', undefined, '2026-11-24T02:39:00Z', { outcome: 'declined', symptoms: 'pain', satisfaction: 1 }),
        call('k6', undefined, '2026-11-24T02:40:00Z', { symptoms: '   ', satisfaction: 3 }),
      )
      .then({
        doctor_feedback_calls: [
          { call_id: 'k1', treatment_id: 't1', caller_id: 'nurse-zhang', started_ms: Date.parse('2026-11-24T02:35:00Z'), symptoms: 'swelling', satisfaction: 4, complaint: 0, qualifies: 1 },
          { call_id: 'k2', satisfaction: 2, symptoms: null, qualifies: 1 },
          { call_id: 'k3', complaint: 1, qualifies: 1 },
          { call_id: 'k4', qualifies: 0 },
          { call_id: 'k5', outcome: 'declined', qualifies: 0 },
          { call_id: 'k6', symptoms: null, qualifies: 0 },
        ],
      }));

  it('keeps no notes, names or phones: only ids, times and what the patient said of their condition', async () => {
    const columns = Object.keys(doctorFeedbackProjection.schema.find((t) => t.name === 'doctor_feedback_calls')!.columns);
    expect(columns.filter((c) => /note|name|phone/.test(c))).toEqual([]);
  });

  it('a call is about its follow-up’s treatment, or else the patient’s latest', () =>
    spec
      .given(
        treated('t1', 'dr-li', '2026-11-01T02:00:00Z'),
        treated('t2', 'dr-wang', '2026-11-20T02:00:00Z'),
        // An older treatment recorded late does not become the latest.
        treated('t0', 'dr-chen', '2026-10-01T02:00:00Z'),
        scheduled('f1', { treatmentId: 't1' }),
        call('k1', 'f1', '2026-11-24T02:35:00Z', { symptoms: 'swelling' }),
        call('k2', undefined, '2026-11-24T03:00:00Z', { satisfaction: 1 }),
      )
      .then({
        doctor_feedback_calls: [
          { call_id: 'k1', treatment_id: 't1', follow_up_id: 'f1', qualifies: 1 },
          { call_id: 'k2', treatment_id: 't2', follow_up_id: null, qualifies: 1 },
        ],
        doctor_feedback_patients: [{ patient_id: 'p', treatment_id: 't2' }],
        doctor_feedback_treatments: [
          { treatment_id: 't0', doctor_id: 'dr-chen' },
          { treatment_id: 't1', doctor_id: 'dr-li' },
          { treatment_id: 't2', doctor_id: 'dr-wang' },
        ],
      }));

  it('points the call at the callback it put in the doctor’s queue; the doctor’s own calls on that task are not feedback', () =>
    spec
      .given(
        treated('t1', 'dr-li', '2026-11-01T02:00:00Z'),
        call('k1', undefined, '2026-11-24T02:35:00Z', { satisfaction: 2 }),
        scheduled('cb', { kind: 'doctor_callback', assignee: { role: 'doctor', doctorId: 'dr-li' }, treatmentId: 't1', callId: 'k1', urgent: true }),
        call('k2', 'cb', '2026-11-24T04:00:00Z', { callerId: 'dr-li', symptoms: 'still sore', satisfaction: 1 }),
      )
      .then({
        doctor_feedback_follow_ups: [{ follow_up_id: 'cb', treatment_id: 't1', callback: 1 }],
        doctor_feedback_calls: [{ call_id: 'k1', callback_follow_up_id: 'cb', qualifies: 1 }],
      }));

  it('corrections count: a call comes to qualify or stops, and a corrected attending doctor is who hears of it', () =>
    spec
      .given(
        treated('t1', 'dr-li', '2026-11-01T02:00:00Z'),
        call('k1', undefined, '2026-11-24T02:35:00Z', { outcome: 'no_answer', symptoms: 'pain' }),
        call('k2', undefined, '2026-11-24T02:40:00Z', { satisfaction: 1 }),
        call('k3', undefined, '2026-11-24T02:45:00Z', { symptoms: 'swelling', satisfaction: 5 }),
        call('k4', undefined, '2026-11-24T02:50:00Z', { satisfaction: 5 }),
        corrected('k1', { outcome: 'reached', startedAt: '2026-11-24T10:36:00+08:00' }, { outcome: 'no_answer', startedAt: '2026-11-24T02:35:00Z' }),
        corrected('k2', { satisfaction: 4 }, { satisfaction: 1 }),
        corrected('k3', { symptoms: '' }, { symptoms: 'swelling' }),
        corrected('k4', { satisfaction: 2, symptoms: 'bleeding' }, { satisfaction: 5 }),
        {
          type: 'TreatmentRecordCorrected',
          data: { correctionId: 'x', patientId: 'p', clinicId: 'c', correctsEventId: 'event-1', reason: 'wrong doctor', corrected: { doctorId: 'dr-chen' }, previous: { doctorId: 'dr-li' }, treatmentId: 't1' },
        },
      )
      .then({
        doctor_feedback_calls: [
          { call_id: 'k1', outcome: 'reached', started_ms: Date.parse('2026-11-24T02:36:00Z'), qualifies: 1 },
          { call_id: 'k2', satisfaction: 4, qualifies: 0 },
          { call_id: 'k3', symptoms: null, qualifies: 0 },
          { call_id: 'k4', satisfaction: 2, symptoms: 'bleeding', qualifies: 1 },
        ],
        doctor_feedback_treatments: [{ treatment_id: 't1', doctor_id: 'dr-chen' }],
      }));

  it('a correction of a call it never kept (the doctor’s own callback) changes nothing', () =>
    spec
      .given(
        treated('t1', 'dr-li', '2026-11-01T02:00:00Z'),
        scheduled('cb', { kind: 'doctor_callback', assignee: { role: 'doctor', doctorId: 'dr-li' }, treatmentId: 't1', urgent: true }),
        call('k1', 'cb', '2026-11-24T04:00:00Z', { callerId: 'dr-li', outcome: 'no_answer' }),
        corrected('k1', { outcome: 'reached', symptoms: 'pain' }, { outcome: 'no_answer' }),
      )
      .then({ doctor_feedback_calls: [] }));

  it('stops at a call whose start cannot be read', () => spec.given(call('k1', undefined, 'noon')).thenFailsAt(1, /startedAt is not an instant/));

  it('stops at a correction whose start cannot be read', () =>
    spec.given(call('k1', undefined, '2026-11-24T02:35:00Z'), corrected('k1', { startedAt: 'teatime' }, {})).thenFailsAt(2, /corrected\.startedAt is not an instant/));
});
