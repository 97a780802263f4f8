/**
 * BookAppointment: a conversion, for a known patient or a new one, optionally converting a
 * referral another patient made (the application resolves the referrer from the referral id).
 */
import { at, clinic, CLINIC_ID, NOW, PATIENT_ID, spec, TREATED, UNCONFIGURED } from '../../test/patient-fixtures';
import type { AppointmentBooked, PatientEvent } from '../events';
import type { BookAppointment } from './patient.commands';

const WHEN = '2026-11-30T02:00:00Z';

const book = (data: Partial<BookAppointment['data']> = {}): BookAppointment => ({
  type: 'BookAppointment',
  data: { patientId: PATIENT_ID, clinicId: CLINIC_ID, scheduledFor: WHEN, ...data },
});
const booked = (appointmentId: string, data: Partial<AppointmentBooked['data']> = {}): AppointmentBooked => ({
  type: 'AppointmentBooked',
  data: { patientId: PATIENT_ID, clinicId: CLINIC_ID, scheduledFor: WHEN, appointmentId, ...data },
});

describe('BookAppointment', () => {
  it('books a known patient with a server-made id', () => {
    spec(TREATED).when(book({ callerId: 'nurse1' })).then([booked('p1.apt6', { callerId: 'nurse1' })]);
  });

  it('books on a follow-up call, open or closed', () => {
    const closedFu1: PatientEvent[] = [
      ...TREATED,
      { type: 'CallAttempted', data: { callId: 'p1.call6', patientId: PATIENT_ID, clinicId: CLINIC_ID, callerId: 'nurse1', followUpId: 'p1.fu1', startedAt: '2026-11-23T06:55:00Z', outcome: 'reached' } },
      { type: 'FollowUpClosed', data: { followUpId: 'p1.fu1', patientId: PATIENT_ID, clinicId: CLINIC_ID, reason: 'completed', attempts: 1, callId: 'p1.call6' } },
    ];
    spec(closedFu1).when(book({ followUpId: 'p1.fu1', callerId: 'nurse1' })).then([booked('p1.apt7', { followUpId: 'p1.fu1', callerId: 'nurse1' })]);
  });

  it('spells scheduledFor in UTC', () => {
    spec(TREATED).when(book({ scheduledFor: '2026-11-30T10:00:00+08:00' })).then([booked('p1.apt6')]);
  });

  it('books a new patient (no stream yet) at a configured clinic', () => {
    spec([]).when(book({ patientId: 'p9' })).then([booked('p9.apt1', { patientId: 'p9' })]);
  });

  describe('refusals', () => {
    it('a time already past', () => {
      spec(TREATED).when(book({ scheduledFor: '2026-11-23T06:59:59Z' })).thenRefuses('appointment_in_past', 'rule');
    });

    it('a time equal to now', () => {
      spec(TREATED).when(book({ scheduledFor: NOW })).thenRefuses('appointment_in_past');
    });

    it('an unconfigured clinic, for a new patient', () => {
      spec([]).when(book({ patientId: 'p9' }), at(NOW, UNCONFIGURED)).thenRefuses('clinic_not_configured');
    });

    it('a clinic other than the configured one in the context', () => {
      spec([]).when(book({ patientId: 'p9', clinicId: 'c2' })).thenRefuses('clinic_not_configured');
    });

    it('a patient of another clinic', () => {
      spec(TREATED).when(book({ clinicId: 'c2' }), at(NOW, clinic({ clinicId: 'c2' }))).thenRefuses('patient_in_other_clinic', 'conflict');
    });

    it('a follow-up the patient does not have', () => {
      spec(TREATED).when(book({ followUpId: 'p1.fu42' })).thenRefuses('unknown_follow_up');
    });

    it('a follow-up for a new patient, who has none', () => {
      spec([]).when(book({ patientId: 'p9', followUpId: 'p1.fu1' })).thenRefuses('unknown_follow_up');
    });
  });

  describe('converting a referral', () => {
    it('carries the referral and the referrer who gets the credit', () => {
      spec([])
        .when(book({ patientId: 'p9', referralId: 'p1.ref6', referrerPatientId: 'p1', callerId: 'nurse1' }))
        .then([booked('p9.apt1', { patientId: 'p9', referralId: 'p1.ref6', referrerPatientId: 'p1', callerId: 'nurse1' })]);
    });

    it('refuses a referral the application could not resolve to a referrer', () => {
      const refusal = spec([]).when(book({ patientId: 'p9', referralId: 'p1.ref99' })).thenRefuses('unknown_referral');
      expect(refusal.message).toContain('p1.ref99');
    });

    it('refuses a patient converting their own referral', () => {
      spec(TREATED).when(book({ referralId: 'p1.ref6', referrerPatientId: PATIENT_ID })).thenRefuses('self_referral');
    });
  });
});
