import { projectionSpec } from '../../test/projection-spec';
import { effectivenessProjection } from './effectiveness.projection';

const spec = projectionSpec(effectivenessProjection);
const origin = { protocolVersion: 1, ruleId: 'general', stepId: 'day_1' };
const treated = { type: 'TreatmentCompleted', data: { treatmentId: 't1', patientId: 'p', clinicId: 'c', doctorId: 'dr', procedure: 'scaling', completedAt: '2026-11-23T01:00:00Z' } } as const;
const scheduled = { type: 'FollowUpScheduled', data: { followUpId: 'f1', patientId: 'p', clinicId: 'c', treatmentId: 't1', purpose: 'day 1', dueAt: '2026-11-24T02:30:00Z', urgent: false, origin } } as const;
const call = (callId: string, outcome: 'reached' | 'no_answer', extra: object = {}) =>
  ({ type: 'CallAttempted', data: { callId, patientId: 'p', clinicId: 'c', callerId: 'li', followUpId: 'f1', startedAt: '2026-11-24T02:35:00Z', outcome, ...extra } }) as const;
const flags = (attempted: number, reached: number, booked: number, attended: number, complaints: number) => ({ attempted, reached, booked, attended, complaints });

describe('effectiveness projection', () => {
  it('a follow-up carries its treatment’s procedure and its rule and step', () =>
    spec.given(treated, scheduled).then({
      report_effectiveness: [{ follow_up_id: 'f1', procedure: 'scaling', rule_id: 'general', step_id: 'day_1', first_due_ms: Date.parse('2026-11-24T02:30:00Z'), ...flags(0, 0, 0, 0, 0) }],
    }));

  it('tried, reached, a complaint, a booking credited to one of its calls and the visit', () =>
    spec
      .given(treated, scheduled, call('k1', 'no_answer'), call('k2', 'reached', { complaint: true }), {
        type: 'AppointmentBooked',
        data: { appointmentId: 'a1', patientId: 'p', clinicId: 'c', scheduledFor: '2026-11-30T02:00:00Z', attributedCallId: 'k2', attribution: 'caller_recent' },
      }, { type: 'AppointmentAttended', data: { appointmentId: 'a1', patientId: 'p', clinicId: 'c', at: '2026-11-30T02:00:00Z' } })
      .then({
        report_effectiveness: [{ follow_up_id: 'f1', ...flags(1, 1, 1, 1, 1) }],
        report_effectiveness_calls: [
          { call_id: 'k1', outcome: 'no_answer', appointment_id: null },
          { call_id: 'k2', outcome: 'reached', appointment_id: 'a1', attended: 1, complaint: 1 },
        ],
      }));

  it('a corrected outcome and a corrected procedure move the follow-up', () =>
    spec
      .given(treated, scheduled, call('k1', 'reached'), {
        type: 'CallRecordCorrected',
        data: { correctionId: 'x1', patientId: 'p', clinicId: 'c', correctsEventId: 'event-3', reason: 'no', corrected: { outcome: 'no_answer' }, previous: { outcome: 'reached' }, callId: 'k1', callerId: 'li', followUpId: 'f1' },
      }, {
        type: 'TreatmentRecordCorrected',
        data: { correctionId: 'x2', patientId: 'p', clinicId: 'c', correctsEventId: 'event-1', reason: 'typo', corrected: { procedure: 'extraction' }, previous: { procedure: 'scaling' }, treatmentId: 't1' },
      })
      .then({ report_effectiveness: [{ follow_up_id: 'f1', procedure: 'extraction', ...flags(1, 0, 0, 0, 0) }] }));

  it('a booking’s credit goes when its call is corrected to one that reached nobody', () =>
    spec
      .given(treated, scheduled, call('k1', 'reached'), {
        type: 'AppointmentBooked',
        data: { appointmentId: 'a1', patientId: 'p', clinicId: 'c', scheduledFor: '2026-11-30T02:00:00Z', attributedCallId: 'k1', attribution: 'named_call' },
      }, {
        type: 'CallRecordCorrected',
        data: { correctionId: 'x1', patientId: 'p', clinicId: 'c', correctsEventId: 'event-3', reason: 'voicemail', corrected: { outcome: 'no_answer' }, previous: { outcome: 'reached' }, callId: 'k1', callerId: 'li', followUpId: 'f1' },
      })
      .then({ report_effectiveness: [{ follow_up_id: 'f1', ...flags(1, 0, 0, 0, 0) }], report_effectiveness_calls: [{ call_id: 'k1', appointment_id: 'a1', outcome: 'no_answer' }] }));

  it('leaves out doctors’ tasks and bookings credited to no call on a follow-up', () =>
    spec
      .given(
        treated,
        { type: 'FollowUpScheduled', data: { ...scheduled.data, followUpId: 'cb', kind: 'doctor_callback', assignee: { role: 'doctor', doctorId: 'dr' }, urgent: true } },
        { type: 'AppointmentBooked', data: { appointmentId: 'a9', patientId: 'p', clinicId: 'c', scheduledFor: '2026-11-30T02:00:00Z' } },
      )
      .then({ report_effectiveness: [], report_effectiveness_bookings: [] }));

  it('stops at a follow-up whose due time cannot be read', () => spec.given(treated, { type: 'FollowUpScheduled', data: { ...scheduled.data, dueAt: 'soon' } }).thenFailsAt(2, /dueAt is not an instant/));
});
