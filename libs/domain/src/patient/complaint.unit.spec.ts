/**
 * A complaint or discomfort on a call (seed 000: 对其不适…反馈给医生,由医生致电了解情况) puts a
 * callback in the attending doctor's queue: urgent, due from the call. The patient of TREATED had
 * treatment t1 from doctor d1; p1.fu1 is due 2026-11-24 10:30 Shanghai.
 */
import { attempted, callCommand, closed, fu, inquiry, PURPOSE, treated } from '../../test/engine-fixtures';
import { at, PATIENT_ID, spec, TREATED } from '../../test/patient-fixtures';
import type { PatientEvent } from '../events';

const P = PATIENT_ID;
const CALL = '2026-11-24T02:35:00Z';
const NOW = at('2026-11-24T03:00:00Z');
const callback = (n: number, callN: number, purpose: string, extra = {}) =>
  fu(P, n, 'complaint_callback', 'doctor_calls_back', CALL, purpose, {
    kind: 'doctor_callback',
    urgent: true,
    assignee: { role: 'doctor', doctorId: 'd1' },
    callId: `${P}.call${callN}`,
    treatmentId: 't1',
    ...extra,
  });

describe('a complaint or discomfort reported on a call', () => {
  it('complaint: the call, its follow-up closed, and an urgent callback for the attending doctor naming the symptoms', () => {
    spec(TREATED)
      .when(callCommand(P, 'reached', CALL, { followUpId: `${P}.fu1`, complaint: true, symptoms: 'swelling' }), NOW)
      .then([
        attempted(P, 6, 'reached', CALL, { followUpId: `${P}.fu1`, complaint: true, symptoms: 'swelling' }),
        closed(`${P}.fu1`, 'completed', 1, { callId: `${P}.call6` }),
        callback(7, 6, `${PURPOSE.complaint} (reported: swelling)`),
      ]);
  });

  it('symptoms with satisfaction 1 or 2 count as discomfort without the flag', () => {
    for (const satisfaction of [1, 2]) {
      spec(TREATED)
        .when(callCommand(P, 'reached', CALL, { symptoms: 'pain when chewing', satisfaction }), NOW)
        .then([attempted(P, 6, 'reached', CALL, { symptoms: 'pain when chewing', satisfaction }), callback(7, 6, `${PURPOSE.complaint} (reported: pain when chewing)`)]);
    }
  });

  it('satisfaction 1 or 2 alone, on a reached call, sends it to the attending doctor too (issue 15: 及时反馈给主诊医生)', () => {
    for (const satisfaction of [1, 2]) {
      spec(TREATED)
        .when(callCommand(P, 'reached', CALL, { followUpId: `${P}.fu1`, satisfaction }), NOW)
        .then([
          attempted(P, 6, 'reached', CALL, { followUpId: `${P}.fu1`, satisfaction }),
          closed(`${P}.fu1`, 'completed', 1, { callId: `${P}.call6` }),
          callback(7, 6, PURPOSE.complaint),
        ]);
    }
  });

  it('no callback for satisfaction 3 or more, with symptoms or without, nor for low satisfaction alone on a call that was not reached', () => {
    spec(TREATED).when(callCommand(P, 'reached', CALL, { symptoms: 'slight sensitivity', satisfaction: 3 }), NOW).then([attempted(P, 6, 'reached', CALL, { symptoms: 'slight sensitivity', satisfaction: 3 })]);
    spec(TREATED).when(callCommand(P, 'reached', CALL, { satisfaction: 5 }), NOW).then([attempted(P, 6, 'reached', CALL, { satisfaction: 5 })]);
    spec(TREATED).when(callCommand(P, 'declined', CALL, { satisfaction: 1 }), NOW).then([attempted(P, 6, 'declined', CALL, { satisfaction: 1 })]);
  });

  it('a prospect’s low satisfaction alone is no complaint: there is no attending doctor, and seed 002’s escalation answers an unhappy prospect', () => {
    const prospect = [inquiry('q1', 1, '2026-11-23T06:00:00Z')];
    spec(prospect).when(callCommand('q1', 'reached', CALL, { satisfaction: 1 }), NOW).then([attempted('q1', 2, 'reached', CALL, { satisfaction: 1 })]);
  });

  it('goes to the doctor of the latest treatment', () => {
    const second: PatientEvent[] = [...TREATED, treated(P, 't2', 'scaling', '2026-11-24T01:00:00Z', 'd2'), fu(P, 6, 'next_day', 'day_1', '2026-11-25T02:30:00Z', 'Next-day check: comfort, bite, sensitivity', { treatmentId: 't2' })];
    spec(second)
      .when(callCommand(P, 'declined', CALL, { complaint: true }), NOW)
      .then([attempted(P, 7, 'declined', CALL, { complaint: true }), callback(8, 7, PURPOSE.complaint, { assignee: { role: 'doctor', doctorId: 'd2' }, treatmentId: 't2' })]);
  });

  it('someone never treated here (a prospect) goes to a senior doctor', () => {
    const prospect = [inquiry('q1', 1, '2026-11-23T06:00:00Z')];
    spec(prospect)
      .when(callCommand('q1', 'reached', CALL, { complaint: true }), NOW)
      .then([
        attempted('q1', 2, 'reached', CALL, { complaint: true }),
        fu('q1', 3, 'complaint_callback', 'doctor_calls_back', CALL, PURPOSE.complaint, { kind: 'doctor_callback', urgent: true, assignee: { role: 'senior_doctor' }, callId: 'q1.call2' }),
      ]);
  });

  it('refuses a complaint on a call that reached nobody', () => {
    for (const outcome of ['no_answer', 'busy', 'powered_off', 'hung_up', 'wrong_number'] as const) {
      spec(TREATED).when(callCommand(P, outcome, CALL, { complaint: true }), NOW).thenRefuses('complaint_without_conversation', 'rule');
    }
  });
});
