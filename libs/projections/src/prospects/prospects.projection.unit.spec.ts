import { projectionSpec } from '../../test/projection-spec';
import { prospectsProjection } from './prospects.projection';

const spec = projectionSpec(prospectsProjection);
const origin = { protocolVersion: 1, ruleId: 'prospect', stepId: 'call_1' };
const inquiry = (inquiryId: string, receivedAt: string) => ({ type: 'InquiryReceived', data: { inquiryId, patientId: 'p', clinicId: 'c', receivedAt, channel: 'web' } }) as const;
const prospectCall = (followUpId: string, inquiryId: string) =>
  ({ type: 'FollowUpScheduled', data: { followUpId, patientId: 'p', clinicId: 'c', kind: 'prospect', callNumber: 1, inquiryId, purpose: 'x', dueAt: '2026-11-24T02:30:00Z', urgent: false, origin } }) as const;
const call = (callId: string, followUpId: string, startedAt: string, outcome: 'reached' | 'no_answer') =>
  ({ type: 'CallAttempted', data: { callId, patientId: 'p', clinicId: 'c', callerId: 'li', followUpId, startedAt, outcome } }) as const;

describe('prospects projection', () => {
  it('an inquiry’s first call is its earliest, also when typed in late; reached when any call reached', () =>
    spec
      .given(inquiry('i1', '2026-11-23T05:00:00Z'), prospectCall('f1', 'i1'), call('k2', 'f1', '2026-11-24T08:00:00Z', 'reached'), call('k1', 'f1', '2026-11-24T03:00:00Z', 'no_answer'))
      .then({ report_inquiries: [{ inquiry_id: 'i1', channel: 'web', first_attempt_ms: Date.parse('2026-11-24T03:00:00Z'), reached: 1 }] }));

  it('a booking goes to the latest inquiry before it that has none, and the visit follows it', () =>
    spec
      .given(
        inquiry('i1', '2026-11-01T05:00:00Z'),
        inquiry('i2', '2026-11-20T05:00:00Z'),
        { type: 'AppointmentBooked', data: { appointmentId: 'a1', patientId: 'p', clinicId: 'c', scheduledFor: '2026-11-30T02:00:00Z' }, recordedAt: '2026-11-21T02:00:00Z' },
        { type: 'AppointmentAttended', data: { appointmentId: 'a1', patientId: 'p', clinicId: 'c', at: '2026-11-30T02:00:00Z' } },
      )
      .then({
        report_inquiries: [
          { inquiry_id: 'i1', appointment_id: null, attended: 0 },
          { inquiry_id: 'i2', appointment_id: 'a1', booked_ms: Date.parse('2026-11-21T02:00:00Z'), attended: 1 },
        ],
      }));

  it('a corrected outcome changes whether the inquiry reached the person', () =>
    spec
      .given(inquiry('i1', '2026-11-23T05:00:00Z'), prospectCall('f1', 'i1'), call('k1', 'f1', '2026-11-24T03:00:00Z', 'reached'), {
        type: 'CallRecordCorrected',
        data: { correctionId: 'x', patientId: 'p', clinicId: 'c', correctsEventId: 'event-3', reason: 'voicemail', corrected: { outcome: 'no_answer' }, previous: { outcome: 'reached' }, callId: 'k1', callerId: 'li', followUpId: 'f1' },
      })
      .then({ report_inquiries: [{ inquiry_id: 'i1', reached: 0, first_attempt_ms: Date.parse('2026-11-24T03:00:00Z') }] }));

  it('stops at an inquiry whose time cannot be read', () => spec.given(inquiry('i1', 'tuesday')).thenFailsAt(1, /receivedAt is not an instant/));
});
