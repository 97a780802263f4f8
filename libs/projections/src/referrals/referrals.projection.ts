import { epochMs } from '../runtime/instants';
import type { ProjectedEvent } from '../runtime/projection';
import { patched, put, RowChange, Projection, RowReader, tableSpec } from '../runtime/row-projection';

/** Referrals and what became of them, for the referrals report: asked → booked → visited. */
export const referralsProjection: Projection = {
  name: 'referrals',
  version: 2,
  tables: ['report_referrals', 'report_referral_bookings'],
  schema: [
    tableSpec({
      name: 'report_referrals',
      columns: {
        referral_id: 'text',
        clinic_id: 'text',
        referrer_id: 'text',
        requested_ms: 'bigint',
        appointment_id: 'text?',
        referred_patient_id: 'text?',
        booked_ms: 'bigint?',
        attended_ms: 'bigint?',
      },
      key: ['referral_id'],
      // Covering for the report (it lists every chain of the range): read from the index alone.
      indexes: [{ name: 'report_referrals_by_time', columns: ['clinic_id', 'requested_ms', 'referral_id', 'referrer_id', 'referred_patient_id', 'appointment_id', 'booked_ms', 'attended_ms'] }],
    }),
    tableSpec({ name: 'report_referral_bookings', columns: { appointment_id: 'text', referral_id: 'text' }, key: ['appointment_id'] }),
  ],

  project(event: ProjectedEvent, rows: RowReader): RowChange[] {
    switch (event.type) {
      case 'ReferralRequested': {
        const d = event.data;
        if (rows.get('report_referrals', { referral_id: d.referralId })) return [];
        return [
          put('report_referrals', { referral_id: d.referralId, clinic_id: d.clinicId, referrer_id: d.patientId, requested_ms: event.recordedAtMs, appointment_id: null, referred_patient_id: null, booked_ms: null, attended_ms: null }),
        ];
      }
      case 'AppointmentBooked': {
        const d = event.data;
        if (!d.referralId || !d.referrerPatientId) return [];
        const changes: RowChange[] = [];
        if (!rows.get('report_referral_bookings', { appointment_id: d.appointmentId })) {
          changes.push(put('report_referral_bookings', { appointment_id: d.appointmentId, referral_id: d.referralId }));
        }
        // The first booking that carries the referral is the one it brought.
        const referral = rows.get('report_referrals', { referral_id: d.referralId });
        if (referral && referral.appointment_id === null) {
          changes.push(patched('report_referrals', referral, { appointment_id: d.appointmentId, referred_patient_id: d.patientId, booked_ms: event.recordedAtMs }));
        }
        return changes;
      }
      case 'AppointmentAttended': {
        const booking = rows.get('report_referral_bookings', { appointment_id: event.data.appointmentId });
        const referral = booking && rows.get('report_referrals', { referral_id: booking.referral_id });
        if (!referral || referral.attended_ms !== null) return [];
        return [patched('report_referrals', referral, { attended_ms: epochMs(event.data.at, 'at') })];
      }
      default:
        return [];
    }
  },
};
