import type { CallAttempted, CallRecordCorrected, FollowUpRescheduled, FollowUpScheduled } from '@rapport/domain';
import { GivenEvent, projectionSpec } from '../../test/projection-spec';
import { callQueueProjection } from './call-queue.projection';

const spec = projectionSpec(callQueueProjection);
const ms = (iso: string): number => Date.parse(iso);
/** When the spec helper records the n-th given event (1-based): a minute apart from 2026-11-23T02:00Z. */
const recordedAt = (n: number): string => new Date(ms('2026-11-23T02:00:00Z') + (n - 1) * 60_000).toISOString();

const origin = { protocolVersion: 1, ruleId: 'general', stepId: 'day_1' };

const scheduled = (followUpId: string, more: Partial<FollowUpScheduled['data']> = {}): GivenEvent => ({
  type: 'FollowUpScheduled',
  data: { followUpId, patientId: 'p1', clinicId: 'c1', purpose: 'How is the tooth?', dueAt: '2026-11-23T02:30:00Z', urgent: false, origin, ...more },
});
const call = (callId: string, more: Partial<CallAttempted['data']> = {}): GivenEvent => ({
  type: 'CallAttempted',
  data: { callId, patientId: 'p1', clinicId: 'c1', callerId: 'zhang', followUpId: 'p1.fu1', startedAt: '2026-11-23T02:50:00Z', outcome: 'no_answer', ...more },
});
const moved = (attempts: number, dueAt: string, callId: string, more: Partial<FollowUpRescheduled['data']> = {}): GivenEvent => ({
  type: 'FollowUpRescheduled',
  data: { followUpId: 'p1.fu1', patientId: 'p1', clinicId: 'c1', dueAt, reason: 'retry', attempts, callId, ...more },
});
const closed = (followUpId: string, attempts: number, callId?: string): GivenEvent => ({
  type: 'FollowUpClosed',
  data: { followUpId, patientId: 'p1', clinicId: 'c1', reason: 'completed', attempts, ...(callId ? { callId } : {}) },
});
const corrected = (correctionId: string, correctsEventId: string, callId: string, change: Pick<CallRecordCorrected['data'], 'corrected' | 'previous'>, more: Partial<CallRecordCorrected['data']> = {}): GivenEvent => ({
  type: 'CallRecordCorrected',
  data: { correctionId, patientId: 'p1', clinicId: 'c1', correctsEventId, reason: 'typed it wrong', callId, callerId: 'zhang', followUpId: 'p1.fu1', ...change, ...more },
});
const treated = (treatmentId: string, procedure: string, patient?: { name?: string; phone?: string }): GivenEvent => ({
  type: 'TreatmentCompleted',
  data: { treatmentId, patientId: 'p1', clinicId: 'c1', doctorId: 'dr-li', procedure, completedAt: '2026-11-22T08:00:00Z', ...(patient ? { patient } : {}) },
});

describe('call-queue projection', () => {
  describe('treatments and follow-ups', () => {
    it('a follow-up carries its patient, the treatment’s procedure and the rule behind it; a doctor’s callback lands with the attending doctor', () =>
      spec
        .given(
          treated('t1', 'implant', { name: '王芳', phone: '+86 138 0000 0001' }),
          scheduled('p1.fu1', { treatmentId: 't1', purpose: 'How is the implant?', dueAt: '2026-11-24T02:30:00Z', origin: { protocolVersion: 3, ruleId: 'implant', stepId: 'day_1' } }),
          scheduled('p1.fu2', { kind: 'doctor_callback', assignee: { role: 'doctor' }, treatmentId: 't1', urgent: true, purpose: 'Pain reported', dueAt: '2026-11-23T04:00:00Z' }),
          // A senior doctor without a name stays unnamed; a patient and a treatment never seen leave their columns empty.
          scheduled('p2.fu1', { patientId: 'p2', kind: 'escalation', assignee: { role: 'senior_doctor' }, treatmentId: 't9' }),
          // Scheduled again (the same id): the first stays as it was.
          scheduled('p1.fu1', { purpose: 'something else', dueAt: '2026-12-01T02:30:00Z' }),
        )
        .then({
          queue_treatments: [{ patient_id: 'p1', treatment_id: 't1', procedure: 'implant', doctor_id: 'dr-li' }],
          queue_patients: [{ patient_id: 'p1', clinic_id: 'c1', name: '王芳', phone: '+86 138 0000 0001', vip: 0, do_not_call: 0, avoid_work_hours: 0, preferred_times: null }],
          queue_follow_ups: [
            {
              follow_up_id: 'p1.fu1',
              clinic_id: 'c1',
              patient_id: 'p1',
              audience: 'caller',
              assignee_doctor_id: null,
              kind: 'treatment',
              purpose: 'How is the implant?',
              due_at: '2026-11-24T02:30:00Z',
              due_at_ms: ms('2026-11-24T02:30:00Z'),
              urgent: 0,
              vip: 0,
              do_not_call: 0,
              avoid_work_hours: 0,
              has_preferred_times: 0,
              treatment_id: 't1',
              procedure: 'implant',
              rule_id: 'implant',
              step_id: 'day_1',
              protocol_version: 3,
              attempts: 0,
              last_outcome: null,
              last_attempt_at: null,
              last_caller_id: null,
              scheduled_at: recordedAt(2),
            },
            { follow_up_id: 'p1.fu2', audience: 'doctor', assignee_doctor_id: 'dr-li', kind: 'doctor_callback', urgent: 1, due_at_ms: ms('2026-11-23T04:00:00Z'), procedure: 'implant', scheduled_at: recordedAt(3) },
            { follow_up_id: 'p2.fu1', patient_id: 'p2', audience: 'senior_doctor', assignee_doctor_id: null, kind: 'escalation', treatment_id: 't9', procedure: null, rule_id: 'general', protocol_version: 1 },
          ],
        }));

    it('a later treatment or inquiry replaces only the details it gives', () =>
      spec
        .given(
          { type: 'InquiryReceived', data: { inquiryId: 'i1', patientId: 'p1', clinicId: 'c1', receivedAt: '2026-11-22T09:00:00Z', patient: { phone: '+86 138 0000 0001' } } },
          treated('t1', 'filling', { name: '王芳' }),
          treated('t2', 'crown'),
          { type: 'InquiryReceived', data: { inquiryId: 'i2', patientId: 'p2', clinicId: 'c2', receivedAt: '2026-11-22T10:00:00Z' } },
        )
        .then({
          queue_patients: [
            { patient_id: 'p1', clinic_id: 'c1', name: '王芳', phone: '+86 138 0000 0001' },
            { patient_id: 'p2', clinic_id: 'c2', name: null, phone: null, vip: 0 },
          ],
          queue_treatments: [
            { patient_id: 'p1', treatment_id: 't1', procedure: 'filling' },
            { patient_id: 'p1', treatment_id: 't2', procedure: 'crown' },
          ],
        }));
  });

  describe('contact preferences', () => {
    it('the latest preferences replace the earlier ones, on the patient and on each of their open follow-ups', () =>
      spec
        .given(
          { type: 'InquiryReceived', data: { inquiryId: 'i1', patientId: 'p1', clinicId: 'c1', receivedAt: '2026-11-22T09:00:00Z', patient: { name: '李雷' } } },
          scheduled('p1.fu1', { kind: 'prospect' }),
          { type: 'ContactPreferencesSet', data: { patientId: 'p2', clinicId: 'c1', vip: true } },
          scheduled('p2.fu1', { patientId: 'p2' }),
          { type: 'ContactPreferencesSet', data: { patientId: 'p1', clinicId: 'c1', vip: true, avoidWorkHours: true, preferredTimes: ['12:00-13:00'] } },
          // Scheduled after the preferences: it starts with them.
          scheduled('p1.fu2'),
        )
        .then({
          queue_patients: [
            { patient_id: 'p1', name: '李雷', vip: 1, do_not_call: 0, avoid_work_hours: 1, preferred_times: '["12:00-13:00"]' },
            { patient_id: 'p2', clinic_id: 'c1', name: null, vip: 1, do_not_call: 0, avoid_work_hours: 0, preferred_times: null },
          ],
          queue_follow_ups: [
            { follow_up_id: 'p1.fu1', vip: 1, do_not_call: 0, avoid_work_hours: 1, has_preferred_times: 1 },
            { follow_up_id: 'p1.fu2', vip: 1, do_not_call: 0, avoid_work_hours: 1, has_preferred_times: 1 },
            { follow_up_id: 'p2.fu1', vip: 1, do_not_call: 0, avoid_work_hours: 0, has_preferred_times: 0 },
          ],
        }));

    it('preferences set again clear what they no longer say, and leave other patients’ follow-ups alone', () =>
      spec
        .given(
          scheduled('p1.fu1'),
          scheduled('p1.fu2'),
          { type: 'ContactPreferencesSet', data: { patientId: 'p2', clinicId: 'c1', vip: true } },
          scheduled('p2.fu1', { patientId: 'p2' }),
          { type: 'ContactPreferencesSet', data: { patientId: 'p1', clinicId: 'c1', vip: true, preferredTimes: ['12:00-13:00'] } },
          { type: 'ContactPreferencesSet', data: { patientId: 'p1', clinicId: 'c1', doNotCall: true, preferredTimes: [] } },
        )
        .then({
          queue_patients: [
            { patient_id: 'p1', vip: 0, do_not_call: 1, avoid_work_hours: 0, preferred_times: null },
            { patient_id: 'p2', vip: 1, do_not_call: 0 },
          ],
          queue_follow_ups: [
            { follow_up_id: 'p1.fu1', vip: 0, do_not_call: 1, has_preferred_times: 0 },
            { follow_up_id: 'p1.fu2', vip: 0, do_not_call: 1, has_preferred_times: 0 },
            { follow_up_id: 'p2.fu1', vip: 1, do_not_call: 0 },
          ],
        }));
  });

  describe('calls', () => {
    it('each call is an attempt on its open follow-up; a move changes the due time; calls off the queue change nothing', () =>
      spec
        .given(
          scheduled('p1.fu1'),
          call('p1.call1'),
          moved(1, '2026-11-23T08:00:00Z', 'p1.call1'),
          call('p1.call2', { callerId: 'li', startedAt: '2026-11-23T08:05:00Z', outcome: 'call_back_later', callBackAt: '2026-11-24T06:00:00Z' }),
          moved(2, '2026-11-24T06:00:00Z', 'p1.call2', { reason: 'call_back_later' }),
          // A call on no follow-up, and one on a follow-up the queue does not hold.
          call('p1.call3', { followUpId: undefined, outcome: 'reached' }),
          call('p1.call4', { followUpId: 'p1.fu9', outcome: 'reached' }),
          { type: 'FollowUpRescheduled', data: { followUpId: 'p1.fu9', patientId: 'p1', clinicId: 'c1', dueAt: '2026-11-25T02:30:00Z', reason: 'retry', attempts: 1, callId: 'p1.call4' } },
        )
        .then({
          queue_follow_ups: [
            {
              follow_up_id: 'p1.fu1',
              due_at: '2026-11-24T06:00:00Z',
              due_at_ms: ms('2026-11-24T06:00:00Z'),
              attempts: 2,
              last_outcome: 'call_back_later',
              last_attempt_at: '2026-11-23T08:05:00Z',
              last_caller_id: 'li',
            },
          ],
          queue_attempts: [
            { follow_up_id: 'p1.fu1', call_id: 'p1.call1', caller_id: 'zhang', outcome: 'no_answer', started_at: '2026-11-23T02:50:00Z', started_at_ms: ms('2026-11-23T02:50:00Z') },
            { follow_up_id: 'p1.fu1', call_id: 'p1.call2', caller_id: 'li', outcome: 'call_back_later', started_at: '2026-11-23T08:05:00Z', started_at_ms: ms('2026-11-23T08:05:00Z') },
          ],
        }));

    it('attempts are the calls on record: a call delivered again is not counted again, and a call after a move counts on top of it', () =>
      spec
        .given(
          scheduled('p1.fu1'),
          call('p1.call1'),
          moved(1, '2026-11-23T08:00:00Z', 'p1.call1'),
          // The same call once more (a redelivery): still one attempt, not 2 (and not 3 after the next call).
          call('p1.call1'),
          call('p1.call2', { startedAt: '2026-11-23T08:01:00Z', outcome: 'busy' }),
        )
        .then({
          queue_follow_ups: [{ follow_up_id: 'p1.fu1', due_at: '2026-11-23T08:00:00Z', attempts: 2, last_outcome: 'busy', last_attempt_at: '2026-11-23T08:01:00Z' }],
          queue_attempts: [
            { call_id: 'p1.call1', outcome: 'no_answer' },
            { call_id: 'p1.call2', outcome: 'busy' },
          ],
        }));

    it('closing a follow-up removes it and its attempts, and only its own; later calls and moves do not bring it back', () =>
      spec
        .given(
          scheduled('p1.fu1'),
          scheduled('p1.fu2'),
          call('p1.call1', { outcome: 'reached' }),
          call('p1.call2', { followUpId: 'p1.fu2' }),
          closed('p1.fu1', 1, 'p1.call1'),
          call('p1.call3', { outcome: 'reached' }),
          moved(2, '2026-11-25T02:30:00Z', 'p1.call3'),
        )
        .then({
          queue_follow_ups: [{ follow_up_id: 'p1.fu2', attempts: 1, last_outcome: 'no_answer' }],
          queue_attempts: [{ follow_up_id: 'p1.fu2', call_id: 'p1.call2' }],
        }));

    it('a follow-up closed without a call goes too', () =>
      spec.given(scheduled('p1.fu1'), closed('p1.fu1', 0)).then({ queue_follow_ups: [], queue_attempts: [] }));
  });

  describe('corrections', () => {
    it('a corrected outcome or start time shows in the history, and the last attempt is the latest started as corrected', () =>
      spec
        .given(
          scheduled('p1.fu1'),
          call('p1.call1', { outcome: 'powered_off' }),
          moved(1, '2026-11-23T08:00:00Z', 'p1.call1'),
          call('p1.call2', { callerId: 'li', startedAt: '2026-11-23T08:10:00Z' }),
          moved(2, '2026-11-24T02:30:00Z', 'p1.call2'),
          // The first call was busy, not powered off: the history changes, the last attempt is still call 2.
          corrected('p1.corr1', 'event-2', 'p1.call1', { corrected: { outcome: 'busy' }, previous: { outcome: 'powered_off' } }),
          // The second call started before the first: the first is now the last attempt.
          corrected('p1.corr2', 'event-4', 'p1.call2', { corrected: { startedAt: '2026-11-23T02:40:00Z' }, previous: { startedAt: '2026-11-23T08:10:00Z' } }, { callerId: 'li' }),
          // A correction of fields the queue does not show changes nothing.
          corrected('p1.corr3', 'event-2', 'p1.call1', { corrected: { notes: 'left a message' }, previous: {} }),
        )
        .then({
          queue_follow_ups: [
            { follow_up_id: 'p1.fu1', due_at: '2026-11-24T02:30:00Z', attempts: 2, last_outcome: 'busy', last_attempt_at: '2026-11-23T02:50:00Z', last_caller_id: 'zhang' },
          ],
          queue_attempts: [
            { call_id: 'p1.call1', caller_id: 'zhang', outcome: 'busy', started_at: '2026-11-23T02:50:00Z', started_at_ms: ms('2026-11-23T02:50:00Z') },
            { call_id: 'p1.call2', caller_id: 'li', outcome: 'no_answer', started_at: '2026-11-23T02:40:00Z', started_at_ms: ms('2026-11-23T02:40:00Z') },
          ],
        }));

    it('between attempts started at the same time, the greater call id is the last', () =>
      spec
        .given(
          scheduled('p1.fu1'),
          call('p1.call2', { startedAt: '2026-11-23T02:50:00Z', outcome: 'busy' }),
          call('p1.call1', { startedAt: '2026-11-23T02:55:00Z', outcome: 'hung_up', callerId: 'li' }),
          corrected('p1.corr1', 'event-3', 'p1.call1', { corrected: { startedAt: '2026-11-23T02:50:00Z', outcome: 'no_answer' }, previous: { startedAt: '2026-11-23T02:55:00Z', outcome: 'hung_up' } }),
        )
        .then({
          queue_follow_ups: [{ follow_up_id: 'p1.fu1', attempts: 2, last_outcome: 'busy', last_attempt_at: '2026-11-23T02:50:00Z', last_caller_id: 'zhang' }],
          queue_attempts: [
            { call_id: 'p1.call1', outcome: 'no_answer', started_at_ms: ms('2026-11-23T02:50:00Z') },
            { call_id: 'p1.call2', outcome: 'busy' },
          ],
        }));

    it('a correction of a call on a closed follow-up, or on none, brings nothing back', () =>
      spec
        .given(
          scheduled('p1.fu1'),
          call('p1.call1', { outcome: 'reached' }),
          closed('p1.fu1', 1, 'p1.call1'),
          corrected('p1.corr1', 'event-2', 'p1.call1', { corrected: { outcome: 'declined' }, previous: { outcome: 'reached' } }),
          call('p1.call2', { followUpId: undefined }),
          corrected('p1.corr2', 'event-5', 'p1.call2', { corrected: { outcome: 'busy' }, previous: { outcome: 'no_answer' } }, { followUpId: undefined }),
        )
        .then({ queue_follow_ups: [], queue_attempts: [] }));
  });

  describe('erasure', () => {
    it('PersonalDataErased clears the name and phone kept here; the preferences and the follow-ups stay', () =>
      spec
        .given(
          treated('t1', 'implant', { name: '王芳', phone: '+86 138 0000 0001' }),
          { type: 'ContactPreferencesSet', data: { patientId: 'p1', clinicId: 'c1', vip: true } },
          scheduled('p1.fu1', { treatmentId: 't1' }),
          { type: 'PersonalDataErased', data: { patientId: 'p1', clinicId: 'c1', reason: 'the patient asked to be forgotten' } },
          // An erasure for a patient the queue never saw adds no row.
          { type: 'PersonalDataErased', data: { patientId: 'p9', clinicId: 'c1', reason: 'asked' } },
        )
        .then({
          queue_patients: [{ patient_id: 'p1', clinic_id: 'c1', name: null, phone: null, vip: 1 }],
          queue_follow_ups: [{ follow_up_id: 'p1.fu1', patient_id: 'p1', vip: 1, procedure: 'implant' }],
          queue_treatments: [{ patient_id: 'p1', treatment_id: 't1' }],
        }));
  });

  describe('events it cannot apply', () => {
    it('stops at a follow-up whose due time cannot be read', () => spec.given(treated('t1', 'implant'), scheduled('p1.fu1', { dueAt: 'next week' })).thenFailsAt(2, /dueAt is not an instant/));

    it('stops at a call on an open follow-up whose start cannot be read', () =>
      spec.given(scheduled('p1.fu1'), call('p1.call1', { startedAt: 'this morning' })).thenFailsAt(2, /startedAt is not an instant/));

    it('stops at a move to a time that cannot be read', () =>
      spec.given(scheduled('p1.fu1'), call('p1.call1'), moved(1, 'later', 'p1.call1')).thenFailsAt(3, /dueAt is not an instant/));

    it('stops at a correction to a start time that cannot be read', () =>
      spec
        .given(scheduled('p1.fu1'), call('p1.call1'), corrected('p1.corr1', 'event-2', 'p1.call1', { corrected: { startedAt: 'earlier' }, previous: { startedAt: '2026-11-23T02:50:00Z' } }))
        .thenFailsAt(3, /startedAt is not an instant/));
  });

  describe('wrong numbers (issue 15 item 9)', () => {
    const wrong = (callId: string): GivenEvent => ({ type: 'PhoneNumberReportedWrong', data: { patientId: 'p1', clinicId: 'c1', callId } });
    const correctedDetails = (patient: { name?: string; phone?: string }): GivenEvent => ({
      type: 'PersonalDetailsCorrected',
      data: { patientId: 'p1', clinicId: 'c1', correctionId: 'p1.cor9', patient, reason: 'the daughter gave the right number' },
    });

    it('a wrong number marks every open follow-up of the patient, and one scheduled later, as needing a number', () =>
      spec
        .given(treated('t1', 'implant', { name: '王芳', phone: '+86 138 0000 0001' }), scheduled('p1.fu1'), scheduled('p1.fu2'), call('p1.call1', { outcome: 'wrong_number' }), wrong('p1.call1'), scheduled('p1.fu3'))
        .then({
          queue_patients: [{ patient_id: 'p1', phone: '+86 138 0000 0001', phone_wrong: 1 }],
          queue_follow_ups: [
            { follow_up_id: 'p1.fu1', needs_number: 1, attempts: 1, last_outcome: 'wrong_number' },
            { follow_up_id: 'p1.fu2', needs_number: 1 },
            { follow_up_id: 'p1.fu3', needs_number: 1 },
          ],
        }));

    it('a corrected phone brings them back; a corrected name alone does not', () =>
      spec
        .given(treated('t1', 'implant', { name: '王芳', phone: '+86 138 0000 0001' }), scheduled('p1.fu1'), wrong('p1.call1'), correctedDetails({ name: '王芳芳' }))
        .then({ queue_patients: [{ patient_id: 'p1', name: '王芳芳', phone_wrong: 1 }], queue_follow_ups: [{ follow_up_id: 'p1.fu1', needs_number: 1 }] })
        .then(() =>
          spec
            .given(treated('t1', 'implant', { name: '王芳', phone: '+86 138 0000 0001' }), scheduled('p1.fu1'), wrong('p1.call1'), correctedDetails({ phone: '+86 139 0000 0002' }))
            .then({ queue_patients: [{ patient_id: 'p1', phone: '+86 139 0000 0002', phone_wrong: 0 }], queue_follow_ups: [{ follow_up_id: 'p1.fu1', needs_number: 0 }] }),
        ));

    it('a phone given with a later treatment counts as the right number too', () =>
      spec
        .given(treated('t1', 'implant', { phone: '+86 138 0000 0001' }), scheduled('p1.fu1'), wrong('p1.call1'), treated('t2', 'scaling', { phone: '+86 139 0000 0002' }))
        .then({ queue_patients: [{ patient_id: 'p1', phone: '+86 139 0000 0002', phone_wrong: 0 }], queue_follow_ups: [{ follow_up_id: 'p1.fu1', needs_number: 0 }] }));
  });

  describe('time wishes (issue 15 item 6)', () => {
    it('marks the follow-ups of a patient with time wishes, so the waiting list finds them by index', () =>
      spec
        .given(
          scheduled('p1.fu1'),
          { type: 'ContactPreferencesSet', data: { patientId: 'p1', clinicId: 'c1', avoidWorkHours: true } },
          scheduled('p1.fu2'),
          scheduled('p2.fu1', { patientId: 'p2' }),
        )
        .then({
          queue_follow_ups: [
            { follow_up_id: 'p1.fu1', has_wishes: 1, avoid_work_hours: 1 },
            { follow_up_id: 'p1.fu2', has_wishes: 1, avoid_work_hours: 1 },
            { follow_up_id: 'p2.fu1', has_wishes: 0 },
          ],
        }));
  });

  describe('claims (issue 16 item 4)', () => {
    it('a claim shows on the row until a call on the follow-up releases it', () =>
      spec
        .given(scheduled('p1.fu1'), scheduled('p1.fu2'), { type: 'FollowUpClaimed', data: { followUpId: 'p1.fu1', patientId: 'p1', clinicId: 'c1', claimedBy: 'zhang', until: '2026-11-23T02:50:00Z' } })
        .then({ queue_follow_ups: [{ follow_up_id: 'p1.fu1', claimed_by: 'zhang', claimed_until: '2026-11-23T02:50:00Z' }, { follow_up_id: 'p1.fu2', claimed_by: null }] })
        .then(() =>
          spec
            .given(scheduled('p1.fu1'), { type: 'FollowUpClaimed', data: { followUpId: 'p1.fu1', patientId: 'p1', clinicId: 'c1', claimedBy: 'zhang', until: '2026-11-23T02:50:00Z' } }, call('p1.call1'))
            .then({ queue_follow_ups: [{ follow_up_id: 'p1.fu1', claimed_by: null, claimed_until: null, attempts: 1 }] }),
        ));
  });
});
