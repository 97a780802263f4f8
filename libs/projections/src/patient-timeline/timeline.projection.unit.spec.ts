import type { CallAttempted } from '@rapport/domain';
import { GivenEvent, projectionSpec } from '../../test/projection-spec';
import { timelineProjection } from './timeline.projection';

const spec = projectionSpec(timelineProjection);
const ms = (iso: string): number => Date.parse(iso);
/** When the spec helper records the n-th given event (1-based): a minute apart from 2026-11-23T02:00Z. */
const recordedAt = (n: number): string => new Date(ms('2026-11-23T02:00:00Z') + (n - 1) * 60_000).toISOString();

const call = (callId: string, more: Partial<CallAttempted['data']> = {}): GivenEvent => ({
  type: 'CallAttempted',
  data: { callId, patientId: 'p1', clinicId: 'c1', callerId: 'zhang', followUpId: 'p1.fu1', startedAt: '2026-11-23T02:50:00Z', outcome: 'no_answer', ...more },
});

describe('patient-timeline projection', () => {
  it('one entry per fact, at the fact’s own time where it has one; calls numbered per follow-up; a move or close at its call’s time', () =>
    spec
      .given(
        { type: 'TreatmentCompleted', data: { treatmentId: 't1', patientId: 'p1', clinicId: 'c1', doctorId: 'dr-li', procedure: 'extraction', completedAt: '2026-11-22T08:00:00Z' } },
        {
          type: 'FollowUpScheduled',
          data: { followUpId: 'p1.fu1', patientId: 'p1', clinicId: 'c1', treatmentId: 't1', purpose: 'How is the tooth?', dueAt: '2026-11-23T02:30:00Z', urgent: false, origin: { protocolVersion: 1, ruleId: 'general', stepId: 'day_1' } },
        },
        call('p1.call1'),
        { type: 'FollowUpRescheduled', data: { followUpId: 'p1.fu1', patientId: 'p1', clinicId: 'c1', dueAt: '2026-11-23T08:00:00Z', reason: 'retry', attempts: 1, callId: 'p1.call1' } },
        call('p1.call2', { callerId: 'li', startedAt: '2026-11-23T08:05:00Z', outcome: 'reached', satisfaction: 5 }),
        { type: 'FollowUpClosed', data: { followUpId: 'p1.fu1', patientId: 'p1', clinicId: 'c1', reason: 'completed', attempts: 2, callId: 'p1.call2' } },
        { type: 'FollowUpClosed', data: { followUpId: 'p1.fu2', patientId: 'p1', clinicId: 'c1', reason: 'booked', attempts: 0, appointmentId: 'a1' } },
        call('p1.call3', { followUpId: undefined, startedAt: '2026-11-23T09:00:00Z', outcome: 'busy' }),
      )
      .then({
        timeline_entries: [
          {
            patient_id: 'p1',
            position: 1,
            event_id: 'event-1',
            type: 'TreatmentCompleted',
            at: '2026-11-22T08:00:00Z',
            at_ms: ms('2026-11-22T08:00:00Z'),
            recorded_at: recordedAt(1),
            summary: 'Treatment t1 completed: extraction by dr-li',
            redacted_summary: null,
            follow_up_id: null,
            call_id: null,
            ids: '{"treatmentId":"t1"}',
          },
          {
            position: 2,
            type: 'FollowUpScheduled',
            at: recordedAt(2),
            at_ms: ms(recordedAt(2)),
            summary: 'Follow-up p1.fu1 scheduled for 2026-11-23T02:30:00Z: How is the tooth?',
            follow_up_id: 'p1.fu1',
            call_id: null,
            ids: '{"followUpId":"p1.fu1","treatmentId":"t1"}',
          },
          {
            position: 3,
            type: 'CallAttempted',
            at: '2026-11-23T02:50:00Z',
            at_ms: ms('2026-11-23T02:50:00Z'),
            recorded_at: recordedAt(3),
            summary: 'Call by zhang: no answer (attempt 1 of follow-up p1.fu1)',
            follow_up_id: 'p1.fu1',
            call_id: 'p1.call1',
            ids: '{"callId":"p1.call1","followUpId":"p1.fu1"}',
          },
          {
            position: 4,
            type: 'FollowUpRescheduled',
            at: '2026-11-23T02:50:00Z',
            at_ms: ms('2026-11-23T02:50:00Z'),
            recorded_at: recordedAt(4),
            summary: 'Follow-up p1.fu1 moved to 2026-11-23T08:00:00Z: retry after 1 attempt',
            follow_up_id: 'p1.fu1',
            call_id: null,
            ids: '{"followUpId":"p1.fu1","callId":"p1.call1"}',
          },
          { position: 5, type: 'CallAttempted', at: '2026-11-23T08:05:00Z', summary: 'Call by li: reached (attempt 2 of follow-up p1.fu1); satisfaction 5/5', call_id: 'p1.call2' },
          { position: 6, type: 'FollowUpClosed', at: '2026-11-23T08:05:00Z', summary: 'Follow-up p1.fu1 closed: completed after 2 attempts', ids: '{"followUpId":"p1.fu1","callId":"p1.call2"}' },
          // Closed without a call: at the time it was recorded.
          { position: 7, type: 'FollowUpClosed', at: recordedAt(7), summary: 'Follow-up p1.fu2 closed: an appointment was booked after 0 attempts', ids: '{"followUpId":"p1.fu2","appointmentId":"a1"}' },
          { position: 8, type: 'CallAttempted', at: '2026-11-23T09:00:00Z', summary: 'Call by zhang: busy', follow_up_id: null, call_id: 'p1.call3', ids: '{"callId":"p1.call3"}' },
        ],
      }));

  it('a move whose call is not on the timeline sits at the time it was recorded; calls are numbered per patient and follow-up', () =>
    spec
      .given(
        { type: 'FollowUpRescheduled', data: { followUpId: 'p1.fu1', patientId: 'p1', clinicId: 'c1', dueAt: '2026-11-24T02:30:00Z', reason: 'call_back_later', attempts: 1, callId: 'p1.call9' } },
        call('p1.call1', { followUpId: 'p1.fu2' }),
        // Another patient's call on a follow-up of the same id: neither counts the other's.
        call('p2.call1', { patientId: 'p2', followUpId: 'p1.fu2', startedAt: '2026-11-23T02:55:00Z' }),
        call('p1.call2', { followUpId: 'p1.fu2', startedAt: '2026-11-23T03:00:00Z' }),
      )
      .then({
        timeline_entries: [
          { patient_id: 'p1', position: 1, at: recordedAt(1), summary: 'Follow-up p1.fu1 moved to 2026-11-24T02:30:00Z: the patient asked to be called then' },
          { patient_id: 'p1', position: 2, summary: 'Call by zhang: no answer (attempt 1 of follow-up p1.fu2)' },
          { patient_id: 'p1', position: 4, summary: 'Call by zhang: no answer (attempt 2 of follow-up p1.fu2)' },
          { patient_id: 'p2', position: 3, summary: 'Call by zhang: no answer (attempt 1 of follow-up p1.fu2)' },
        ],
      }));

  it('the other facts of a patient, each with its ids; events that are not a patient’s facts add nothing', () =>
    spec
      .given(
        { type: 'InquiryReceived', data: { inquiryId: 'i1', patientId: 'p1', clinicId: 'c1', receivedAt: '2026-11-22T09:00:00Z', channel: 'wechat', concern: 'implant price' } },
        { type: 'ContactPreferencesSet', data: { patientId: 'p1', clinicId: 'c1', avoidWorkHours: true, vip: true } },
        {
          type: 'ObjectionRaised',
          data: { objectionId: 'o1', patientId: 'p1', clinicId: 'c1', callerId: 'zhang', callId: 'p1.call1', kind: 'half_informed', topic: 'price', method: 'inform', resolved: false, answerable: false },
        },
        { type: 'AppointmentBooked', data: { appointmentId: 'a1', patientId: 'p1', clinicId: 'c1', scheduledFor: '2026-11-30T02:00:00Z' } },
        { type: 'AppointmentMissed', data: { appointmentId: 'a1', patientId: 'p1', clinicId: 'c1', at: '2026-11-30T03:00:00Z' } },
        { type: 'ProspectPersuasionStopped', data: { patientId: 'p1', clinicId: 'c1', consecutiveRefusals: 7 } },
        { type: 'PatientRecordRead', data: { patientId: 'p1', clinicId: 'c1', userId: 'u1', role: 'caller', what: 'timeline' } },
        // A referral of the patient's own: no second entry for the referrer.
        { type: 'AppointmentBooked', data: { appointmentId: 'a2', patientId: 'p1', clinicId: 'c1', scheduledFor: '2026-12-01T02:00:00Z', referralId: 'r9', referrerPatientId: 'p1' } },
        { type: 'AppointmentAttended', data: { appointmentId: 'a2', patientId: 'p1', clinicId: 'c1', at: '2026-12-01T02:05:00Z' } },
      )
      .then({
        timeline_entries: [
          { position: 1, type: 'InquiryReceived', at: '2026-11-22T09:00:00Z', summary: 'Inquiry i1 received by wechat: implant price', ids: '{"inquiryId":"i1"}' },
          { position: 2, type: 'ContactPreferencesSet', at: recordedAt(2), summary: 'Contact preferences set: not during work hours; VIP', ids: '{}' },
          {
            position: 3,
            type: 'ObjectionRaised',
            at: recordedAt(3),
            summary: 'Objection (half-informed, price) raised with zhang: answered with information, not resolved, judged hopeless',
            follow_up_id: null,
            call_id: 'p1.call1',
            ids: '{"objectionId":"o1","callId":"p1.call1"}',
          },
          { position: 4, type: 'AppointmentBooked', at: recordedAt(4), summary: 'Appointment a1 booked for 2026-11-30T02:00:00Z', ids: '{"appointmentId":"a1"}' },
          { position: 5, type: 'AppointmentMissed', at: '2026-11-30T03:00:00Z', at_ms: ms('2026-11-30T03:00:00Z'), summary: 'Appointment a1 missed (2026-11-30T03:00:00Z)' },
          { position: 6, type: 'ProspectPersuasionStopped', summary: 'Persuasion calls stopped after 7 consecutive refusals', ids: '{}' },
          {
            position: 8,
            type: 'AppointmentBooked',
            summary: 'Appointment a2 booked for 2026-12-01T02:00:00Z, converting referral r9 from p1',
            ids: '{"appointmentId":"a2","referralId":"r9","referrerPatientId":"p1"}',
          },
          { position: 9, type: 'AppointmentAttended', at: '2026-12-01T02:05:00Z', summary: 'Appointment a2 attended (2026-12-01T02:05:00Z)' },
        ],
      }));

  it('a referral’s booking shows on the referrer’s timeline too; an erasure replaces the summaries naming a person on that patient’s timeline only', () =>
    spec
      .given(
        { type: 'ReferralRequested', data: { referralId: 'r1', patientId: 'wang', clinicId: 'c1', callerId: 'li', referred: { name: '李秘密', phone: '+86 137 8765 4321', relation: 'friend' } } },
        {
          type: 'AppointmentBooked',
          data: { appointmentId: 'a1', patientId: 'friend', clinicId: 'c1', scheduledFor: '2026-11-30T02:00:00Z', callerId: 'li', referralId: 'r1', referrerPatientId: 'wang' },
        },
        { type: 'ReferralRequested', data: { referralId: 'r2', patientId: 'friend', clinicId: 'c1', callerId: 'li', referred: { name: '张三' } } },
        { type: 'PersonalDataErased', data: { patientId: 'wang', clinicId: 'c1', reason: 'the patient asked to be forgotten' } },
      )
      .then({
        timeline_entries: [
          {
            patient_id: 'friend',
            position: 2,
            type: 'AppointmentBooked',
            summary: 'Appointment a1 booked by li for 2026-11-30T02:00:00Z, converting referral r1 from wang',
            redacted_summary: null,
            ids: '{"appointmentId":"a1","referralId":"r1","referrerPatientId":"wang"}',
          },
          // Another patient's referral keeps the name it holds.
          { patient_id: 'friend', position: 3, type: 'ReferralRequested', summary: 'Referral r2 asked for by li: 张三', redacted_summary: 'Referral r2 asked for by li' },
          { patient_id: 'wang', position: 1, event_id: 'event-1', type: 'ReferralRequested', summary: 'Referral r1 asked for by li', redacted_summary: null, ids: '{"referralId":"r1"}' },
          {
            patient_id: 'wang',
            position: 2,
            event_id: 'event-2',
            type: 'ReferralBooked',
            at: recordedAt(2),
            summary: 'Referral r1: friend booked appointment a1 for 2026-11-30T02:00:00Z',
            ids: '{"appointmentId":"a1","referralId":"r1","referrerPatientId":"wang","referredPatientId":"friend"}',
          },
          {
            patient_id: 'wang',
            position: 4,
            type: 'PersonalDataErased',
            at: recordedAt(4),
            summary: 'Personal data erased (names and phone numbers can no longer be read): the patient asked to be forgotten',
            redacted_summary: null,
          },
        ],
      }));

  it('before an erasure, a summary naming a person keeps the one that does not beside it', () =>
    spec
      .given(
        { type: 'ReferralRequested', data: { referralId: 'r1', patientId: 'wang', clinicId: 'c1', callerId: 'li' } },
        { type: 'ReferralRequested', data: { referralId: 'r2', patientId: 'wang', clinicId: 'c1', callerId: 'li', referred: { name: '李秘密' } } },
        { type: 'ReferralRequested', data: { referralId: 'r3', patientId: 'wang', clinicId: 'c1', callerId: 'li', referred: { relation: 'colleague' } } },
      )
      .then({
        timeline_entries: [
          // Nobody named: nothing to redact.
          { position: 1, summary: 'Referral r1 asked for by li', redacted_summary: null },
          { position: 2, summary: 'Referral r2 asked for by li: 李秘密', redacted_summary: 'Referral r2 asked for by li' },
          // The relation goes too.
          { position: 3, summary: 'Referral r3 asked for by li: a colleague', redacted_summary: 'Referral r3 asked for by li' },
        ],
      }));

  it('a correction is an entry of its own and the entry it corrects points at it, once per correction, before and after an erasure', () =>
    spec
      .given(
        call('p1.call1', { followUpId: undefined, startedAt: '2026-11-23T01:50:00Z' }),
        {
          type: 'CallRecordCorrected',
          data: { correctionId: 'p1.corr1', patientId: 'p1', clinicId: 'c1', correctsEventId: 'event-1', reason: 'typed the wrong outcome', corrected: { outcome: 'reached' }, previous: { outcome: 'no_answer' }, callId: 'p1.call1', callerId: 'zhang' },
          metadata: { actor: { userId: 'manager-wu' } },
        },
        {
          type: 'CallRecordCorrected',
          data: { correctionId: 'p1.corr2', patientId: 'p1', clinicId: 'c1', correctsEventId: 'event-1', reason: 'more detail', corrected: { notes: 'left a message' }, previous: {}, callId: 'p1.call1', callerId: 'zhang' },
        },
        { type: 'ReferralRequested', data: { referralId: 'r1', patientId: 'p1', clinicId: 'c1', callerId: 'zhang', referred: { name: '李秘密' } } },
        { type: 'ReferralRecordCorrected', data: { correctionId: 'p1.corr3', patientId: 'p1', clinicId: 'c1', correctsEventId: 'event-4', reason: 'added the note', corrected: { note: 'from work' }, previous: {}, referralId: 'r1' } },
        { type: 'PersonalDataErased', data: { patientId: 'p1', clinicId: 'c1', reason: 'asked' } },
        { type: 'ReferralRecordCorrected', data: { correctionId: 'p1.corr4', patientId: 'p1', clinicId: 'c1', correctsEventId: 'event-4', reason: 'typo', corrected: { note: 'from the gym' }, previous: { note: 'from work' }, referralId: 'r1' } },
      )
      .then({
        timeline_entries: [
          { position: 1, type: 'CallAttempted', summary: 'Call by zhang: no answer [corrected: see p1.corr1] [corrected: see p1.corr2]', redacted_summary: null },
          {
            position: 2,
            event_id: 'event-2',
            type: 'CallRecordCorrected',
            at: recordedAt(2),
            summary: 'Correction of call p1.call1 by manager-wu: outcome no answer → reached. Reason: typed the wrong outcome',
            redacted_summary: null,
            ids: '{"correctionId":"p1.corr1","correctsEventId":"event-1","callId":"p1.call1"}',
          },
          { position: 3, type: 'CallRecordCorrected', summary: 'Correction of call p1.call1: notes — → left a message. Reason: more detail' },
          // Corrected before the erasure (both texts noted), erased (the redacted one kept), corrected again.
          { position: 4, type: 'ReferralRequested', summary: 'Referral r1 asked for by zhang [corrected: see p1.corr3] [corrected: see p1.corr4]', redacted_summary: null },
          { position: 5, type: 'ReferralRecordCorrected', summary: 'Correction of referral r1: note — → from work. Reason: added the note', ids: '{"correctionId":"p1.corr3","correctsEventId":"event-4","referralId":"r1"}' },
          { position: 6, type: 'PersonalDataErased' },
          { position: 7, type: 'ReferralRecordCorrected', summary: 'Correction of referral r1: note from work → from the gym. Reason: typo' },
        ],
      }));

  it('a correction before the erasure notes the redacted text too', () =>
    spec
      .given(
        { type: 'ReferralRequested', data: { referralId: 'r1', patientId: 'p1', clinicId: 'c1', callerId: 'zhang', referred: { name: '李秘密' } } },
        { type: 'ReferralRecordCorrected', data: { correctionId: 'p1.corr1', patientId: 'p1', clinicId: 'c1', correctsEventId: 'event-1', reason: 'added the note', corrected: { note: 'from work' }, previous: {}, referralId: 'r1' } },
      )
      .then({
        timeline_entries: [
          { position: 1, summary: 'Referral r1 asked for by zhang: 李秘密 [corrected: see p1.corr1]', redacted_summary: 'Referral r1 asked for by zhang [corrected: see p1.corr1]' },
          { position: 2, type: 'ReferralRecordCorrected' },
        ],
      }));

  it('a booking a referral brought is corrected on both timelines that show it', () =>
    spec
      .given(
        {
          type: 'AppointmentBooked',
          data: { appointmentId: 'a1', patientId: 'friend', clinicId: 'c1', scheduledFor: '2026-11-30T02:00:00Z', referralId: 'r1', referrerPatientId: 'wang' },
        },
        {
          type: 'AppointmentRecordCorrected',
          data: {
            correctionId: 'friend.corr1',
            patientId: 'friend',
            clinicId: 'c1',
            correctsEventId: 'event-1',
            reason: 'moved by phone',
            corrected: { scheduledFor: '2026-12-01T02:00:00Z' },
            previous: { scheduledFor: '2026-11-30T02:00:00Z' },
            appointmentId: 'a1',
          },
        },
      )
      .then({
        timeline_entries: [
          { patient_id: 'friend', position: 1, summary: 'Appointment a1 booked for 2026-11-30T02:00:00Z, converting referral r1 from wang [corrected: see friend.corr1]' },
          {
            patient_id: 'friend',
            position: 2,
            summary: 'Correction of appointment a1: scheduledFor 2026-11-30T02:00:00Z → 2026-12-01T02:00:00Z. Reason: moved by phone',
            ids: '{"correctionId":"friend.corr1","correctsEventId":"event-1","appointmentId":"a1"}',
          },
          { patient_id: 'wang', position: 1, type: 'ReferralBooked', summary: 'Referral r1: friend booked appointment a1 for 2026-11-30T02:00:00Z [corrected: see friend.corr1]' },
        ],
      }));

  it('stops at a fact whose time cannot be read', () =>
    spec
      .given(
        { type: 'InquiryReceived', data: { inquiryId: 'i1', patientId: 'p1', clinicId: 'c1', receivedAt: '2026-11-22T09:00:00Z' } },
        { type: 'TreatmentCompleted', data: { treatmentId: 't1', patientId: 'p1', clinicId: 'c1', doctorId: 'dr-li', procedure: 'extraction', completedAt: 'yesterday' } },
      )
      .thenFailsAt(2, /TreatmentCompleted time is not an instant/));

  it('stops at a call whose start cannot be read, before it is counted', () =>
    spec.given(call('p1.call1'), call('p1.call2', { startedAt: 'just now' })).thenFailsAt(2, /CallAttempted time is not an instant/));
});
