import { currentRecord } from '@rapport/domain';
import type { RecordedEvent } from '@rapport/event-store';
import { readDoctorsReport } from '../src/doctors/doctors.query';
import { readEffectivenessReport } from '../src/effectiveness/effectiveness.query';
import { readProspectsReport } from '../src/prospects/prospects.query';
import { readUrgentReport } from '../src/urgent/urgent.query';
import type { ReadStoreTarget } from './read-store-targets';
import { REPORT_CLINIC as C, reportWeek, W48 } from './report-fixture';

const idOf = (events: RecordedEvent[], type: string, field: string): string => String((events.find((e) => e.type === type)!.data as Record<string, unknown>)[field]);

/**
 * Issue 14's four analytics reports against one hand-worked week (2026-W48 in Shanghai; windows
 * 10:30 and 16:00 local = 02:30Z and 08:00Z), 26 commands through the domain:
 *
 *  1 a: extraction by dr-li, Mon 23 02:00Z → a.after_2h ⚡ due 04:00Z (deadline 05:00Z), a.week_1 due Mon 30 (next week)
 *  2 b: scaling by dr-wang, Mon 23 03:00Z → b.day_1 due Tue 24 02:30Z
 *  3 c: other by dr-li, Mon 23 06:00Z → c.day_1 Tue 24 02:30Z, c.day_3 Thu 26 02:30Z (day_7 and later: next week on)
 *  4 d: extraction by dr-li, Thu 26 02:00Z → d.after_2h ⚡ due 04:00Z, never called
 *  5 li calls a (a.after_2h) Mon 04:30Z: reached, satisfaction 4 — in time (deadline 05:00Z)
 *  6 li books a for Wed 25 02:00Z at Mon 04:40Z → credited to call 5 (a.after_2h)
 *  7 a misses it at Wed 25 03:00Z → a's missed-visit call ⚡ due 03:00Z, deadline 04:00Z
 *  8 li calls a on it Wed 06:00Z: reached — late
 *  9 li calls b (b.day_1) Tue 02:35Z: no answer (retried at 08:00Z)
 * 10 li calls b Tue 08:05Z: reached, satisfaction 2, complaint → dr-wang's callback ⚡ due 08:05Z, task recorded 08:10Z
 * 11 dr-wang calls b back Tue 09:00Z: reached — 50 minutes after the task; in time (8 h)
 * 12 zhang calls c (c.day_1) Tue 02:40Z: reached, satisfaction 5
 * 13 zhang books c at Tue 02:50Z → credited to call 12 (c.day_1)
 * 14 c comes, Fri 27 02:05Z
 * 15 p1 asks on the web, Mon 23 05:00Z → p1 call 1 ⚡ due 05:30Z (half an hour on; in time until 05:45Z)
 * 16 zhang calls p1 Tue 03:00Z: reached (1,320 min after the inquiry) → p1 call 2 due Fri 27 02:30Z
 * 17 zhang books p1 at Tue 03:05Z → credited to call 16; closes p1 call 2 (never tried)
 * 18 p1 comes, Sat 28 01:58Z
 * 19 p2 asks on the web, Tue 24 01:00Z (09:00 local, the clinic just open) → p2 call 1 ⚡ due 01:30Z
 * 20 li calls p2 Wed 02:40Z: no answer (1,540 min after the inquiry)
 * 21 the call is corrected: it reached p2
 * 22 p3 asks on WeChat, Wed 25 06:00Z → p3 call 1 ⚡ due 06:30Z; nobody calls
 * 23 p4 asks by phone Sun 29 17:00Z (Mon 30 01:00 local: called when the clinic opens, next week)
 * 24–26: the clinic (in the fixture) and the calls' own follow-up moves.
 */
export function analyticsWeekContract(target: ReadStoreTarget): void {
  describe(`the analytics reports on ${target.name}`, () => {
    const week = reportWeek(target, [], async (r, store) => {
      const treat = (patientId: string, procedure: string, doctorId: string, completedAt: string) =>
        r.patient({ type: 'CompleteTreatment', data: { treatmentId: `t-${patientId}`, patientId, clinicId: C, doctorId, procedure, completedAt } }, completedAt);
      const fu = (events: RecordedEvent[], n: number) => events.filter((e) => e.type === 'FollowUpScheduled').map((e) => String((e.data as { followUpId: string }).followUpId))[n]!;
      const call = (patientId: string, callerId: string, followUpId: string, startedAt: string, outcome: string, extra: object = {}, at = startedAt) =>
        r.patient({ type: 'RecordCall', data: { patientId, callerId, followUpId, startedAt, outcome: outcome as never, ...extra } }, at);
      const book = async (patientId: string, callerId: string, scheduledFor: string, at: string) =>
        idOf(await r.patient({ type: 'BookAppointment', data: { patientId, clinicId: C, callerId, scheduledFor } }, at), 'AppointmentBooked', 'appointmentId');
      const inquire = (patientId: string, channel: 'web' | 'wechat' | 'phone', receivedAt: string) => r.patient({ type: 'ReceiveInquiry', data: { patientId, clinicId: C, channel, receivedAt } }, receivedAt);

      const a = await treat('a', 'extraction', 'dr-li', '2026-11-23T02:00:00Z');
      const b = await treat('b', 'scaling', 'dr-wang', '2026-11-23T03:00:00Z');
      const c = await treat('c', 'other', 'dr-li', '2026-11-23T06:00:00Z');
      await treat('d', 'extraction', 'dr-li', '2026-11-26T02:00:00Z');
      await call('a', 'li', fu(a, 0), '2026-11-23T04:30:00Z', 'reached', { satisfaction: 4 });
      const aVisit = await book('a', 'li', '2026-11-25T02:00:00Z', '2026-11-23T04:40:00Z');
      const missed = await r.patient({ type: 'MissAppointment', data: { patientId: 'a', appointmentId: aVisit, at: '2026-11-25T03:00:00Z' } }, '2026-11-25T03:00:00Z');
      await call('a', 'li', fu(missed, 0), '2026-11-25T06:00:00Z', 'reached');
      await call('b', 'li', fu(b, 0), '2026-11-24T02:35:00Z', 'no_answer');
      const complaint = await call('b', 'li', fu(b, 0), '2026-11-24T08:05:00Z', 'reached', { satisfaction: 2, complaint: true }, '2026-11-24T08:10:00Z');
      await call('b', 'dr-wang', fu(complaint, 0), '2026-11-24T09:00:00Z', 'reached');
      await call('c', 'zhang', fu(c, 0), '2026-11-24T02:40:00Z', 'reached', { satisfaction: 5 });
      const cVisit = await book('c', 'zhang', '2026-11-27T02:00:00Z', '2026-11-24T02:50:00Z');
      await r.patient({ type: 'AttendAppointment', data: { patientId: 'c', appointmentId: cVisit, at: '2026-11-27T02:05:00Z' } }, '2026-11-27T02:10:00Z');
      const p1 = await inquire('p1', 'web', '2026-11-23T05:00:00Z');
      await call('p1', 'zhang', fu(p1, 0), '2026-11-24T03:00:00Z', 'reached');
      const p1Visit = await book('p1', 'zhang', '2026-11-28T02:00:00Z', '2026-11-24T03:05:00Z');
      await r.patient({ type: 'AttendAppointment', data: { patientId: 'p1', appointmentId: p1Visit, at: '2026-11-28T01:58:00Z' } }, '2026-11-28T02:00:00Z');
      const p2 = await inquire('p2', 'web', '2026-11-24T01:00:00Z');
      const p2Call = await call('p2', 'li', fu(p2, 0), '2026-11-25T02:40:00Z', 'no_answer');
      const p2CallEvent = p2Call.find((e) => e.type === 'CallAttempted')!;
      await r.patient({ type: 'CorrectRecord', data: { patientId: 'p2', eventId: p2CallEvent.eventId, reason: 'it did reach her', changes: { outcome: 'reached' }, target: currentRecord(await store.readStream('patient-p2'), p2CallEvent.eventId)! } }, '2026-11-25T03:00:00Z');
      await inquire('p3', 'wechat', '2026-11-25T06:00:00Z');
      await inquire('p4', 'phone', '2026-11-29T17:00:00Z');
    });

    const counts = (due: number, attempted: number, reached: number, booked: number, attended: number, complaints: number) => ({ due, attempted, reached, reachRate: reached / due, booked, attended, complaints });

    it('effectiveness by procedure: callers’ follow-ups first due in the week, each followed to the booking credited to its calls', async () => {
      const report = await readEffectivenessReport(week.models.db, C, 'procedure', W48);
      // Most due first; ties by kind and procedure.
      expect(report.rows).toEqual([
        // p1 call 1 (reached, booked, came), p1 call 2 (closed by the booking), p2 call 1 (reached, as corrected), p3 call 1 (not yet tried)
        { kind: 'prospect', procedure: null, ...counts(4, 2, 2, 1, 1, 0) },
        // a.after_2h (reached, booked, missed the visit) and d.after_2h (never called)
        { kind: 'treatment', procedure: 'extraction', ...counts(2, 1, 1, 1, 0, 0) },
        // c.day_1 (reached, booked, came) and c.day_3 (not tried)
        { kind: 'treatment', procedure: 'other', ...counts(2, 1, 1, 1, 1, 0) },
        { kind: 'missed_appointment', procedure: null, ...counts(1, 1, 1, 0, 0, 0) },
        // b.day_1: no answer, then reached with a complaint; the doctor's callback is not a callers' follow-up
        { kind: 'treatment', procedure: 'scaling', ...counts(1, 1, 1, 0, 0, 1) },
      ]);
    });

    it('effectiveness by protocol rule and step', async () => {
      const report = await readEffectivenessReport(week.models.db, C, 'rule', W48);
      expect(report.rows).toEqual([
        { rule: 'prospect', step: 'call_1', ...counts(3, 2, 2, 1, 1, 0) },
        { rule: 'post_op_urgent', step: 'after_2h', ...counts(2, 1, 1, 1, 0, 0) },
        { rule: 'general', step: 'day_1', ...counts(1, 1, 1, 1, 1, 0) },
        { rule: 'general', step: 'day_3', ...counts(1, 0, 0, 0, 0, 0) },
        { rule: 'missed_appointment', step: 'within_1h', ...counts(1, 1, 1, 0, 0, 0) },
        { rule: 'next_day', step: 'day_1', ...counts(1, 1, 1, 0, 0, 1) },
        { rule: 'prospect', step: 'call_2', ...counts(1, 0, 0, 0, 0, 0) },
      ]);
    });

    it('doctors: what patients said about each attending doctor, and the callbacks the doctor owed', async () => {
      const report = await readDoctorsReport(week.models.db, C, W48);
      expect(report.rows).toEqual([
        // calls 5 (a, 4), 8 (a's missed visit: a's latest treatment, no rating), 12 (c, 5); the prospects were never treated
        { doctorId: 'dr-li', name: null, reachedCalls: 3, satisfactionMean: 4.5, satisfaction: { 1: 0, 2: 0, 3: 0, 4: 1, 5: 1 }, complaints: 0, callbacksDone: 0, callbackMedianMinutes: null },
        // call 10 (b, 2, complaint); the doctor's own callback (11) is not feedback about her: done 50 minutes after the task
        { doctorId: 'dr-wang', name: null, reachedCalls: 1, satisfactionMean: 2, satisfaction: { 1: 0, 2: 1, 3: 0, 4: 0, 5: 0 }, complaints: 1, callbacksDone: 1, callbackMedianMinutes: 50 },
      ]);
    });

    it('prospects: per channel, minutes to the first call (median, p90), reached, booked, came, beside the seed’s 35%', async () => {
      const report = await readProspectsReport(week.models.db, C, W48);
      expect(report.seedBookingRate).toBe(0.35);
      expect(report.rows).toEqual([
        // p1: 1,320 min, reached, booked, came; p2: 1,540 min, reached (corrected). Median 1,430; p90 1,320 + 0.9 × 220 = 1,518
        { channel: 'web', inquiries: 2, firstAttemptMedianMinutes: 1430, firstAttemptP90Minutes: 1518, notCalled: 0, reached: 2, booked: 1, attended: 1, bookingRate: 0.5 },
        { channel: 'wechat', inquiries: 1, firstAttemptMedianMinutes: null, firstAttemptP90Minutes: null, notCalled: 1, reached: 0, booked: 0, attended: 0, bookingRate: 0 },
      ]);
    });

    it('urgent: per rule, called by the deadline, late, or never', async () => {
      const report = await readUrgentReport(week.models.db, C, W48);
      expect(report.rows).toEqual([
        // The inquiries' first calls: p1 called the next day, p2 the day after (late), p3 never.
        { rule: 'prospect', due: 3, inTime: 0, late: 2, notDone: 1, inTimeRate: 0 },
        // a.after_2h called 30 min after due (in time), d.after_2h never
        { rule: 'post_op_urgent', due: 2, inTime: 1, late: 0, notDone: 1, inTimeRate: 0.5 },
        { rule: 'complaint_callback', due: 1, inTime: 1, late: 0, notDone: 0, inTimeRate: 1 },
        // called 3 hours after the missed visit: the hour had passed
        { rule: 'missed_appointment', due: 1, inTime: 0, late: 1, notDone: 0, inTimeRate: 0 },
      ]);
    });

    it('a range with nothing in it gives no rows, not an error', async () => {
      const empty = { fromMs: Date.parse('2025-01-01T00:00:00Z'), toMs: Date.parse('2025-02-01T00:00:00Z') };
      expect((await readEffectivenessReport(week.models.db, C, 'procedure', empty)).rows).toEqual([]);
      expect((await readDoctorsReport(week.models.db, C, empty)).rows).toEqual([]);
      expect((await readProspectsReport(week.models.db, C, empty)).rows).toEqual([]);
      expect((await readUrgentReport(week.models.db, C, empty)).rows).toEqual([]);
    });
  });
}
