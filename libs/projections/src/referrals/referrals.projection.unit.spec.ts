import { projectionSpec } from '../../test/projection-spec';
import { referralsProjection } from './referrals.projection';

const spec = projectionSpec(referralsProjection);
const asked = { type: 'ReferralRequested', data: { referralId: 'r1', patientId: 'wang', clinicId: 'c1', callerId: 'li' }, recordedAt: '2026-11-23T02:00:00Z' } as const;
const booked = (appointmentId: string, at: string) =>
  ({ type: 'AppointmentBooked', data: { appointmentId, patientId: 'friend', clinicId: 'c1', scheduledFor: '2026-11-30T02:00:00Z', referralId: 'r1', referrerPatientId: 'wang' }, recordedAt: at }) as const;

describe('referrals projection', () => {
  it('follows a referral to the first booking it brought and that booking’s visit', () =>
    spec
      .given(asked, booked('a1', '2026-11-24T02:00:00Z'), booked('a2', '2026-11-25T02:00:00Z'), {
        type: 'AppointmentAttended',
        data: { appointmentId: 'a1', patientId: 'friend', clinicId: 'c1', at: '2026-11-30T02:05:00Z' },
      })
      .then({
        report_referrals: [{ referral_id: 'r1', referrer_id: 'wang', appointment_id: 'a1', referred_patient_id: 'friend', booked_ms: Date.parse('2026-11-24T02:00:00Z'), attended_ms: Date.parse('2026-11-30T02:05:00Z') }],
        report_referral_bookings: [
          { appointment_id: 'a1', referral_id: 'r1' },
          { appointment_id: 'a2', referral_id: 'r1' },
        ],
      }));

  it('a visit to a later booking of the same referral counts when the first was never attended', () =>
    spec
      .given(asked, booked('a1', '2026-11-24T02:00:00Z'), booked('a2', '2026-11-25T02:00:00Z'), {
        type: 'AppointmentAttended',
        data: { appointmentId: 'a2', patientId: 'friend', clinicId: 'c1', at: '2026-12-01T02:00:00Z' },
      })
      .then({ report_referrals: [{ referral_id: 'r1', appointment_id: 'a1', attended_ms: Date.parse('2026-12-01T02:00:00Z') }] }));

  it('ignores bookings without a referral and visits to them', () =>
    spec
      .given(
        { type: 'AppointmentBooked', data: { appointmentId: 'a9', patientId: 'p', clinicId: 'c1', scheduledFor: '2026-11-30T02:00:00Z' } },
        { type: 'AppointmentAttended', data: { appointmentId: 'a9', patientId: 'p', clinicId: 'c1', at: '2026-11-30T02:00:00Z' } },
      )
      .then({ report_referrals: [], report_referral_bookings: [] }));

  it('stops at a visit whose time cannot be read', () =>
    spec
      .given(asked, booked('a1', '2026-11-24T02:00:00Z'), { type: 'AppointmentAttended', data: { appointmentId: 'a1', patientId: 'friend', clinicId: 'c1', at: 'yesterday' } })
      .thenFailsAt(3, /at is not an instant/));
});
