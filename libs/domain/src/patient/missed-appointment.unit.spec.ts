/**
 * MissAppointment (seed 000: 治疗中未按预约时间复诊的患者,一小时内致电患者): the missed visit is
 * recorded with an urgent call, due at once, to ask why and book again. Shanghai clinic.
 */
import { booked, closed, fu, PURPOSE } from '../../test/engine-fixtures';
import { at, clinic, CLINIC_ID, PATIENT_ID, spec, TREATED } from '../../test/patient-fixtures';
import type { PatientEvent } from '../events';
import { DEFAULT_PROTOCOL } from '../protocol/default-protocol';
import type { AttendAppointment, MissAppointment } from './patient.commands';

const P = PATIENT_ID;
const APT = `${P}.apt6`;
/** TREATED (fu1…fu5) and a visit booked for Mon 2026-11-30 10:00 local (02:00Z). */
const BOOKED: PatientEvent[] = [...TREATED, booked(P, 6, '2026-11-30T02:00:00Z')];
const miss = (data: Partial<MissAppointment['data']> = {}): MissAppointment => ({ type: 'MissAppointment', data: { appointmentId: APT, patientId: P, at: '2026-11-30T02:20:00Z', ...data } });
const NOW = at('2026-11-30T02:25:00Z');
const missed = (atInstant = '2026-11-30T02:20:00Z'): PatientEvent => ({ type: 'AppointmentMissed', data: { appointmentId: APT, patientId: P, clinicId: CLINIC_ID, at: atInstant } });
const urgentCall = (n: number, dueAt: string, extra = {}) =>
  fu(P, n, 'missed_appointment', 'within_1h', dueAt, PURPOSE.missed, { kind: 'missed_appointment', appointmentId: APT, urgent: true, ...extra });

describe('MissAppointment', () => {
  it('records the miss and an urgent call due at once, outside the windows (10:20 local)', () => {
    spec(BOOKED).when(miss(), NOW).then([missed(), urgentCall(7, '2026-11-30T02:20:00Z')]);
  });

  it('spells at in UTC', () => {
    spec(BOOKED).when(miss({ at: '2026-11-30T10:20:00+08:00' }), NOW).then([missed(), urgentCall(7, '2026-11-30T02:20:00Z')]);
  });

  it('follows the clinic’s own rule and stamps its version (a call 30 minutes on)', () => {
    const own = { ...DEFAULT_PROTOCOL, version: 5, missedAppointment: { id: 'no_show', step: { id: 'half_hour', timing: { kind: 'urgent' as const, afterMinutes: 30 }, purpose: 'Ring the no-show' } } };
    spec(BOOKED)
      .when(miss(), at('2026-11-30T02:25:00Z', clinic({ protocol: own })))
      .then([
        missed(),
        fu(P, 7, 'no_show', 'half_hour', '2026-11-30T02:50:00Z', 'Ring the no-show', {
          kind: 'missed_appointment',
          appointmentId: APT,
          urgent: true,
          origin: { protocolVersion: 5, ruleId: 'no_show', stepId: 'half_hour' },
        }),
      ]);
  });

  it('records nothing when the same miss is reported again', () => {
    spec([...BOOKED, missed(), urgentCall(7, '2026-11-30T02:20:00Z')]).when(miss(), NOW).thenNothing();
  });

  it('a booking afterwards closes the open missed-visit call as booked', () => {
    spec([...BOOKED, missed(), urgentCall(7, '2026-11-30T02:20:00Z')])
      .when({ type: 'BookAppointment', data: { patientId: P, clinicId: CLINIC_ID, scheduledFor: '2026-12-02T02:00:00Z' } }, NOW)
      .then([booked(P, 8, '2026-12-02T02:00:00Z'), closed(`${P}.fu7`, 'booked', 0, { appointmentId: `${P}.apt8` })]);
  });

  describe('refusals', () => {
    it('an appointment the patient does not have: not found', () => {
      const refusal = spec(BOOKED).when(miss({ appointmentId: `${P}.apt99` }), NOW).thenRefuses('unknown_appointment', 'not_found');
      expect(refusal.message).toContain('p1.apt99');
    });

    it('a patient with no record: not found', () => {
      spec([]).when(miss({ patientId: 'p9', appointmentId: 'p9.apt1' }), NOW).thenRefuses('unknown_patient', 'not_found');
    });

    it('a miss before the booked time', () => {
      spec(BOOKED).when(miss({ at: '2026-11-30T01:59:59Z' }), NOW).thenRefuses('appointment_not_yet_due', 'rule');
    });

    it('a miss in the future', () => {
      spec(BOOKED).when(miss({ at: '2026-11-30T02:30:01Z' }), NOW).thenRefuses('claimed_time_in_future');
    });

    it('a second miss of the same visit at another time: a conflict', () => {
      spec([...BOOKED, missed(), urgentCall(7, '2026-11-30T02:20:00Z')]).when(miss({ at: '2026-11-30T02:21:00Z' }), NOW).thenRefuses('appointment_already_missed', 'conflict');
    });
  });
});

describe('AttendAppointment (复诊: the patient came)', () => {
  const attend = (atInstant = '2026-11-30T02:05:00Z'): AttendAppointment => ({ type: 'AttendAppointment', data: { appointmentId: APT, patientId: P, at: atInstant } });
  const attended = (atInstant = '2026-11-30T02:05:00Z'): PatientEvent => ({ type: 'AppointmentAttended', data: { appointmentId: APT, patientId: P, clinicId: CLINIC_ID, at: atInstant } });

  it('records the visit, and the same visit again records nothing', () => {
    spec(BOOKED).when(attend(), NOW).then([attended()]);
    spec([...BOOKED, attended()]).when(attend(), NOW).then([]);
  });

  it('closes the appointment: a second outcome on it is refused, either way round', () => {
    spec([...BOOKED, attended()]).when(attend('2026-11-30T02:10:00Z'), NOW).thenRefuses('appointment_closed');
    spec([...BOOKED, attended()]).when(miss(), NOW).thenRefuses('appointment_closed');
    spec([...BOOKED, missed()]).when(attend(), NOW).thenRefuses('appointment_closed');
  });

  it('reads the booked time as corrected: a visit moved earlier can be attended (or missed) at its new time', () => {
    const moved: PatientEvent = {
      type: 'AppointmentRecordCorrected',
      data: { correctionId: `${P}.cor7`, patientId: P, clinicId: CLINIC_ID, correctsEventId: 'e-apt6', reason: 'wrong day', corrected: { scheduledFor: '2026-11-29T02:00:00Z' }, previous: { scheduledFor: '2026-11-30T02:00:00Z' }, appointmentId: APT },
    };
    spec([...BOOKED, moved]).when(attend('2026-11-29T02:05:00Z'), NOW).then([attended('2026-11-29T02:05:00Z')]);
    spec([...BOOKED, moved]).when(miss({ at: '2026-11-29T02:30:00Z' }), NOW).then([missed('2026-11-29T02:30:00Z'), urgentCall(8, '2026-11-29T02:30:00Z')]);
  });

  it('refuses a visit in the future, long before the booked time, or of an appointment the patient does not have', () => {
    spec(BOOKED).when(attend('2026-11-30T03:00:00Z'), NOW).thenRefuses('claimed_time_in_future');
    spec(BOOKED).when(attend('2026-11-29T12:00:00Z'), NOW).thenRefuses('attended_before_booked');
    spec(TREATED).when(attend(), NOW).thenRefuses('unknown_appointment');
  });
});

