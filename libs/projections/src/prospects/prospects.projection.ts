import { epochMs } from '../runtime/instants';
import type { ProjectedEvent } from '../runtime/projection';
import { patched, put, RowChange, RowOf, Projection, RowReader, tableSpec } from '../runtime/row-projection';

type CallRow = RowOf<'report_inquiry_calls'>;

/**
 * The prospect funnel (seed 002: inquiries become visits in 35% or more of phone consultations;
 * §六 call while the need is strongest): per inquiry, when its prospect calls were first tried and
 * whether one reached the person (as corrected), the first booking the person made after the
 * inquiry, and whether they came.
 */
export const prospectsProjection: Projection = {
  name: 'prospects',
  version: 1,
  tables: ['report_inquiries', 'report_inquiry_follow_ups', 'report_inquiry_calls', 'report_inquiry_bookings'],
  schema: [
    tableSpec({
      name: 'report_inquiries',
      columns: {
        inquiry_id: 'text',
        clinic_id: 'text',
        patient_id: 'text',
        channel: 'text',
        received_ms: 'bigint',
        first_attempt_ms: 'bigint?',
        reached: 'integer',
        appointment_id: 'text?',
        booked_ms: 'bigint?',
        attended: 'integer',
      },
      key: ['inquiry_id'],
      indexes: [
        { name: 'report_inquiries_by_time', columns: ['clinic_id', 'received_ms'] },
        { name: 'report_inquiries_by_patient', columns: ['patient_id'] },
      ],
    }),
    tableSpec({ name: 'report_inquiry_follow_ups', columns: { follow_up_id: 'text', inquiry_id: 'text' }, key: ['follow_up_id'] }),
    tableSpec({
      name: 'report_inquiry_calls',
      columns: { call_id: 'text', inquiry_id: 'text', started_ms: 'bigint', outcome: 'text' },
      key: ['call_id'],
      indexes: [{ name: 'report_inquiry_calls_by_inquiry', columns: ['inquiry_id'] }],
    }),
    tableSpec({ name: 'report_inquiry_bookings', columns: { appointment_id: 'text', inquiry_id: 'text' }, key: ['appointment_id'] }),
  ],

  project(event: ProjectedEvent, rows: RowReader): RowChange[] {
    switch (event.type) {
      case 'InquiryReceived': {
        const d = event.data;
        if (rows.get('report_inquiries', { inquiry_id: d.inquiryId })) return [];
        return [
          put('report_inquiries', {
            inquiry_id: d.inquiryId,
            clinic_id: d.clinicId,
            patient_id: d.patientId,
            channel: d.channel ?? 'unspecified',
            received_ms: epochMs(d.receivedAt, 'receivedAt'),
            first_attempt_ms: null,
            reached: 0,
            appointment_id: null,
            booked_ms: null,
            attended: 0,
          }),
        ];
      }
      case 'FollowUpScheduled': {
        const d = event.data;
        if (!d.inquiryId || rows.get('report_inquiry_follow_ups', { follow_up_id: d.followUpId })) return [];
        return [put('report_inquiry_follow_ups', { follow_up_id: d.followUpId, inquiry_id: d.inquiryId })];
      }
      case 'CallAttempted': {
        const d = event.data;
        const link = d.followUpId ? rows.get('report_inquiry_follow_ups', { follow_up_id: d.followUpId }) : undefined;
        if (!link || rows.get('report_inquiry_calls', { call_id: d.callId })) return [];
        return changedCall(rows, { call_id: d.callId, inquiry_id: link.inquiry_id, started_ms: epochMs(d.startedAt, 'startedAt'), outcome: d.outcome });
      }
      case 'CallRecordCorrected': {
        const { corrected, callId } = event.data;
        const call = rows.get('report_inquiry_calls', { call_id: callId });
        if (!call || (corrected.outcome === undefined && corrected.startedAt === undefined)) return [];
        return changedCall(rows, {
          ...call,
          ...(corrected.outcome !== undefined ? { outcome: corrected.outcome } : {}),
          ...(corrected.startedAt !== undefined ? { started_ms: epochMs(corrected.startedAt, 'corrected.startedAt') } : {}),
        });
      }
      case 'AppointmentBooked': {
        const d = event.data;
        if (rows.get('report_inquiry_bookings', { appointment_id: d.appointmentId })) return [];
        // The latest inquiry before this booking that has not brought one yet.
        const inquiry = rows
          .find('report_inquiries', 'patient_id', d.patientId)
          .filter((i) => i.clinic_id === d.clinicId && i.appointment_id === null && i.received_ms <= event.recordedAtMs)
          .sort((a, b) => b.received_ms - a.received_ms)[0];
        if (!inquiry) return [];
        return [
          patched('report_inquiries', inquiry, { appointment_id: d.appointmentId, booked_ms: event.recordedAtMs }),
          put('report_inquiry_bookings', { appointment_id: d.appointmentId, inquiry_id: inquiry.inquiry_id }),
        ];
      }
      case 'AppointmentAttended': {
        const booking = rows.get('report_inquiry_bookings', { appointment_id: event.data.appointmentId });
        const inquiry = booking && rows.get('report_inquiries', { inquiry_id: booking.inquiry_id });
        if (!inquiry || inquiry.attended === 1) return [];
        return [patched('report_inquiries', inquiry, { attended: 1 })];
      }
      default:
        return [];
    }
  },
};

/** The call as it now stands, and the inquiry's first attempt and reach worked out again from all its calls. */
function changedCall(rows: RowReader, changed: CallRow): RowChange[] {
  const inquiry = rows.get('report_inquiries', { inquiry_id: changed.inquiry_id });
  const calls = [...rows.find('report_inquiry_calls', 'inquiry_id', changed.inquiry_id).filter((c) => c.call_id !== changed.call_id), changed];
  return [
    put('report_inquiry_calls', changed),
    ...(inquiry
      ? [patched('report_inquiries', inquiry, { first_attempt_ms: Math.min(...calls.map((c) => c.started_ms)), reached: calls.some((c) => c.outcome === 'reached') ? 1 : 0 })]
      : []),
  ];
}
