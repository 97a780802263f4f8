import { readReferralsReport } from '../src/referrals/referrals.query';
import type { ReadStoreTarget } from './read-store-targets';
import { REPORT_CLINIC as C, reportWeek, W48 } from './report-fixture';

/**
 * The referrals report against a week worked out by hand, referrals counted when asked for:
 * - R1 (p1, Mon 23): friend f1 books on Tue 24 (f1.apt1, for Wed 25 10:00 local) and comes at
 *   09:55; f1 books again on R1 on Thu 26 (f1.apt2): still one booking of R1, the first;
 * - R2 (p1, Tue 24): friend f2 books on Thu 26 (f2.apt1, for Mon 30), no visit yet;
 * - R3 (p2, Wed 25): nobody books;
 * - R4 (p2, Mon 30: the next week): f3 books and comes on 2 December.
 * W48: requested 3, booked 2 (R1, R2), attended 1 (R1). Top referrers: p1 (2 asked, 2 booked,
 * 1 came), then p2 (1, 0, 0). Unbounded: 4, 3, 2; p1 (2 booked) before p2 (1 booked).
 */
export function referralsReportContract(target: ReadStoreTarget): void {
  describe(`the referrals report on ${target.name}`, () => {
    const week = reportWeek(target, ['p1', 'p2'], async (r) => {
      const ask = async (patientId: string, at: string) =>
        String((await r.patient({ type: 'RequestReferral', data: { patientId, callerId: 'nurse-zhang', referred: { relation: '朋友' } } }, at)).find((e) => e.type === 'ReferralRequested')!.data.referralId);
      const book = async (patientId: string, referralId: string, referrer: string, scheduledFor: string, at: string) =>
        String((await r.patient({ type: 'BookAppointment', data: { patientId, clinicId: C, scheduledFor, referralId, referrerPatientId: referrer } }, at, C)).find((e) => e.type === 'AppointmentBooked')!.data.appointmentId);
      const r1 = await ask('p1', '2026-11-23T03:00:00Z');
      const r2 = await ask('p1', '2026-11-24T04:00:00Z');
      await ask('p2', '2026-11-25T03:00:00Z');
      const f1 = await book('f1', r1, 'p1', '2026-11-25T02:00:00Z', '2026-11-24T03:00:00Z');
      await r.patient({ type: 'AttendAppointment', data: { patientId: 'f1', appointmentId: f1, at: '2026-11-25T01:55:00Z' } }, '2026-11-25T03:00:00Z');
      await book('f2', r2, 'p1', '2026-11-30T02:00:00Z', '2026-11-26T03:00:00Z');
      await book('f1', r1, 'p1', '2026-12-03T02:00:00Z', '2026-11-26T04:00:00Z');
      const r4 = await ask('p2', '2026-11-30T03:00:00Z');
      const f3 = await book('f3', r4, 'p2', '2026-12-02T02:00:00Z', '2026-11-30T04:00:00Z');
      await r.patient({ type: 'AttendAppointment', data: { patientId: 'f3', appointmentId: f3, at: '2026-12-02T02:10:00Z' } }, '2026-12-02T03:00:00Z');
    });

    it('follows the week’s referrals to their first booking and visit', async () => {
      const report = await readReferralsReport(week.models.db, C, W48);
      expect(report).toMatchObject({ requested: 3, booked: 2, attended: 1 });
      expect(report.topReferrers).toEqual([
        { patientId: 'p1', requested: 2, booked: 2, attended: 1 },
        { patientId: 'p2', requested: 1, booked: 0, attended: 0 },
      ]);
      expect(report.chains).toEqual([
        { referralId: 'p1.ref6', referrerId: 'p1', requestedAt: '2026-11-23T03:00:00Z', referredPatientId: 'f1', appointmentId: 'f1.apt1', bookedAt: '2026-11-24T03:00:00Z', attendedAt: '2026-11-25T01:55:00Z' },
        { referralId: 'p1.ref7', referrerId: 'p1', requestedAt: '2026-11-24T04:00:00Z', referredPatientId: 'f2', appointmentId: 'f2.apt1', bookedAt: '2026-11-26T03:00:00Z' },
        { referralId: 'p2.ref6', referrerId: 'p2', requestedAt: '2026-11-25T03:00:00Z' },
      ]);
    });

    it('takes R4 with an unbounded range', async () => {
      const report = await readReferralsReport(week.models.db, C, {});
      expect(report).toMatchObject({ requested: 4, booked: 3, attended: 2 });
      expect(report.topReferrers.map((r) => [r.patientId, r.booked, r.attended])).toEqual([
        ['p1', 2, 1],
        ['p2', 1, 1],
      ]);
    });
  });
}
