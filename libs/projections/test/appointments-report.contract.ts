import { currentRecord } from '@rapport/domain';
import { readAppointmentsReport } from '../src/appointments/appointments.query';
import type { ReadStoreTarget } from './read-store-targets';
import { REPORT_CLINIC as C, reportWeek, W48 } from './report-fixture';

const ms = (iso: string) => Date.parse(iso);

/**
 * The appointments report against a week worked out by hand (Asia/Shanghai, booked on Friday 20):
 * - A1 p1 Mon 23 10:00 local, attended (came at 09:55);
 * - A2 p2 Mon 23 15:00, missed;
 * - A3 p3 Wed 25 09:00, attended;
 * - A4 p1 Wed 25 23:30 local (15:30Z, still Wednesday there), no outcome yet;
 * - A5 p2 Sun 29 23:30 local (15:30Z), no outcome: the last half hour of the week;
 * - A6 p3 Mon 30 08:30 local: the next week, not counted;
 * - A7 p4 booked for Tue 1 December, corrected to Tue 24 10:00, then missed: counted on Tuesday.
 * So the week: booked 6 (A1–A5, A7), attended 2, missed 2, open 2; show rate 2 ÷ 4 = 0.5.
 * Monday: 2 booked, 1 attended, 1 missed (0.5); Tuesday: 1, 0, 1 (0); Wednesday: 2, 1, 0, open 1
 * (show rate 1); Sunday: 1, open 1 (no outcome: rates 0); the other days 0.
 */
export function appointmentsReportContract(target: ReadStoreTarget): void {
  describe(`the appointments report on ${target.name}`, () => {
    const week = reportWeek(target, ['p1', 'p2', 'p3', 'p4'], async (r, store) => {
      const book = async (patientId: string, scheduledFor: string) => {
        const events = await r.patient({ type: 'BookAppointment', data: { patientId, clinicId: C, scheduledFor } }, '2026-11-20T02:00:00Z');
        return events.find((e) => e.type === 'AppointmentBooked')!;
      };
      const a1 = await book('p1', '2026-11-23T02:00:00Z');
      const a2 = await book('p2', '2026-11-23T07:00:00Z');
      const a3 = await book('p3', '2026-11-25T01:00:00Z');
      await book('p1', '2026-11-25T15:30:00Z');
      await book('p2', '2026-11-29T15:30:00Z');
      await book('p3', '2026-11-30T00:30:00Z');
      const a7 = await book('p4', '2026-12-01T02:00:00Z');
      const id = (e: { data: Record<string, unknown> }) => String(e.data.appointmentId);
      await r.patient({ type: 'AttendAppointment', data: { patientId: 'p1', appointmentId: id(a1), at: '2026-11-23T01:55:00Z' } }, '2026-11-23T03:00:00Z');
      await r.patient({ type: 'MissAppointment', data: { patientId: 'p2', appointmentId: id(a2), at: '2026-11-23T07:30:00Z' } }, '2026-11-23T07:30:00Z');
      await r.patient({ type: 'AttendAppointment', data: { patientId: 'p3', appointmentId: id(a3), at: '2026-11-25T01:05:00Z' } }, '2026-11-25T02:00:00Z');
      const target7 = currentRecord(await store.readStream('patient-p4'), a7.eventId)!;
      await r.patient({ type: 'CorrectRecord', data: { patientId: 'p4', eventId: a7.eventId, reason: 'booked on the wrong day', changes: { scheduledFor: '2026-11-24T02:00:00Z' }, target: target7 } }, '2026-11-21T02:00:00Z');
      await r.patient({ type: 'MissAppointment', data: { patientId: 'p4', appointmentId: id(a7), at: '2026-11-24T03:00:00Z' } }, '2026-11-24T03:00:00Z');
    });

    it('counts the week by outcome, in total and by local weekday of the booked time', async () => {
      const report = await readAppointmentsReport(week.models.db, C, W48);
      expect(report).toMatchObject({ clinicId: C, timeZone: 'Asia/Shanghai', booked: 6, attended: 2, missed: 2, open: 2, showRate: 0.5, noShowRate: 0.5 });
      const day = (weekday: number, booked: number, attended: number, missed: number) => {
        const closed = attended + missed;
        return { weekday, booked, attended, missed, open: booked - closed, showRate: closed ? attended / closed : 0, noShowRate: closed ? missed / closed : 0 };
      };
      expect(report.byWeekday).toEqual([day(1, 2, 1, 1), day(2, 1, 0, 1), day(3, 2, 1, 0), day(4, 0, 0, 0), day(5, 0, 0, 0), day(6, 0, 0, 0), day(7, 1, 0, 0)]);
    });

    it('takes the range half-open and anything unbounded: the next week adds A6', async () => {
      expect(await readAppointmentsReport(week.models.db, C, {})).toMatchObject({ booked: 7, open: 3 });
      expect(await readAppointmentsReport(week.models.db, C, { fromMs: ms('2026-11-29T15:30:00Z'), toMs: ms('2026-11-29T15:30:01Z') })).toMatchObject({ booked: 1, open: 1 });
      expect(await readAppointmentsReport(week.models.db, C, { fromMs: ms('2026-11-29T15:30:01Z'), toMs: W48.toMs })).toMatchObject({ booked: 0, showRate: 0 });
    });
  });
}
