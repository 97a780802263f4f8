/**
 * Prospects (seed 002): an inquiry from someone who has not come starts three calls — care and
 * greeting, persuasion, what holds them back — then a senior doctor, then keep-in-touch calls,
 * until a booking or a visit, seven consecutive refusals, or a request not to be called.
 * Shanghai: 10:30 local = 02:30Z, 16:00 local = 08:00Z. Prospect q1 asks on Mon 2026-11-23 14:00 local.
 */
import { attempted, reportedWrong, booked, callCommand, closed, fu, inquiry, preferencesSet, PURPOSE, retried, treated } from '../../test/engine-fixtures';
import { at, clinic, CLINIC_ID, spec, UNCONFIGURED } from '../../test/patient-fixtures';
import type { PatientEvent } from '../events';
import type { Protocol } from '../protocol/protocol';
import { DEFAULT_PROTOCOL } from '../protocol/default-protocol';
import type { ReceiveInquiry } from './patient.commands';

const Q = 'q1';
const RECEIVED = '2026-11-23T06:00:00Z';
const ask = (data: Partial<ReceiveInquiry['data']> = {}): ReceiveInquiry => ({
  type: 'ReceiveInquiry',
  data: { patientId: Q, clinicId: CLINIC_ID, receivedAt: RECEIVED, channel: 'web', concern: 'missing molar', ...data },
});
const INQ = `${Q}.inq1`;
const prospectCall = (n: number, callNumber: number, stepId: string, dueAt: string, purpose: string, extra = {}) =>
  fu(Q, n, 'prospect', stepId, dueAt, purpose, { kind: 'prospect', callNumber, inquiryId: INQ, ...extra });
const escalation = (n: number, dueAt: string, follows: string, doctorId?: string) =>
  fu(Q, n, 'prospect', 'senior_doctor', dueAt, PURPOSE.escalation, { kind: 'escalation', assignee: { role: 'senior_doctor', ...(doctorId ? { doctorId } : {}) }, follows, inquiryId: INQ });

const ASKED: PatientEvent[] = [
  inquiry(Q, 1, RECEIVED, { channel: 'web', concern: 'missing molar' }),
  // Call 1 while the need is strongest (seed 002 §六): half an hour on, 14:30 local, inside work hours; urgent.
  prospectCall(2, 1, 'call_1', '2026-11-23T06:30:00Z', PURPOSE.call1, { urgent: true }),
];
const CALL1 = `${Q}.fu2`;

describe('ReceiveInquiry', () => {
  it('records the inquiry and schedules call 1 (care and greeting) half an hour on, urgent', () => {
    spec([]).when(ask(), at('2026-11-23T07:00:00Z')).then(ASKED);
  });

  it('an inquiry while the clinic is closed is called when it opens: 01:00 local on Tuesday → 09:00; Saturday evening → Monday 09:00', () => {
    spec([])
      .when(ask({ receivedAt: '2026-11-23T17:00:00Z' }), at('2026-11-23T17:10:00Z'))
      .then([inquiry(Q, 1, '2026-11-23T17:00:00Z', { channel: 'web', concern: 'missing molar' }), prospectCall(2, 1, 'call_1', '2026-11-24T01:00:00Z', PURPOSE.call1, { urgent: true })]);
    spec([])
      .when(ask({ receivedAt: '2026-11-28T12:00:00Z' }), at('2026-11-28T12:10:00Z'))
      .then([inquiry(Q, 1, '2026-11-28T12:00:00Z', { channel: 'web', concern: 'missing molar' }), prospectCall(2, 1, 'call_1', '2026-11-30T01:00:00Z', PURPOSE.call1, { urgent: true })]);
  });

  it('at the time the person said suits them (要了解患者方便接听电话的时间); never before the inquiry', () => {
    spec([])
      .when(ask({ convenientAt: '2026-11-23T12:00:00Z' }), at('2026-11-23T07:00:00Z'))
      .then([
        inquiry(Q, 1, RECEIVED, { channel: 'web', concern: 'missing molar', convenientAt: '2026-11-23T12:00:00Z' }),
        prospectCall(2, 1, 'call_1', '2026-11-23T12:00:00Z', PURPOSE.call1, { urgent: true }),
      ]);
    spec([]).when(ask({ convenientAt: '2026-11-23T05:00:00Z' }), at('2026-11-23T07:00:00Z')).thenRefuses('convenient_time_past');
  });

  it('within the clinic’s minutes for the channel; an inquiry that names none follows the protocol’s call 1', () => {
    const quick = clinic({ inquiryFirstCallMinutes: { phone: 5, web: 30, wechat: 10 }, workHours: { days: [1, 2, 3, 4, 5, 6], from: '08:00', to: '20:00' } });
    spec([])
      .when(ask({ channel: 'wechat' }), at('2026-11-23T07:00:00Z', quick))
      .then([inquiry(Q, 1, RECEIVED, { channel: 'wechat', concern: 'missing molar' }), prospectCall(2, 1, 'call_1', '2026-11-23T06:10:00Z', PURPOSE.call1, { urgent: true })]);
    spec([])
      .when(ask({ channel: undefined }), at('2026-11-23T07:00:00Z'))
      .then([inquiry(Q, 1, RECEIVED, { concern: 'missing molar' }), prospectCall(2, 1, 'call_1', '2026-11-24T02:30:00Z', PURPOSE.call1)]);
  });

  it('records nothing for the same inquiry sent again', () => {
    spec(ASKED).when(ask({ receivedAt: '2026-11-23T14:00:00+08:00' }), at('2026-11-23T08:00:00Z')).thenNothing();
  });

  it('another inquiry while the sequence runs is recorded, without a second call 1', () => {
    spec(ASKED)
      .when(ask({ receivedAt: '2026-11-23T09:00:00Z', concern: 'also whitening' }), at('2026-11-23T09:10:00Z'))
      .then([inquiry(Q, 3, '2026-11-23T09:00:00Z', { channel: 'web', concern: 'also whitening' })]);
  });

  it('starts no sequence for someone already treated here', () => {
    const history = [treated(Q, 't1', 'scaling', '2026-11-20T06:00:00Z'), fu(Q, 1, 'next_day', 'day_1', '2026-11-21T02:30:00Z', 'Next-day check: comfort, bite, sensitivity', { treatmentId: 't1' })];
    spec(history).when(ask(), at('2026-11-23T07:00:00Z')).then([inquiry(Q, 2, RECEIVED, { channel: 'web', concern: 'missing molar' })]);
  });

  it('starts no sequence for someone with a visit booked ahead', () => {
    spec([booked(Q, 1, '2026-11-30T02:00:00Z')]).when(ask(), at('2026-11-23T07:00:00Z')).then([inquiry(Q, 2, RECEIVED, { channel: 'web', concern: 'missing molar' })]);
  });

  it('starts no sequence for someone who asked not to be called (do-not-call)', () => {
    const history = [inquiry(Q, 1, '2026-11-20T06:00:00Z'), preferencesSet(Q, { doNotCall: true })];
    spec(history).when(ask(), at('2026-11-23T07:00:00Z')).then([inquiry(Q, 2, RECEIVED, { channel: 'web', concern: 'missing molar' })]);
  });

  it('refuses an unconfigured clinic, a receivedAt in the future, a patient of another clinic', () => {
    spec([]).when(ask(), at('2026-11-23T07:00:00Z', UNCONFIGURED)).thenRefuses('clinic_not_configured');
    spec([]).when(ask({ receivedAt: '2026-11-23T07:05:01Z' }), at('2026-11-23T07:00:00Z')).thenRefuses('claimed_time_in_future');
    spec(ASKED).when(ask({ clinicId: 'c2' }), at('2026-11-23T07:00:00Z', clinic({ clinicId: 'c2' }))).thenRefuses('patient_in_other_clinic', 'conflict');
  });
});

describe('the three calls, the escalation and keep-in-touch', () => {
  const C1 = '2026-11-24T02:35:00Z';
  const AFTER_CALL1: PatientEvent[] = [
    ...ASKED,
    attempted(Q, 3, 'reached', C1, { followUpId: CALL1 }),
    closed(CALL1, 'completed', 1, { callId: `${Q}.call3` }),
    prospectCall(4, 2, 'call_2', '2026-11-27T02:30:00Z', PURPOSE.call2, { follows: CALL1 }),
  ];
  const C2 = '2026-11-27T02:35:00Z';
  const AFTER_CALL2: PatientEvent[] = [
    ...AFTER_CALL1,
    attempted(Q, 5, 'declined', C2, { followUpId: `${Q}.fu4` }),
    closed(`${Q}.fu4`, 'declined', 1, { callId: `${Q}.call5` }),
    prospectCall(6, 3, 'call_3', '2026-12-04T02:30:00Z', PURPOSE.call3, { follows: `${Q}.fu4` }),
  ];
  const C3 = '2026-12-04T02:40:00Z';
  // Call 3 does not persuade, and the patient is unhappy with us (seed 002: 且患者对我们有不满情绪).
  const AFTER_CALL3: PatientEvent[] = [
    ...AFTER_CALL2,
    attempted(Q, 7, 'reached', C3, { followUpId: `${Q}.fu6`, dissatisfied: true }),
    closed(`${Q}.fu6`, 'completed', 1, { callId: `${Q}.call7` }),
    escalation(8, '2026-12-04T08:00:00Z', `${Q}.fu6`),
  ];

  it('call 1 reached without a booking → call 2 (persuade) 3 days on, at the first window', () => {
    spec(ASKED).when(callCommand(Q, 'reached', C1, { followUpId: CALL1 }), at('2026-11-24T03:00:00Z')).then(AFTER_CALL1.slice(ASKED.length));
  });

  it('call 2 declined → call 3 (what holds them back) a week on: a “no” is not the end (seed 002)', () => {
    spec(AFTER_CALL1).when(callCommand(Q, 'declined', C2, { followUpId: `${Q}.fu4` }), at('2026-11-27T03:00:00Z')).then(AFTER_CALL2.slice(AFTER_CALL1.length));
  });

  it('call 3 not persuading an unhappy patient → an escalation in a senior doctor’s queue, at the next window', () => {
    spec(AFTER_CALL2).when(callCommand(Q, 'reached', C3, { followUpId: `${Q}.fu6`, dissatisfied: true }), at('2026-12-04T03:00:00Z')).then(AFTER_CALL3.slice(AFTER_CALL2.length));
  });

  it('a satisfaction of 1 or 2 on call 3 says unhappy too; the clinic’s senior doctors take it in turn', () => {
    const seniors = clinic({ seniorDoctorIds: ['dr-zhou', 'dr-qian'] });
    const escalated = (satisfaction: number) =>
      spec(AFTER_CALL2).when(callCommand(Q, 'reached', C3, { followUpId: `${Q}.fu6`, satisfaction }), at('2026-12-04T03:00:00Z', seniors));
    escalated(2).then([
      attempted(Q, 7, 'reached', C3, { followUpId: `${Q}.fu6`, satisfaction: 2 }),
      closed(`${Q}.fu6`, 'completed', 1, { callId: `${Q}.call7` }),
      // The turn: 'q1' (113 × 31 + 49 = 3552, no escalation before) is even: the first of the two.
      escalation(8, '2026-12-04T08:00:00Z', `${Q}.fu6`, 'dr-zhou'),
    ]);
    escalated(3).then([
      attempted(Q, 7, 'reached', C3, { followUpId: `${Q}.fu6`, satisfaction: 3 }),
      closed(`${Q}.fu6`, 'completed', 1, { callId: `${Q}.call7` }),
      prospectCall(8, 4, 'keep_in_touch', '2027-01-03T02:30:00Z', PURPOSE.keepInTouch, { follows: `${Q}.fu6` }),
    ]);
  });

  it('call 3 not persuading a patient who is not unhappy → kept in touch, no senior doctor (seed 002 escalates only the unhappy)', () => {
    spec(AFTER_CALL2)
      .when(callCommand(Q, 'declined', C3, { followUpId: `${Q}.fu6` }), at('2026-12-04T03:00:00Z'))
      .then([
        attempted(Q, 7, 'declined', C3, { followUpId: `${Q}.fu6` }),
        closed(`${Q}.fu6`, 'declined', 1, { callId: `${Q}.call7` }),
        prospectCall(8, 4, 'keep_in_touch', '2027-01-03T02:30:00Z', PURPOSE.keepInTouch, { follows: `${Q}.fu6` }),
      ]);
  });

  it('an unresolved sincere objection raised on call 3 afterwards: the keep-in-touch call gives way to a senior doctor', () => {
    const keptInTouch: PatientEvent[] = [
      ...AFTER_CALL2,
      attempted(Q, 7, 'reached', C3, { followUpId: `${Q}.fu6` }),
      closed(`${Q}.fu6`, 'completed', 1, { callId: `${Q}.call7` }),
      prospectCall(8, 4, 'keep_in_touch', '2027-01-03T02:30:00Z', PURPOSE.keepInTouch, { follows: `${Q}.fu6` }),
    ];
    const objection = (kind: 'sincere' | 'trivial', resolved: boolean) =>
      ({ type: 'RaiseObjection', data: { patientId: Q, callerId: 'nurse1', callId: `${Q}.call7`, kind, topic: 'doubt_result', method: 'inform', resolved } }) as const;
    const raised = (n: number, kind: 'sincere' | 'trivial', resolved: boolean) =>
      ({ type: 'ObjectionRaised', data: { patientId: Q, callerId: 'nurse1', callId: `${Q}.call7`, kind, topic: 'doubt_result', method: 'inform', resolved, objectionId: `${Q}.obj${n}`, clinicId: CLINIC_ID } }) as const;
    spec(keptInTouch)
      .when(objection('sincere', false), at('2026-12-04T03:00:00Z'))
      .then([raised(9, 'sincere', false), closed(`${Q}.fu8`, 'escalated', 0), escalation(10, '2026-12-04T08:00:00Z', `${Q}.fu6`)]);
    // Answered, or small talk: nothing more than the objection.
    spec(keptInTouch).when(objection('sincere', true), at('2026-12-04T03:00:00Z')).then([raised(9, 'sincere', true)]);
    spec(keptInTouch).when(objection('trivial', false), at('2026-12-04T03:00:00Z')).then([raised(9, 'trivial', false)]);
    // Already escalated: one senior doctor's call is enough.
    spec(AFTER_CALL3).when({ ...objection('sincere', false), data: { ...objection('sincere', false).data } }, at('2026-12-04T03:00:00Z')).then([raised(9, 'sincere', false)]);
  });

  it('the escalation closed → keep-in-touch call 4, 30 days on', () => {
    spec(AFTER_CALL3)
      .when(callCommand(Q, 'reached', '2026-12-04T08:05:00Z', { followUpId: `${Q}.fu8`, callerId: 'dr-wang' }), at('2026-12-04T08:30:00Z'))
      .then([
        attempted(Q, 9, 'reached', '2026-12-04T08:05:00Z', { followUpId: `${Q}.fu8`, callerId: 'dr-wang' }),
        closed(`${Q}.fu8`, 'completed', 1, { callId: `${Q}.call9` }),
        prospectCall(10, 4, 'keep_in_touch', '2027-01-03T02:30:00Z', PURPOSE.keepInTouch, { follows: `${Q}.fu8` }),
      ]);
  });

  it('a keep-in-touch call closed → the next one, numbered on', () => {
    const history: PatientEvent[] = [
      ...AFTER_CALL3,
      attempted(Q, 9, 'reached', '2026-12-04T08:05:00Z', { followUpId: `${Q}.fu8` }),
      closed(`${Q}.fu8`, 'completed', 1, { callId: `${Q}.call9` }),
      prospectCall(10, 4, 'keep_in_touch', '2027-01-03T02:30:00Z', PURPOSE.keepInTouch, { follows: `${Q}.fu8` }),
    ];
    spec(history)
      .when(callCommand(Q, 'reached', '2027-01-03T02:40:00Z', { followUpId: `${Q}.fu10` }), at('2027-01-03T03:00:00Z'))
      .then([
        attempted(Q, 11, 'reached', '2027-01-03T02:40:00Z', { followUpId: `${Q}.fu10` }),
        closed(`${Q}.fu10`, 'completed', 1, { callId: `${Q}.call11` }),
        prospectCall(12, 5, 'keep_in_touch', '2027-02-02T02:30:00Z', PURPOSE.keepInTouch, { follows: `${Q}.fu10` }),
      ]);
  });

  it('a failed attempt retries the same call; only its closing moves the sequence on', () => {
    spec(ASKED)
      .when(callCommand(Q, 'no_answer', C1, { followUpId: CALL1 }), at('2026-11-24T03:00:00Z'))
      .then([attempted(Q, 3, 'no_answer', C1, { followUpId: CALL1 }), retried(CALL1, 3, 1, '2026-11-24T08:00:00Z')]);
  });

  it('an absent prospect is not given up: retries spread over days — the next window, the next day, two days later', () => {
    // Mon 24 10:35 no answer → 16:00 that day; 16:05 busy → Wed 25 10:30; Wed 10:35 powered off → Fri 27 10:30.
    const first = [attempted(Q, 3, 'no_answer', C1, { followUpId: CALL1 }), retried(CALL1, 3, 1, '2026-11-24T08:00:00Z')];
    spec(ASKED).when(callCommand(Q, 'no_answer', C1, { followUpId: CALL1 }), at('2026-11-24T03:00:00Z')).then(first);
    const second = [attempted(Q, 4, 'busy', '2026-11-24T08:05:00Z', { followUpId: CALL1 }), retried(CALL1, 4, 2, '2026-11-25T02:30:00Z')];
    spec([...ASKED, ...first]).when(callCommand(Q, 'busy', '2026-11-24T08:05:00Z', { followUpId: CALL1 }), at('2026-11-24T08:10:00Z')).then(second);
    spec([...ASKED, ...first, ...second])
      .when(callCommand(Q, 'powered_off', '2026-11-25T02:35:00Z', { followUpId: CALL1 }), at('2026-11-25T03:00:00Z'))
      .then([attempted(Q, 5, 'powered_off', '2026-11-25T02:35:00Z', { followUpId: CALL1 }), retried(CALL1, 5, 3, '2026-11-27T02:30:00Z')]);
  });

  it('after the clinic’s prospectMaxAttempts the call closes as unreachable and the next call takes over: the sequence goes on', () => {
    spec(ASKED)
      .when(callCommand(Q, 'busy', C1, { followUpId: CALL1 }), at('2026-11-24T03:00:00Z', clinic({ prospectMaxAttempts: 1, maxAttempts: 3 })))
      .then([
        attempted(Q, 3, 'busy', C1, { followUpId: CALL1 }),
        closed(CALL1, 'unreachable', 1, { callId: `${Q}.call3` }),
        prospectCall(4, 2, 'call_2', '2026-11-27T02:30:00Z', PURPOSE.call2, { follows: CALL1 }),
      ]);
  });

  it('a wrong number moves the sequence on no further: the first call waits for the right number', () => {
    spec(ASKED)
      .when(callCommand(Q, 'wrong_number', C1, { followUpId: CALL1 }), at('2026-11-24T03:00:00Z'))
      .then([attempted(Q, 3, 'wrong_number', C1, { followUpId: CALL1 }), reportedWrong(Q, 3)]);
  });

  it('no next persuasion call for a prospect who has since asked not to be called', () => {
    spec([...ASKED, preferencesSet(Q, { doNotCall: true })])
      .when(callCommand(Q, 'reached', C1, { followUpId: CALL1 }), at('2026-11-24T03:00:00Z'))
      .then([attempted(Q, 3, 'reached', C1, { followUpId: CALL1 }), closed(CALL1, 'completed', 1, { callId: `${Q}.call3` })]);
  });

  it('follows the clinic’s own prospect section: two calls, then the escalation, no keep-in-touch', () => {
    const own: Protocol = {
      ...DEFAULT_PROTOCOL,
      version: 2,
      prospect: {
        id: 'short',
        calls: [
          { id: 'hello', timing: { kind: 'next_window', afterHours: 1 }, purpose: 'Hello' },
          { id: 'why_not', timing: { kind: 'day_window', afterDays: 2 }, purpose: 'Why not yet?' },
        ],
        escalation: { id: 'chief', timing: { kind: 'day_window', afterDays: 1 }, purpose: 'The chief calls' },
        stopAfterRefusals: 2,
      },
    };
    const ctx = (now: string) => at(now, clinic({ protocol: own }));
    const v2 = (stepId: string) => ({ origin: { protocolVersion: 2, ruleId: 'short', stepId } });
    // Inquiry 14:00 local + 1 h = 15:00 → the 16:00 window.
    // No channel named: call 1 follows the clinic's own timing.
    const started = spec([]).when(ask({ channel: undefined }), ctx('2026-11-23T07:00:00Z')).then([
      inquiry(Q, 1, RECEIVED, { concern: 'missing molar' }),
      fu(Q, 2, 'short', 'hello', '2026-11-23T08:00:00Z', 'Hello', { kind: 'prospect', callNumber: 1, inquiryId: INQ, ...v2('hello') }),
    ]);
    const afterHello = spec(started).when(callCommand(Q, 'reached', '2026-11-23T08:05:00Z', { followUpId: CALL1 }), ctx('2026-11-23T08:10:00Z')).then([
      attempted(Q, 3, 'reached', '2026-11-23T08:05:00Z', { followUpId: CALL1 }),
      closed(CALL1, 'completed', 1, { callId: `${Q}.call3` }),
      fu(Q, 4, 'short', 'why_not', '2026-11-25T02:30:00Z', 'Why not yet?', { kind: 'prospect', callNumber: 2, inquiryId: INQ, follows: CALL1, ...v2('why_not') }),
    ]);
    const afterWhyNot = spec([...started, ...afterHello]).when(callCommand(Q, 'reached', '2026-11-25T02:35:00Z', { followUpId: `${Q}.fu4`, dissatisfied: true }), ctx('2026-11-25T03:00:00Z')).then([
      attempted(Q, 5, 'reached', '2026-11-25T02:35:00Z', { followUpId: `${Q}.fu4`, dissatisfied: true }),
      closed(`${Q}.fu4`, 'completed', 1, { callId: `${Q}.call5` }),
      fu(Q, 6, 'short', 'chief', '2026-11-26T02:30:00Z', 'The chief calls', { kind: 'escalation', assignee: { role: 'senior_doctor' }, inquiryId: INQ, follows: `${Q}.fu4`, ...v2('chief') }),
    ]);
    spec([...started, ...afterHello, ...afterWhyNot])
      .when(callCommand(Q, 'reached', '2026-11-26T02:35:00Z', { followUpId: `${Q}.fu6` }), ctx('2026-11-26T03:00:00Z'))
      .then([attempted(Q, 7, 'reached', '2026-11-26T02:35:00Z', { followUpId: `${Q}.fu6` }), closed(`${Q}.fu6`, 'completed', 1, { callId: `${Q}.call7` })]);
  });
});

describe('seven consecutive refusals stop persuasion', () => {
  /** Six calls declined, on no follow-up (the caller rang on their own): six refusals in a row. */
  const sixNos = (from: number): PatientEvent[] =>
    Array.from({ length: 6 }, (_, k) => attempted(Q, from + k, 'declined', `2026-11-23T0${8 + (k % 2)}:0${k}:00Z`));
  const REFUSED_SIX: PatientEvent[] = [...ASKED, ...sixNos(3)];
  const NOW = at('2026-11-23T09:30:00Z');

  it('the seventh: ProspectPersuasionStopped, and every open persuasion call closes', () => {
    spec(REFUSED_SIX)
      .when(callCommand(Q, 'declined', '2026-11-23T09:20:00Z'), NOW)
      .then([
        attempted(Q, 9, 'declined', '2026-11-23T09:20:00Z'),
        { type: 'ProspectPersuasionStopped', data: { patientId: Q, clinicId: CLINIC_ID, consecutiveRefusals: 7 } },
        closed(CALL1, 'persuasion_stopped', 0, { callId: `${Q}.call9` }),
      ]);
  });

  it('the seventh on a prospect call: that call closes as declined and no next call follows', () => {
    spec(REFUSED_SIX)
      .when(callCommand(Q, 'declined', '2026-11-23T09:20:00Z', { followUpId: CALL1 }), NOW)
      .then([
        attempted(Q, 9, 'declined', '2026-11-23T09:20:00Z', { followUpId: CALL1 }),
        closed(CALL1, 'declined', 1, { callId: `${Q}.call9` }),
        { type: 'ProspectPersuasionStopped', data: { patientId: Q, clinicId: CLINIC_ID, consecutiveRefusals: 7 } },
      ]);
  });

  it('six are not enough: the sixth refusal on call 1 still schedules call 2', () => {
    spec([...ASKED, ...sixNos(3).slice(0, 5)])
      .when(callCommand(Q, 'declined', '2026-11-24T02:35:00Z', { followUpId: CALL1 }), at('2026-11-24T03:00:00Z'))
      .then([
        attempted(Q, 8, 'declined', '2026-11-24T02:35:00Z', { followUpId: CALL1 }),
        closed(CALL1, 'declined', 1, { callId: `${Q}.call8` }),
        prospectCall(9, 2, 'call_2', '2026-11-27T02:30:00Z', PURPOSE.call2, { follows: CALL1 }),
      ]);
  });

  it('unreached calls neither count nor break the run (nobody spoke)', () => {
    const mixed = [...ASKED, ...sixNos(3).slice(0, 3), attempted(Q, 6, 'no_answer', '2026-11-23T09:00:00Z'), attempted(Q, 7, 'busy', '2026-11-23T09:01:00Z'), ...sixNos(8).slice(0, 3)];
    spec(mixed)
      .when(callCommand(Q, 'declined', '2026-11-23T09:20:00Z'), NOW)
      .then([
        attempted(Q, 11, 'declined', '2026-11-23T09:20:00Z'),
        { type: 'ProspectPersuasionStopped', data: { patientId: Q, clinicId: CLINIC_ID, consecutiveRefusals: 7 } },
        closed(CALL1, 'persuasion_stopped', 0, { callId: `${Q}.call11` }),
      ]);
  });

  it('a contact that is not a refusal starts the count again (seed 002: 连续七次说“不”)', () => {
    // 6 no's, a reached call, one more no: one refusal in a row, not seven.
    const interrupted = [...REFUSED_SIX, attempted(Q, 9, 'reached', '2026-11-23T09:10:00Z')];
    spec(interrupted).when(callCommand(Q, 'declined', '2026-11-23T09:20:00Z'), NOW).then([attempted(Q, 10, 'declined', '2026-11-23T09:20:00Z')]);
    const askedLater = [...REFUSED_SIX, attempted(Q, 9, 'call_back_later', '2026-11-23T09:10:00Z')];
    spec(askedLater).when(callCommand(Q, 'declined', '2026-11-23T09:20:00Z'), NOW).then([attempted(Q, 10, 'declined', '2026-11-23T09:20:00Z')]);
  });

  it('a booking resets the run: a refusal after it does not stop anything', () => {
    const history = [...REFUSED_SIX, booked(Q, 9, '2026-11-30T02:00:00Z'), closed(CALL1, 'booked', 0, { appointmentId: `${Q}.apt9` })];
    spec(history).when(callCommand(Q, 'declined', '2026-11-23T09:20:00Z'), NOW).then([attempted(Q, 10, 'declined', '2026-11-23T09:20:00Z')]);
  });

  it('after stopping, nothing more: a later refusal records the call only', () => {
    const stopped = [
      ...REFUSED_SIX,
      attempted(Q, 9, 'declined', '2026-11-23T09:20:00Z'),
      { type: 'ProspectPersuasionStopped', data: { patientId: Q, clinicId: CLINIC_ID, consecutiveRefusals: 7 } },
      closed(CALL1, 'persuasion_stopped', 0, { callId: `${Q}.call9` }),
    ] as PatientEvent[];
    spec(stopped).when(callCommand(Q, 'declined', '2026-11-23T09:25:00Z'), NOW).then([attempted(Q, 10, 'declined', '2026-11-23T09:25:00Z')]);
  });

  it('a new inquiry after stopping starts a new sequence: the person reached out again', () => {
    const stopped = [
      ...REFUSED_SIX,
      attempted(Q, 9, 'declined', '2026-11-23T09:20:00Z'),
      { type: 'ProspectPersuasionStopped', data: { patientId: Q, clinicId: CLINIC_ID, consecutiveRefusals: 7 } },
      closed(CALL1, 'persuasion_stopped', 0, { callId: `${Q}.call9` }),
    ] as PatientEvent[];
    spec(stopped)
      .when(ask({ receivedAt: '2026-12-10T06:00:00Z', concern: 'now ready' }), at('2026-12-10T06:10:00Z'))
      .then([
        inquiry(Q, 10, '2026-12-10T06:00:00Z', { channel: 'web', concern: 'now ready' }),
        fu(Q, 11, 'prospect', 'call_1', '2026-12-10T06:30:00Z', PURPOSE.call1, { kind: 'prospect', callNumber: 1, inquiryId: `${Q}.inq10`, urgent: true }),
      ]);
  });
});

describe('a booking or a visit ends the persuasion', () => {
  it('a booking closes the open prospect call as booked', () => {
    spec(ASKED)
      .when({ type: 'BookAppointment', data: { patientId: Q, clinicId: CLINIC_ID, scheduledFor: '2026-11-30T02:00:00Z' } }, at('2026-11-23T08:00:00Z'))
      .then([booked(Q, 3, '2026-11-30T02:00:00Z'), closed(CALL1, 'booked', 0, { appointmentId: `${Q}.apt3` })]);
  });

  it('a booking made on the prospect call leaves it for the call to close, and then nothing follows', () => {
    const history = [...ASKED, booked(Q, 3, '2026-11-30T02:00:00Z', { followUpId: CALL1 })];
    spec(history)
      .when({ type: 'BookAppointment', data: { patientId: Q, clinicId: CLINIC_ID, scheduledFor: '2026-11-30T02:00:00Z', followUpId: CALL1 } }, at('2026-11-23T08:00:00Z'))
      .then([booked(Q, 4, '2026-11-30T02:00:00Z', { followUpId: CALL1 })]);
    spec(history)
      .when(callCommand(Q, 'reached', '2026-11-24T02:35:00Z', { followUpId: CALL1 }), at('2026-11-24T03:00:00Z'))
      .then([attempted(Q, 4, 'reached', '2026-11-24T02:35:00Z', { followUpId: CALL1 }), closed(CALL1, 'completed', 1, { callId: `${Q}.call4` })]);
  });

  it('a treatment (a walk-in) closes open persuasion calls as visited', () => {
    spec(ASKED)
      .when({ type: 'CompleteTreatment', data: treated(Q, 't1', 'scaling', '2026-11-23T08:00:00Z').data }, at('2026-11-23T08:30:00Z'))
      .then([
        treated(Q, 't1', 'scaling', '2026-11-23T08:00:00Z'),
        closed(CALL1, 'visited', 0, { treatmentId: 't1' }),
        fu(Q, 3, 'next_day', 'day_1', '2026-11-24T02:30:00Z', 'Next-day check: comfort, bite, sensitivity', { treatmentId: 't1' }),
      ]);
  });
});
