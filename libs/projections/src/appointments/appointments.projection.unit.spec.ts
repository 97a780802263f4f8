import { GivenEvent, projectionSpec } from '../../test/projection-spec';
import { appointmentsProjection } from './appointments.projection';

const spec = projectionSpec(appointmentsProjection);
const ms = (iso: string) => Date.parse(iso);
const booked = (appointmentId: string, scheduledFor: string, recordedAt: string, patientId = 'p1'): GivenEvent => ({
  type: 'AppointmentBooked',
  data: { appointmentId, patientId, clinicId: 'c1', scheduledFor },
  recordedAt,
});
const moved = (appointmentId: string, scheduledFor: unknown): GivenEvent => ({
  type: 'AppointmentRecordCorrected',
  data: { appointmentId, correctionId: `fix-${appointmentId}`, patientId: 'p1', clinicId: 'c1', correctsEventId: 'event-1', reason: 'wrong day', corrected: { scheduledFor } as never, previous: {} },
});
const outcome = (type: 'AppointmentAttended' | 'AppointmentMissed', appointmentId: string, at: string): GivenEvent => ({ type, data: { appointmentId, patientId: 'p1', clinicId: 'c1', at } });

describe('appointments projection', () => {
  it('each booking at its (corrected) time, with what became of it', () =>
    spec
      .given(
        booked('a1', '2026-11-30T02:00:00Z', '2026-11-24T02:00:00Z'),
        booked('a2', '2026-11-30T03:00:00Z', '2026-11-24T02:10:00Z', 'p2'),
        booked('a3', '2026-12-02T03:00:00Z', '2026-11-24T02:20:00Z'),
        moved('a1', '2026-12-01T06:00:00Z'),
        outcome('AppointmentAttended', 'a1', '2026-12-01T06:10:00Z'),
        outcome('AppointmentMissed', 'a2', '2026-11-30T04:00:00Z'),
      )
      .then({
        report_appointments: [
          { appointment_id: 'a1', clinic_id: 'c1', patient_id: 'p1', scheduled_ms: ms('2026-12-01T06:00:00Z'), booked_ms: ms('2026-11-24T02:00:00Z'), outcome: 'attended', outcome_ms: ms('2026-12-01T06:10:00Z') },
          { appointment_id: 'a2', clinic_id: 'c1', patient_id: 'p2', scheduled_ms: ms('2026-11-30T03:00:00Z'), booked_ms: ms('2026-11-24T02:10:00Z'), outcome: 'missed', outcome_ms: ms('2026-11-30T04:00:00Z') },
          { appointment_id: 'a3', clinic_id: 'c1', patient_id: 'p1', scheduled_ms: ms('2026-12-02T03:00:00Z'), booked_ms: ms('2026-11-24T02:20:00Z'), outcome: null, outcome_ms: null },
        ],
      }));

  it('the first booking under an id counts: the same id again keeps its time and outcome', () =>
    spec
      .given(
        booked('a1', '2026-11-30T02:00:00Z', '2026-11-24T02:00:00Z'),
        outcome('AppointmentMissed', 'a1', '2026-11-30T03:00:00Z'),
        booked('a1', '2026-12-07T02:00:00Z', '2026-11-25T02:00:00Z'),
      )
      .then({ report_appointments: [{ appointment_id: 'a1', scheduled_ms: ms('2026-11-30T02:00:00Z'), booked_ms: ms('2026-11-24T02:00:00Z'), outcome: 'missed', outcome_ms: ms('2026-11-30T03:00:00Z') }] }));

  it('a correction without a new time, and outcomes or corrections of unknown appointments, change nothing', () =>
    spec
      .given(booked('a1', '2026-11-30T02:00:00Z', '2026-11-24T02:00:00Z'), moved('a1', undefined), moved('a9', '2026-12-01T06:00:00Z'), outcome('AppointmentAttended', 'a9', '2026-12-01T06:10:00Z'))
      .then({ report_appointments: [{ appointment_id: 'a1', scheduled_ms: ms('2026-11-30T02:00:00Z'), outcome: null }] }));

  it('stops at a booking whose time cannot be read', () => spec.given(booked('a1', 'next Monday', '2026-11-24T02:00:00Z')).thenFailsAt(1, /scheduledFor is not an instant/));

  it('stops at a correction whose time cannot be read', () =>
    spec.given(booked('a1', '2026-11-30T02:00:00Z', '2026-11-24T02:00:00Z'), moved('a1', '2026-12-01')).thenFailsAt(2, /corrected\.scheduledFor is not an instant/));

  it('stops at an outcome whose time cannot be read', () =>
    spec.given(booked('a1', '2026-11-30T02:00:00Z', '2026-11-24T02:00:00Z'), outcome('AppointmentAttended', 'a1', 'today')).thenFailsAt(2, /^at is not an instant/));
});
