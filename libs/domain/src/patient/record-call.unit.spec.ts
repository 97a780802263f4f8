/**
 * RecordCall: every attempt is recorded; a call on a follow-up closes it or moves it on.
 * The patient has treatment t1 and follow-ups p1.fu1…fu5 (lastSeq 5); p1.fu1 is due
 * 2026-11-24 10:30 Shanghai (02:30Z). Windows: 10:30 (02:30Z) and 16:00 (08:00Z).
 */
import { at, clinic, CLINIC_ID, PATIENT_ID, spec, TREATED } from '../../test/patient-fixtures';
import type { CallAttempted, CallOutcome, FollowUpClosed, FollowUpClosedReason, FollowUpRescheduled, PatientEvent } from '../events';
import type { RecordCall } from './patient.commands';

const FU1 = `${PATIENT_ID}.fu1`;
/** The morning after the treatment, just after the 10:30 window. */
const CALL_AT = '2026-11-24T02:35:00Z';
const NOW = '2026-11-24T03:00:00Z';
const now = at(NOW);

const record = (outcome: CallOutcome, data: Partial<RecordCall['data']> = {}): RecordCall => ({
  type: 'RecordCall',
  data: { patientId: PATIENT_ID, callerId: 'nurse1', followUpId: FU1, startedAt: CALL_AT, outcome, ...data },
});

const attempted = (seq: number, outcome: CallOutcome, data: Partial<CallAttempted['data']> = {}): CallAttempted => ({
  type: 'CallAttempted',
  data: { patientId: PATIENT_ID, callerId: 'nurse1', followUpId: FU1, startedAt: CALL_AT, outcome, callId: `${PATIENT_ID}.call${seq}`, clinicId: CLINIC_ID, ...data },
});

const closed = (seq: number, reason: FollowUpClosedReason, attempts: number): FollowUpClosed => ({
  type: 'FollowUpClosed',
  data: { followUpId: FU1, patientId: PATIENT_ID, clinicId: CLINIC_ID, reason, attempts, callId: `${PATIENT_ID}.call${seq}` },
});

const rescheduled = (seq: number, reason: FollowUpRescheduled['data']['reason'], attempts: number, dueAt: string): FollowUpRescheduled => ({
  type: 'FollowUpRescheduled',
  data: { followUpId: FU1, patientId: PATIENT_ID, clinicId: CLINIC_ID, dueAt, reason, attempts, callId: `${PATIENT_ID}.call${seq}` },
});

describe('RecordCall', () => {
  describe('refusals', () => {
    it('a patient with no record', () => {
      spec([]).when(record('reached'), now).thenRefuses('unknown_patient', 'not_found');
    });

    it('a follow-up the patient does not have', () => {
      const refusal = spec(TREATED).when(record('reached', { followUpId: `${PATIENT_ID}.fu99` }), now).thenRefuses('unknown_follow_up');
      expect(refusal.message).toContain('p1.fu99');
    });

    it('a start time in the future (beyond 5 minutes of skew)', () => {
      spec(TREATED).when(record('reached', { startedAt: '2026-11-24T03:05:01Z' }), now).thenRefuses('claimed_time_in_future');
    });

    it('call_back_later without callBackAt', () => {
      spec(TREATED).when(record('call_back_later'), now).thenRefuses('call_back_time_required');
    });

    it('call_back_later with a callBackAt not after the call', () => {
      spec(TREATED).when(record('call_back_later', { callBackAt: CALL_AT }), now).thenRefuses('call_back_time_past');
    });

    it('a call entered more than 24 hours after it started, without a reason', () => {
      spec(TREATED)
        .when(record('no_answer', { followUpId: undefined, startedAt: '2026-11-23T02:59:59Z' }), now)
        .thenRefuses('late_entry_needs_reason');
    });

    it('nothing is refused for a closed follow-up when the call names none', () => {
      spec([...TREATED, attempted(6, 'reached'), closed(6, 'completed', 1)])
        .when(record('reached', { followUpId: undefined }), now)
        .then([attempted(7, 'reached', { followUpId: undefined })]);
    });
  });

  describe('closing the follow-up', () => {
    it('reached: the call and the follow-up closed as completed', () => {
      spec(TREATED).when(record('reached'), now).then([attempted(6, 'reached'), closed(6, 'completed', 1)]);
    });

    it('keeps what was said on the call', () => {
      const said = { durationSeconds: 240, notes: 'Slight sensitivity, advised warm salt water', satisfaction: 5, symptoms: 'sensitivity' };
      spec(TREATED).when(record('reached', said), now).then([attempted(6, 'reached', said), closed(6, 'completed', 1)]);
    });

    it('declined: closed as declined', () => {
      spec(TREATED).when(record('declined'), now).then([attempted(6, 'declined'), closed(6, 'declined', 1)]);
    });

    it('wrong_number: the phone is reported wrong and the follow-up stays open for the right number', () => {
      spec(TREATED)
        .when(record('wrong_number'), now)
        .then([attempted(6, 'wrong_number'), { type: 'PhoneNumberReportedWrong', data: { patientId: PATIENT_ID, clinicId: CLINIC_ID, callId: `${PATIENT_ID}.call6` } }]);
    });

    it('a call on a follow-up another call already closed is recorded, the follow-up left as it is (two callers on one patient)', () => {
      spec([...TREATED, attempted(6, 'reached'), closed(6, 'completed', 1)])
        .when(record('reached', { startedAt: '2026-11-24T02:50:00Z' }), now)
        .then([attempted(7, 'reached', { startedAt: '2026-11-24T02:50:00Z' })]);
    });

    it('counts every attempt on the follow-up in the closing event', () => {
      const history: PatientEvent[] = [...TREATED, attempted(6, 'no_answer'), rescheduled(6, 'retry', 1, '2026-11-24T08:00:00Z')];
      spec(history)
        .when(record('reached', { startedAt: '2026-11-24T08:01:00Z' }), at('2026-11-24T08:10:00Z'))
        .then([attempted(7, 'reached', { startedAt: '2026-11-24T08:01:00Z' }), closed(7, 'completed', 2)]);
    });
  });

  describe('retrying an unreached patient', () => {
    it.each<CallOutcome>(['no_answer', 'busy', 'powered_off', 'hung_up'])('%s: retried at the next window, 16:00 local the same day', (outcome) => {
      spec(TREATED).when(record(outcome), now).then([attempted(6, outcome), rescheduled(6, 'retry', 1, '2026-11-24T08:00:00Z')]);
    });

    it('a call exactly at a window is retried at the next one, strictly after it', () => {
      // 10:30:00 local (02:30Z) → 16:00 local (08:00Z), not 10:30 again.
      spec(TREATED)
        .when(record('no_answer', { startedAt: '2026-11-24T02:30:00Z' }), now)
        .then([attempted(6, 'no_answer', { startedAt: '2026-11-24T02:30:00Z' }), rescheduled(6, 'retry', 1, '2026-11-24T08:00:00Z')]);
    });

    it('a call after the last window is retried at the first window of the next local day', () => {
      // 16:05 local (08:05Z) → 2026-11-25 10:30 local (02:30Z).
      spec(TREATED)
        .when(record('busy', { startedAt: '2026-11-24T08:05:00Z' }), at('2026-11-24T08:10:00Z'))
        .then([attempted(6, 'busy', { startedAt: '2026-11-24T08:05:00Z' }), rescheduled(6, 'retry', 1, '2026-11-25T02:30:00Z')]);
    });

    it('retries in the clinic’s zone: New York windows 09:00/15:00 after a call at 15:30 EST', () => {
      // 2026-11-24 15:30 EST = 20:30Z → 2026-11-25 09:00 EST = 14:00Z.
      const ny = clinic({ timeZone: 'America/New_York', callWindows: ['09:00', '15:00'] });
      spec(TREATED)
        .when(record('no_answer', { startedAt: '2026-11-24T20:30:00Z' }), at('2026-11-24T20:40:00Z', ny))
        .then([attempted(6, 'no_answer', { startedAt: '2026-11-24T20:30:00Z' }), rescheduled(6, 'retry', 1, '2026-11-25T14:00:00Z')]);
    });

    it('the third failed attempt closes the follow-up as unreachable (maxAttempts 3)', () => {
      const history: PatientEvent[] = [
        ...TREATED,
        attempted(6, 'no_answer'),
        rescheduled(6, 'retry', 1, '2026-11-24T08:00:00Z'),
        attempted(7, 'busy', { startedAt: '2026-11-24T08:01:00Z' }),
        rescheduled(7, 'retry', 2, '2026-11-25T02:30:00Z'),
      ];
      spec(history)
        .when(record('powered_off', { startedAt: '2026-11-25T02:31:00Z' }), at('2026-11-25T02:40:00Z'))
        .then([attempted(8, 'powered_off', { startedAt: '2026-11-25T02:31:00Z' }), closed(8, 'unreachable', 3)]);
    });

    it('the second failed attempt is still retried with maxAttempts 3', () => {
      const history: PatientEvent[] = [...TREATED, attempted(6, 'no_answer'), rescheduled(6, 'retry', 1, '2026-11-24T08:00:00Z')];
      spec(history)
        .when(record('hung_up', { startedAt: '2026-11-24T08:01:00Z' }), at('2026-11-24T08:10:00Z'))
        .then([attempted(7, 'hung_up', { startedAt: '2026-11-24T08:01:00Z' }), rescheduled(7, 'retry', 2, '2026-11-25T02:30:00Z')]);
    });

    it('follows the clinic’s maxAttempts: with 1 the first failure closes', () => {
      spec(TREATED)
        .when(record('no_answer'), at(NOW, clinic({ maxAttempts: 1 })))
        .then([attempted(6, 'no_answer'), closed(6, 'unreachable', 1)]);
    });

    it('a call-back request is not a failure: it does not count toward maxAttempts', () => {
      // failures: call6, call8 → the third attempt (call8) is only the second failure: retried.
      const history: PatientEvent[] = [
        ...TREATED,
        attempted(6, 'no_answer'),
        rescheduled(6, 'retry', 1, '2026-11-24T08:00:00Z'),
        attempted(7, 'call_back_later', { startedAt: '2026-11-24T08:01:00Z', callBackAt: '2026-11-24T12:00:00Z' }),
        rescheduled(7, 'call_back_later', 2, '2026-11-24T12:00:00Z'),
      ];
      spec(history)
        .when(record('no_answer', { startedAt: '2026-11-24T12:00:00Z' }), at('2026-11-24T12:05:00Z'))
        .then([attempted(8, 'no_answer', { startedAt: '2026-11-24T12:00:00Z' }), rescheduled(8, 'retry', 3, '2026-11-25T02:30:00Z')]);
    });
  });

  describe('call back later', () => {
    it('reschedules the follow-up to the time the patient asked for, spelled in UTC', () => {
      spec(TREATED)
        .when(record('call_back_later', { callBackAt: '2026-11-24T20:00:00+08:00' }), now)
        .then([
          attempted(6, 'call_back_later', { callBackAt: '2026-11-24T12:00:00Z' }),
          rescheduled(6, 'call_back_later', 1, '2026-11-24T12:00:00Z'),
        ]);
    });
  });

  describe('times the caller claims', () => {
    it('accepts a start within the 5 minutes of skew ahead of the server', () => {
      spec(TREATED)
        .when(record('reached', { startedAt: '2026-11-24T03:05:00Z' }), now)
        .then([attempted(6, 'reached', { startedAt: '2026-11-24T03:05:00Z' }), closed(6, 'completed', 1)]);
    });

    it('spells startedAt in UTC', () => {
      spec(TREATED)
        .when(record('reached', { startedAt: '2026-11-24T10:35:00+08:00' }), now)
        .then([attempted(6, 'reached'), closed(6, 'completed', 1)]);
    });

    it('accepts a call entered exactly 24 hours after it started', () => {
      spec(TREATED)
        .when(record('no_answer', { followUpId: undefined, startedAt: '2026-11-23T03:00:00Z' }), now)
        .then([attempted(6, 'no_answer', { followUpId: undefined, startedAt: '2026-11-23T03:00:00Z' })]);
    });

    it('accepts a late entry that says why', () => {
      const late = { startedAt: '2026-11-24T02:35:00Z', lateEntryReason: 'paper log typed in after the weekend' };
      spec(TREATED)
        .when(record('reached', late), at('2026-11-27T01:00:00Z'))
        .then([attempted(6, 'reached', late), closed(6, 'completed', 1)]);
    });
  });

  describe('a call without a follow-up', () => {
    it('records only the call', () => {
      spec(TREATED).when(record('reached', { followUpId: undefined }), now).then([attempted(6, 'reached', { followUpId: undefined })]);
    });

    it('records only the call even for an unreached outcome', () => {
      spec(TREATED).when(record('no_answer', { followUpId: undefined }), now).then([attempted(6, 'no_answer', { followUpId: undefined })]);
    });
  });

  describe('server-made ids', () => {
    it('count on from the last id of any kind in the stream', () => {
      const objection: PatientEvent = {
        type: 'ObjectionRaised',
        data: { objectionId: `${PATIENT_ID}.obj6`, patientId: PATIENT_ID, clinicId: CLINIC_ID, callerId: 'nurse1', kind: 'sincere', topic: 'cost', method: 'inform', resolved: false },
      };
      spec([...TREATED, objection]).when(record('reached'), now).then([attempted(7, 'reached'), closed(7, 'completed', 1)]);
    });
  });
});
