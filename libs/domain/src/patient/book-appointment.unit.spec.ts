/**
 * BookAppointment: a conversion, for a known patient or a new one, optionally converting a
 * referral another patient made (the application resolves the referrer from the referral id).
 */
import { at, clinic, CLINIC_ID, NOW, PATIENT_ID, spec, TREATED, UNCONFIGURED } from '../../test/patient-fixtures';
import type { AppointmentBooked, PatientEvent } from '../events';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import type { BookAppointment, PatientCommand } from './patient.commands';
import { patientDecider } from './patient.decider';

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
    spec(closedFu1)
      .when(book({ followUpId: 'p1.fu1', callerId: 'nurse1' }))
      .then([booked('p1.apt7', { followUpId: 'p1.fu1', callerId: 'nurse1', attributedCallId: 'p1.call6', attribution: 'named_follow_up' })]);
  });

  describe('credits the reached call that led to it (a call earns one booking at most)', () => {
    const call = (n: number, callerId: string, startedAt: string, outcome: 'reached' | 'no_answer' = 'reached', followUpId?: string): PatientEvent => ({
      type: 'CallAttempted',
      data: { callId: `p1.call${n}`, patientId: PATIENT_ID, clinicId: CLINIC_ID, callerId, startedAt, outcome, ...(followUpId ? { followUpId } : {}) },
    });
    // NOW is 2026-11-23T07:00:00Z: call 9 is older than 14 days.
    const calls = [
      ...TREATED,
      call(6, 'nurse1', '2026-11-20T02:00:00Z'),
      call(7, 'nurse2', '2026-11-23T02:00:00Z'),
      call(8, 'nurse1', '2026-11-23T05:00:00Z', 'no_answer'),
      call(9, 'nurse1', '2026-11-01T02:00:00Z'),
    ];
    const credited = (data: Partial<AppointmentBooked['data']>) => [booked('p1.apt10', data)];

    it('the call it names', () => {
      spec(calls).when(book({ callId: 'p1.call9', callerId: 'nurse1' })).then(credited({ callerId: 'nurse1', attributedCallId: 'p1.call9', attribution: 'named_call' }));
    });

    it("the booking caller's latest reached call of the last 14 days (not an unreached one, not one from before)", () => {
      spec(calls).when(book({ callerId: 'nurse1' })).then(credited({ callerId: 'nurse1', attributedCallId: 'p1.call6', attribution: 'caller_recent' }));
    });

    it("anyone's latest reached call when no caller is named", () => {
      spec(calls).when(book()).then(credited({ attributedCallId: 'p1.call7', attribution: 'recent' }));
    });

    it('nobody when no reached call of that caller is recent enough, and never a call already credited', () => {
      spec(calls).when(book({ callerId: 'desk-wang' })).then(credited({ callerId: 'desk-wang' }));
      const once: PatientEvent[] = [...calls, booked('p1.apt10', { callerId: 'nurse1', attributedCallId: 'p1.call6', attribution: 'caller_recent' })];
      spec(once).when(book({ callerId: 'nurse1', callId: 'p1.call6' })).then([booked('p1.apt11', { callerId: 'nurse1' })]);
    });

    it('reads the call as corrected: a no_answer corrected to reached can earn the booking', () => {
      const corrected: PatientEvent[] = [
        ...calls,
        { type: 'CallRecordCorrected', data: { correctionId: 'p1.cor10', patientId: PATIENT_ID, clinicId: CLINIC_ID, correctsEventId: 'e8', reason: 'typed wrong', corrected: { outcome: 'reached' }, previous: { outcome: 'no_answer' }, callId: 'p1.call8', callerId: 'nurse1' } },
      ];
      spec(corrected).when(book({ callerId: 'nurse1' })).then([booked('p1.apt11', { callerId: 'nurse1', attributedCallId: 'p1.call8', attribution: 'caller_recent' })]);
    });

    it('refuses a call id the patient does not have', () => {
      spec(calls).when(book({ callId: 'p1.call99' })).thenRefuses('unknown_call');
    });
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

  it('never credits a call twice or a call that did not reach, whatever the calls and bookings (property)', () => {
    const callers = ['nurse1', 'nurse2', 'desk-wang'];
    const step = fc.oneof(
      fc.record({ kind: fc.constant('call' as const), callerId: fc.constantFrom(...callers), reached: fc.boolean(), minutesAgo: fc.integer({ min: 1, max: 30 * 24 * 60 }) }),
      fc.record({ kind: fc.constant('book' as const), callerId: fc.option(fc.constantFrom(...callers), { nil: undefined }), named: fc.option(fc.nat(20), { nil: undefined }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 25 }), (steps) => {
        let state = [...TREATED].reduce(patientDecider.evolve, patientDecider.initialState());
        const now = Temporal.Instant.from(NOW);
        const recorded: PatientEvent[] = [];
        for (const s of steps) {
          const known = [...state.calls.keys()];
          const command: PatientCommand =
            s.kind === 'call'
              ? { type: 'RecordCall', data: { patientId: PATIENT_ID, callerId: s.callerId, startedAt: now.subtract({ minutes: s.minutesAgo }).toString(), outcome: s.reached ? 'reached' : 'no_answer', ...(s.minutesAgo > 24 * 60 ? { lateEntryReason: 'typed in later' } : {}) } }
              : book({ ...(s.callerId ? { callerId: s.callerId } : {}), ...(s.named !== undefined && known.length > 0 ? { callId: known[s.named % known.length]! } : {}) });
          const events = patientDecider.decide(command, state, at(NOW));
          recorded.push(...events);
          state = events.reduce(patientDecider.evolve, state);
        }
        const credited = recorded.flatMap((e) => (e.type === 'AppointmentBooked' && e.data.attributedCallId ? [e.data.attributedCallId] : []));
        expect(new Set(credited).size).toBe(credited.length);
        for (const callId of credited) expect(state.calls.get(callId)?.outcome).toBe('reached');
      }),
    );
  });
});
