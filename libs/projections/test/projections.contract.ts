import { SqliteEventStore } from '@rapport/event-store';
import { readCallerMetrics, readClinicCallerMetrics } from '../src/caller-metrics/caller-metrics.query';
import { readClinicQueue, readDoctorQueue, QueueView } from '../src/call-queue/call-queue.query';
import { readFollowUpsToReview } from '../src/call-queue/follow-ups-to-review.query';
import { readTimeline } from '../src/patient-timeline/timeline.query';
import type { ReadModels } from '../src/read-store/read-models';
import { readBestTimes } from '../src/reports/best-times.query';
import { readWeeklyReport } from '../src/reports/weekly-report.query';
import { ALL_PROJECTIONS } from '../src/all-projections';
import { ProjectorRuntime } from '../src/runtime/projector-runtime';
import { DomainRecorder } from './domain-recorder';
import { CLINIC, LI, OTHER_CLINIC, recordClinicWeek, WeekRecord, ZHANG } from './clinic-week.scenario';
import type { ReadStoreTarget } from './read-store-targets';
import { projectorRuntimeContract } from './projector-runtime.contract';

const ms = (iso: string): number => Date.parse(iso);
const ids = (view: QueueView): string[] => view.items.map((i) => i.followUpId);
/** ISO week 2026-W48 in Asia/Shanghai: Monday 23 00:00 to Monday 30 00:00 local. */
const W48 = { fromMs: ms('2026-11-22T16:00:00Z'), toMs: ms('2026-11-29T16:00:00Z') };
const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * The read side's contract, run against each database (SQLite and PostgreSQL). Every expected value
 * below is worked out by hand from the script in clinic-week.scenario.ts; the comments show how.
 */
export function projectionsContract(target: ReadStoreTarget): void {
  describe(`projections on ${target.name}: a scripted clinic week (2026-W48, Asia/Shanghai)`, () => {
    let store: SqliteEventStore;
    let models: ReadModels;
    let week: WeekRecord;
    const seen: Record<string, QueueView> = {};

    beforeAll(async () => {
      store = new SqliteEventStore({ filename: ':memory:' });
      models = await target.open();
      const runtime = new ProjectorRuntime({ store, db: models.db, projections: ALL_PROJECTIONS, batchSize: 16, logger: quiet, progress: false });
      const db = models.db;
      week = await recordClinicWeek(new DomainRecorder(store), async (label) => {
        await runtime.catchUp();
        if (label.startsWith('Q1')) seen.Q1 = await readClinicQueue(db, { clinicId: CLINIC, atMs: ms('2026-11-23T02:40:00Z'), limit: 50 });
        if (label.startsWith('Q2')) {
          seen.Q2 = await readClinicQueue(db, { clinicId: CLINIC, atMs: ms('2026-11-23T04:10:00Z'), limit: 50 });
          seen.Q2at16 = await readClinicQueue(db, { clinicId: CLINIC, atMs: ms('2026-11-23T08:00:00Z'), limit: 50 });
        }
        if (label.startsWith('Q3')) {
          seen.Q3 = await readClinicQueue(db, { clinicId: CLINIC, atMs: ms('2026-11-25T11:00:00Z'), limit: 50 });
          seen.Q3doctor = await readDoctorQueue(db, { doctorId: 'dr-li', atMs: ms('2026-11-25T11:00:00Z'), limit: 50 });
          seen.Q3doctorsOfClinic = await readClinicQueue(db, { clinicId: CLINIC, atMs: ms('2026-11-25T11:00:00Z'), limit: 50, audience: 'doctor' });
          seen.Q3otherDoctor = await readDoctorQueue(db, { doctorId: 'dr-chen', atMs: ms('2026-11-25T11:00:00Z'), limit: 50 });
        }
        if (label.startsWith('Q4')) {
          seen.Q4 = await readClinicQueue(db, { clinicId: CLINIC, atMs: ms('2026-11-29T12:00:00Z'), limit: 50, callerId: LI });
          seen.Q4limit2 = await readClinicQueue(db, { clinicId: CLINIC, atMs: ms('2026-11-29T12:00:00Z'), limit: 2 });
          // Monday 30, 10:00 local: a weekday in work hours, so p2 (avoids work hours) drops out.
          seen.Q4monday = await readClinicQueue(db, { clinicId: CLINIC, atMs: ms('2026-11-30T02:00:00Z'), limit: 50 });
        }
      });
      await runtime.catchUp();
    });
    afterAll(async () => {
      await models?.close();
      await store?.close();
      await target.cleanup();
    });

    it('recorded the week the script assumes (the domain scheduled what the hand calculation starts from)', () => {
      const scheduled = week.events.filter((e) => e.type === 'FollowUpScheduled').map((e) => [e.data.followUpId, e.data.dueAt, e.data.urgent]);
      expect(scheduled).toEqual(
        expect.arrayContaining([
          ['p1.fu1', '2026-11-23T02:30:00Z', false],
          ['p1.fu2', '2026-11-25T02:30:00Z', false],
          ['p1.fu3', '2026-11-29T02:30:00Z', false],
          ['p3.fu1', '2026-11-23T03:00:00Z', true],
          ['p3.fu2', '2026-11-30T02:30:00Z', false],
        ]),
      );
      const callback = week.events.find((e) => e.type === 'FollowUpScheduled' && e.data.kind === 'doctor_callback');
      expect(callback?.data).toMatchObject({ followUpId: 'p3.fu4', assignee: { role: 'doctor', doctorId: 'dr-li' }, dueAt: '2026-11-23T04:15:00Z' });
    });

    describe('the call queue', () => {
      it('Monday 10:40: the VIP first among equals; do-not-call, work-hour avoiders and 12–13 preferrers left out', () => {
        // Due by 02:40Z: p1, p2, p4, p5, p6 .fu1 (all 02:30Z). p2 avoids work hours (Mon 10:40 is
        // inside them), p5 must not be called, p6 only 12:00–13:00. p4 is a VIP. p3's urgent call is due 03:00Z.
        expect(ids(seen.Q1!)).toEqual(['p4.fu1', 'p1.fu1']);
        expect(seen.Q1!.items[0]).toMatchObject({
          patientId: 'p4',
          patient: { name: '陈刚', phone: '+86 138 0000 0004' },
          purpose: expect.any(String),
          dueAt: '2026-11-23T02:30:00Z',
          urgent: false,
          vip: true,
          kind: 'treatment',
          overdueMinutes: 10,
          attempts: 0,
          attemptHistory: [],
          treatmentId: 't4',
          procedure: 'other',
          rule: { ruleId: 'general', stepId: 'day_1', protocolVersion: 1 },
        });
        expect(seen.Q1!.items[0]!.lastOutcome).toBeUndefined();
      });

      it('Monday 12:10: the urgent call first; a moved follow-up gone until its new time; the 12–13 preferrer now in', () => {
        // p1.fu1 moved to 16:00 local (08:00Z) after no answer; p4.fu1 closed by a reached call.
        expect(ids(seen.Q2!)).toEqual(['p3.fu1', 'p6.fu1']);
        expect(seen.Q2!.items[0]).toMatchObject({ urgent: true, dueAt: '2026-11-23T03:00:00Z', overdueMinutes: 70, procedure: 'extraction' });
      });

      it('Monday 16:00: the moved follow-up is back with its attempt history; 16:00 is outside 12–13', () => {
        expect(ids(seen.Q2at16!)).toEqual(['p3.fu1', 'p1.fu1']);
        expect(seen.Q2at16!.items[1]).toMatchObject({
          dueAt: '2026-11-23T08:00:00Z',
          attempts: 1,
          lastOutcome: 'no_answer',
          lastAttemptAt: '2026-11-23T02:50:00Z',
          lastCallerId: ZHANG,
          attemptHistory: [{ callId: week.calls.C2, callerId: ZHANG, outcome: 'no_answer', startedAt: '2026-11-23T02:50:00Z' }],
        });
      });

      it('Wednesday 19:00: the longest overdue first, whatever its id; closed ones gone; the doctor’s callback only in doctors’ queues', () => {
        // Open and due: p2.fu1 (Mon, outside work hours now), p1.fu2 and p2.fu2 (Wed). p6.fu2 is
        // outside 12–13; p5 never; p1.fu1 closed unreachable; p4.fu2 and p6.fu1 closed reached.
        expect(ids(seen.Q3!)).toEqual(['p2.fu1', 'p1.fu2', 'p2.fu2']);
        // p2 avoids work hours: due Monday 10:30, offered at 18:00 (10:00Z), the end of work hours;
        // overdue from then to Wednesday 11:00Z: 2 days 1 h.
        expect(seen.Q3!.items[0]).toMatchObject({ dueAt: '2026-11-23T02:30:00Z', offeredAt: '2026-11-23T10:00:00Z' });
        expect(seen.Q3!.items[0]!.overdueMinutes).toBe(2 * 24 * 60 + 60);
        expect(ids(seen.Q3doctor!)).toEqual(['p3.fu4']);
        expect(seen.Q3doctor!.items[0]).toMatchObject({ kind: 'doctor_callback', urgent: true, assignee: { role: 'doctor', doctorId: 'dr-li' }, treatmentId: 't3' });
        expect(ids(seen.Q3doctorsOfClinic!)).toEqual(['p3.fu4']);
        expect(ids(seen.Q3otherDoctor!)).toEqual([]);
      });

      it('Sunday 20:00: by due time, VIP only among equals, with the limit and the caller’s own tries', () => {
        // Sun 02:30Z: p1.fu3, then p4.fu3 moved to Sun 08:00Z after a hang-up. p2's follow-ups wait
        // for a number since C10 (Wednesday) reached a stranger: see the next test.
        expect(ids(seen.Q4!)).toEqual(['p1.fu3', 'p4.fu3']);
        expect(seen.Q4!.items.map((i) => i.triedByCaller)).toEqual([false, true]);
        expect(seen.Q4!.items[1]).toMatchObject({ vip: true, attempts: 1, lastOutcome: 'hung_up', lastCallerId: LI });
        expect(ids(seen.Q4limit2!)).toEqual(['p1.fu3', 'p4.fu3']);
        expect(seen.Q4limit2!.items[0]!.triedByCaller).toBeUndefined();
        expect(ids(seen.Q4monday!)).toEqual(['p1.fu3', 'p4.fu3']);
      });

      it('a wrong number (C10 on p2.fu1) moves all of p2’s open follow-ups to the “needs a number” list', async () => {
        const needs = await readFollowUpsToReview(models.db, CLINIC, 'needs_number', 50);
        // Day 1, 3, 7 and the month and three-month calls not yet due: every open one waits.
        expect(needs.items.map((i) => i.followUpId)).toEqual(['p2.fu1', 'p2.fu2', 'p2.fu3', 'p2.fu4', 'p2.fu5']);
        expect(needs.items[0]).toMatchObject({ patientId: 'p2', status: 'needs_number', dueAt: '2026-11-23T02:30:00Z' });
        // p1.fu1 closed unreachable on Monday (its third failed attempt).
        expect((await readFollowUpsToReview(models.db, CLINIC, 'unreachable', 50)).items.map((i) => i.followUpId)).toEqual(['p1.fu1']);
        expect((await readFollowUpsToReview(models.db, CLINIC, 'expired', 50)).items).toEqual([]);
      });

      it('answers for an unknown clinic with an error naming it', async () => {
        await expect(readClinicQueue(models.db, { clinicId: 'nowhere', atMs: ms('2026-11-23T02:40:00Z'), limit: 5 })).rejects.toThrow(/clinic nowhere/);
      });
    });

    describe('the patient timeline', () => {
      it('tells p1’s week, one line per fact, oldest first', async () => {
        const timeline = await readTimeline(models.db, 'p1');
        const purposes = week.events.filter((e) => e.type === 'FollowUpScheduled' && e.data.patientId === 'p1').map((e) => e.data.purpose as string);
        const due = ['2026-11-23T02:30:00Z', '2026-11-25T02:30:00Z', '2026-11-29T02:30:00Z', '2026-12-22T02:30:00Z', '2027-02-22T02:30:00Z'];
        expect(timeline!.entries.map((e) => [e.type, e.at, e.summary])).toEqual([
          ['TreatmentCompleted', '2026-11-22T06:00:00Z', 'Treatment t1 completed: other by dr-li'],
          ...due.map((dueAt, i) => ['FollowUpScheduled', '2026-11-22T08:00:00Z', `Follow-up p1.fu${i + 1} scheduled for ${dueAt}: ${purposes[i]}`]),
          ['CallAttempted', '2026-11-23T02:50:00Z', 'Call by nurse-zhang: no answer (attempt 1 of follow-up p1.fu1)'],
          ['FollowUpRescheduled', '2026-11-23T02:50:00Z', 'Follow-up p1.fu1 moved to 2026-11-23T08:00:00Z: retry after 1 attempt'],
          ['CallAttempted', '2026-11-23T08:05:00Z', 'Call by nurse-zhang: busy (attempt 2 of follow-up p1.fu1)'],
          ['FollowUpRescheduled', '2026-11-23T08:05:00Z', 'Follow-up p1.fu1 moved to 2026-11-24T02:30:00Z: retry after 2 attempts'],
          ['CallAttempted', '2026-11-24T02:45:00Z', 'Call by nurse-zhang: phone powered off (attempt 3 of follow-up p1.fu1)'],
          ['FollowUpClosed', '2026-11-24T02:45:00Z', 'Follow-up p1.fu1 closed: unreachable after 3 attempts'],
          ['CallAttempted', '2026-11-25T11:05:00Z', 'Call by nurse-zhang: declined (attempt 1 of follow-up p1.fu2)'],
          ['FollowUpClosed', '2026-11-25T11:05:00Z', 'Follow-up p1.fu2 closed: declined by the patient after 1 attempt'],
          ['ObjectionRaised', '2026-11-25T11:11:00Z', 'Objection (trivial, time) raised with nurse-zhang: deferred, not resolved'],
          ['CallAttempted', '2026-11-26T06:00:00Z', 'Call by nurse-zhang: reached'],
          ['ObjectionRaised', '2026-11-26T06:05:00Z', 'Objection (half-informed, fear) raised with nurse-zhang: answered with information, resolved'],
          ['AppointmentBooked', '2026-11-26T06:10:00Z', `Appointment ${week.appointments.B5} booked by nurse-zhang for 2026-12-03T02:00:00Z`],
          ['CallAttempted', '2026-11-30T02:40:00Z', 'Call by nurse-zhang: reached (attempt 1 of follow-up p1.fu3)'],
          ['FollowUpClosed', '2026-11-30T02:40:00Z', 'Follow-up p1.fu3 closed: completed after 1 attempt'],
        ]);
        expect(timeline!.entries[6]!.ids).toEqual({ callId: week.calls.C2, followUpId: 'p1.fu1' });
        const positions = timeline!.entries.map((e) => e.position);
        expect(new Set(positions).size).toBe(positions.length);
      });

      it('shows a complaint, the doctor’s callback and the objection on p3’s; the referral’s bookings on p4’s; preferences on p6’s', async () => {
        const p3 = (await readTimeline(models.db, 'p3'))!.entries.map((e) => e.summary);
        expect(p3).toContain('Call by desk-li: reached (attempt 1 of follow-up p3.fu1); satisfaction 3/5; symptoms: swelling; complaint reported');
        expect(p3).toContain(`Objection (sincere, cost) raised with desk-li: answered with information, resolved`);
        expect(p3.find((s) => s.startsWith("Urgent doctor's callback p3.fu4 scheduled for doctor dr-li for 2026-11-23T04:15:00Z: "))).toBeDefined();
        const p4 = (await readTimeline(models.db, 'p4'))!.entries;
        expect(p4.filter((e) => e.type === 'ReferralBooked').map((e) => e.summary)).toEqual([
          `Referral ${week.referrals.R2}: p7 booked appointment ${week.appointments.B3} for 2026-12-04T02:00:00Z`,
          `Referral ${week.referrals.R2}: p7 booked appointment ${week.appointments.B4} for 2026-12-05T02:00:00Z`,
        ]);
        expect(p4.find((e) => e.type === 'ContactPreferencesSet')?.summary).toBe('Contact preferences set: VIP');
        const p6 = (await readTimeline(models.db, 'p6'))!.entries.map((e) => e.summary);
        expect(p6).toContain('Contact preferences set: preferred times 12:00-13:00');
        expect(p6).toContain(`Call by nurse-zhang: asked to be called back at 2026-11-24T04:30:00Z (attempt 1 of follow-up p6.fu1)`);
        expect(p6).toContain('Follow-up p6.fu1 moved to 2026-11-24T04:30:00Z: the patient asked to be called then');
        expect(p6).toContain(`Referral ${week.referrals.R1} asked for by desk-li: 杨光 (brother)`);
        expect(await readTimeline(models.db, 'nobody')).toBeUndefined();
      });
    });

    describe('caller metrics', () => {
      it('per caller over the week, every clinic: zhang', async () => {
        // Attempts C1 C2 C4 C5 C6 C8 C9 C12 C13 (c1) + C16 (c2) = 10; reached C1 C8 C13 C16 = 4;
        // booked B1 B5 = 2; referral R2 asked and converted (by p7's first booking); objections O2, O3 (O3 resolved).
        expect(await readCallerMetrics(models.db, ZHANG, W48)).toEqual({
          from: '2026-11-22T16:00:00Z',
          to: '2026-11-29T16:00:00Z',
          callerId: ZHANG,
          attempts: 10,
          reached: 4,
          contactRate: 0.4,
          appointmentsBooked: 2,
          conversionRate: 0.5,
          referralsRequested: 1,
          referralsConverted: 1,
          objectionsRaised: 2,
          objectionsResolved: 1,
        });
      });

      it('per caller over the week: li, credited with the booking her reached call led to, not with the referral bookings she typed in', async () => {
        // Attempts C3 C7 C10 C14 = 4; reached C3 C7 = 2. Bookings credited to a reached call (the
        // booking caller's latest reached call to that patient in 14 days): B2 (p6, typed by li at
        // Tue 12:40) to C7 (li reached p6 at 12:35). B3 was typed by li too, but for p7, whom nobody
        // had called: credited to no call; B4 has no caller and p7 no call. So 1 of 2 reached. R1 not
        // converted; O1 resolved.
        expect(await readCallerMetrics(models.db, LI, W48)).toMatchObject({
          attempts: 4,
          reached: 2,
          contactRate: 0.5,
          appointmentsBooked: 1,
          conversionRate: 0.5,
          referralsRequested: 1,
          referralsConverted: 0,
          objectionsRaised: 1,
          objectionsResolved: 1,
        });
      });

      it('any range: unbounded takes Monday 30 too; a single day; a half-open boundary; an unknown caller is all zeros', async () => {
        expect(await readCallerMetrics(models.db, ZHANG, {})).toMatchObject({ attempts: 11, reached: 5, contactRate: 5 / 11, appointmentsBooked: 2, conversionRate: 0.4 });
        // Wednesday 25 local: C8 reached, C9 declined; B1; R2 asked (converted Thursday); O2.
        const wednesday = { fromMs: ms('2026-11-24T16:00:00Z'), toMs: ms('2026-11-25T16:00:00Z') };
        expect(await readCallerMetrics(models.db, ZHANG, wednesday)).toMatchObject({
          attempts: 2,
          reached: 1,
          appointmentsBooked: 1,
          conversionRate: 1,
          referralsRequested: 1,
          referralsConverted: 0,
          objectionsRaised: 1,
          objectionsResolved: 0,
        });
        // C13 started at 06:00:00Z exactly: `from` includes it, `to` excludes it.
        expect(await readCallerMetrics(models.db, ZHANG, { fromMs: ms('2026-11-26T06:00:00Z'), toMs: ms('2026-11-26T06:00:01Z') })).toMatchObject({ attempts: 1, reached: 1 });
        expect(await readCallerMetrics(models.db, ZHANG, { fromMs: ms('2026-11-26T05:59:00Z'), toMs: ms('2026-11-26T06:00:00Z') })).toMatchObject({ attempts: 0 });
        expect(await readCallerMetrics(models.db, 'nobody', W48)).toMatchObject({ attempts: 0, reached: 0, contactRate: 0, appointmentsBooked: 0, conversionRate: 0, referralsConverted: 0 });
      });

      it('per clinic: each caller, only that clinic’s facts', async () => {
        const c1 = await readClinicCallerMetrics(models.db, CLINIC, W48);
        expect(c1.callers.map((c) => c.callerId)).toEqual([LI, ZHANG]);
        // zhang in c1 only: 9 attempts, reached C1 C8 C13.
        expect(c1.callers[1]).toEqual({
          callerId: ZHANG,
          attempts: 9,
          reached: 3,
          contactRate: 1 / 3,
          appointmentsBooked: 2,
          conversionRate: 2 / 3,
          referralsRequested: 1,
          referralsConverted: 1,
          objectionsRaised: 2,
          objectionsResolved: 1,
        });
        const c2 = await readClinicCallerMetrics(models.db, OTHER_CLINIC, W48);
        expect(c2.callers).toEqual([
          { callerId: ZHANG, attempts: 1, reached: 1, contactRate: 1, appointmentsBooked: 0, conversionRate: 0, referralsRequested: 0, referralsConverted: 0, objectionsRaised: 0, objectionsResolved: 0 },
        ]);
      });
    });

    describe('reports', () => {
      it('best times: contact and conversion by local hour and weekday', async () => {
        const report = await readBestTimes(models.db, CLINIC, W48);
        expect(report.timeZone).toBe('Asia/Shanghai');
        const cell = (weekday: number, hour: number, attempts: number, reached: number, booked: number) => ({
          weekday,
          hour,
          attempts,
          reached,
          contactRate: attempts === 0 ? 0 : reached / attempts,
          booked,
          conversionRate: reached === 0 ? 0 : booked / reached,
        });
        expect(report.cells).toEqual([
          cell(1, 10, 2, 1, 0), // C1 10:45 reached, C2 10:50
          cell(1, 12, 2, 1, 0), // C3 12:15 reached, C4 12:20
          cell(1, 16, 1, 0, 0), // C5 16:05
          cell(2, 10, 1, 0, 0), // C6 10:45
          cell(2, 12, 1, 1, 1), // C7 12:35 reached; B2, booked at 12:40, credited to it
          cell(3, 10, 1, 1, 1), // C8 10:40 reached; B1, 10:46, credited to it
          cell(3, 19, 2, 0, 0), // C9 19:05, C10 19:10
          // (B3, typed at Thu 11:00 for p7, follows no call: it is in no cell.)
          cell(4, 12, 1, 0, 0), // C12 12:10
          cell(4, 14, 1, 1, 1), // C13 14:00 reached; B5 14:10
          cell(7, 10, 1, 0, 0), // C14 Sunday 10:35
        ]);
      });

      it('the weekly summary of 2026-W48, Monday to Sunday in Shanghai', async () => {
        expect(await readWeeklyReport(models.db, CLINIC, '2026-W48', ms('2026-12-01T00:00:00Z'))).toEqual({
          clinicId: CLINIC,
          week: '2026-W48',
          timeZone: 'Asia/Shanghai',
          from: '2026-11-22T16:00:00Z',
          to: '2026-11-29T16:00:00Z',
          // p1, p2, p4, p6 × day 1, 3, 7 = 12, and p3's urgent call; p5 asked not to be called, so
          // their three are nobody's work (issue 15 item 6).
          due: 13,
          // Not tried by the end of their day: p2.fu1 (Wed), p2.fu2, p2.fu3, p6.fu3 (never),
          // p6.fu2 (Thu), p1.fu3 (Mon 30).
          overdue: 6,
          made: 13,
          reached: 5,
          contactRate: 5 / 13,
          booked: 5,
          referrals: 2,
          referralsConverted: 1,
          complaints: 1,
          outcomes: { reached: 5, no_answer: 2, busy: 1, powered_off: 1, call_back_later: 1, declined: 1, wrong_number: 1, hung_up: 1 },
        });
      });

      it('an empty week is all zeros; an untried call counts overdue only once its day has ended', async () => {
        expect(await readWeeklyReport(models.db, CLINIC, '2026-W47', ms('2026-12-01T00:00:00Z'))).toMatchObject({ due: 0, made: 0, reached: 0, contactRate: 0, overdue: 0, booked: 0, complaints: 0, outcomes: {} });
        // W49: p3.fu2 due Mon 30 10:30 local, never tried; C15 made and reached.
        expect(await readWeeklyReport(models.db, CLINIC, '2026-W49', ms('2026-12-01T00:00:00Z'))).toMatchObject({ due: 1, overdue: 1, made: 1, reached: 1 });
        // Monday 30 at 18:00 local: the day has not ended.
        expect(await readWeeklyReport(models.db, CLINIC, '2026-W49', ms('2026-11-30T10:00:00Z'))).toMatchObject({ due: 1, overdue: 0 });
      });
    });
  });

  projectorRuntimeContract(target);
}
