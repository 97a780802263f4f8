/**
 * CompleteTreatment: the treatment and the follow-ups the clinic's protocol derives from it.
 * Every due time is worked out by hand in the clinic's zone; see the comment beside each.
 */
import { at, clinic, CLINIC_ID, COMPLETED_AT, NOW, PATIENT_ID, scheduled, spec, treatment, TREATED, UNCONFIGURED } from '../../test/patient-fixtures';
import type { FollowUpScheduled, TreatmentCompleted } from '../events';
import type { Protocol } from '../protocol/protocol';
import type { CompleteTreatment } from './patient.commands';

const complete = (data: Partial<CompleteTreatment['data']> = {}): CompleteTreatment => ({ type: 'CompleteTreatment', data: { ...treatment, ...data } });
const completed = (data: Partial<TreatmentCompleted['data']> = {}): TreatmentCompleted => ({ type: 'TreatmentCompleted', data: { ...treatment, ...data } });

/** Urgent: in time within the hour after it falls due (post-op: by 3 hours after the procedure), 22 hours for a "within 24 hours" call. */
const deadline = (dueAt: string, stepId: string) => new Date(Date.parse(dueAt) + (stepId === 'within_24h' ? 22 * 60 : 60) * 60_000).toISOString().replace('.000Z', 'Z');
const urgent = (n: number, dueAt: string, ruleId: string, stepId: string, purpose: string): FollowUpScheduled =>
  scheduled(n, dueAt, stepId, purpose, { urgent: true, deadlineAt: deadline(dueAt, stepId), origin: { protocolVersion: 1, ruleId, stepId } });
const by = (n: number, dueAt: string, ruleId: string, stepId: string, purpose: string): FollowUpScheduled =>
  scheduled(n, dueAt, stepId, purpose, { origin: { protocolVersion: 1, ruleId, stepId } });

describe('CompleteTreatment', () => {
  describe('the general rule: day 1, 3, 7, 1 month, 3 months at the first window of the local day', () => {
    it('schedules them in Shanghai for a treatment at 14:00 local (06:00Z)', () => {
      // Windows 10:30 and 16:00 at UTC+8: 10:30 local is 02:30Z of the same date.
      spec([])
        .when(complete())
        .then([
          completed(),
          scheduled(1, '2026-11-24T02:30:00Z', 'day_1', 'Day 1: post-treatment reaction and symptoms'),
          scheduled(2, '2026-11-26T02:30:00Z', 'day_3', 'Day 3: recovery, answer questions'),
          scheduled(3, '2026-11-30T02:30:00Z', 'day_7', 'Day 7: recovery and satisfaction'),
          scheduled(4, '2026-12-23T02:30:00Z', 'month_1', 'One month: relationship, invitation back'),
          scheduled(5, '2027-02-23T02:30:00Z', 'month_3', 'Three months: relationship, check-up invitation, referrals'),
        ]);
    });

    it('the events are exactly what the fixture history holds', () => {
      spec([]).when(complete()).then(TREATED);
    });

    it('counts days from the local date, not the UTC date', () => {
      // 2026-11-23T17:00Z is 01:00 on the 24th in Shanghai: day 1 is the 25th, 10:30 local = 02:30Z.
      spec([])
        .when(complete({ completedAt: '2026-11-23T17:00:00Z' }), at('2026-11-23T18:00:00Z'))
        .then([
          completed({ completedAt: '2026-11-23T17:00:00Z' }),
          scheduled(1, '2026-11-25T02:30:00Z', 'day_1', 'Day 1: post-treatment reaction and symptoms'),
          scheduled(2, '2026-11-27T02:30:00Z', 'day_3', 'Day 3: recovery, answer questions'),
          scheduled(3, '2026-12-01T02:30:00Z', 'day_7', 'Day 7: recovery and satisfaction'),
          scheduled(4, '2026-12-24T02:30:00Z', 'month_1', 'One month: relationship, invitation back'),
          scheduled(5, '2027-02-24T02:30:00Z', 'month_3', 'Three months: relationship, check-up invitation, referrals'),
        ]);
    });

    it('clamps a month step to the end of a shorter month', () => {
      // Completed 2027-01-31 14:00 local: 1 month → 2027-02-28, 3 months → 2027-04-30.
      const completedAt = '2027-01-31T06:00:00Z';
      spec([])
        .when(complete({ completedAt }), at('2027-01-31T07:00:00Z'))
        .then([
          completed({ completedAt }),
          scheduled(1, '2027-02-01T02:30:00Z', 'day_1', 'Day 1: post-treatment reaction and symptoms'),
          scheduled(2, '2027-02-03T02:30:00Z', 'day_3', 'Day 3: recovery, answer questions'),
          scheduled(3, '2027-02-07T02:30:00Z', 'day_7', 'Day 7: recovery and satisfaction'),
          scheduled(4, '2027-02-28T02:30:00Z', 'month_1', 'One month: relationship, invitation back'),
          scheduled(5, '2027-04-30T02:30:00Z', 'month_3', 'Three months: relationship, check-up invitation, referrals'),
        ]);
    });

    it('uses the clinic’s first window and keeps its local time across DST (New York, 09:00/15:00)', () => {
      // Completed Thu 2026-03-05 12:00 EST (17:00Z). EST is UTC-5 until Sun 2026-03-08 02:00, EDT (UTC-4) after.
      // day 1 = 03-06 09:00 EST = 14:00Z; day 3 = 03-08 09:00 EDT = 13:00Z; day 7 = 03-12 09:00 EDT = 13:00Z;
      // 1 month = 04-05 09:00 EDT = 13:00Z; 3 months = 06-05 09:00 EDT = 13:00Z.
      const ny = clinic({ timeZone: 'America/New_York', callWindows: ['09:00', '15:00'] });
      const completedAt = '2026-03-05T17:00:00Z';
      spec([])
        .when(complete({ completedAt }), at('2026-03-05T18:00:00Z', ny))
        .then([
          completed({ completedAt }),
          scheduled(1, '2026-03-06T14:00:00Z', 'day_1', 'Day 1: post-treatment reaction and symptoms'),
          scheduled(2, '2026-03-08T13:00:00Z', 'day_3', 'Day 3: recovery, answer questions'),
          scheduled(3, '2026-03-12T13:00:00Z', 'day_7', 'Day 7: recovery and satisfaction'),
          scheduled(4, '2026-04-05T13:00:00Z', 'month_1', 'One month: relationship, invitation back'),
          scheduled(5, '2026-06-05T13:00:00Z', 'month_3', 'Three months: relationship, check-up invitation, referrals'),
        ]);
    });

    it('spells completedAt in UTC whatever offset the command used', () => {
      const events = spec([]).when(complete({ completedAt: '2026-11-23T14:00:00+08:00' })).then(TREATED);
      expect((events[0] as TreatmentCompleted).data.completedAt).toBe(COMPLETED_AT);
    });

    it('keeps the patient details and flags the command carries', () => {
      const data = { patient: { name: 'Li Wei', phone: '+86 138 0000 0000' }, restored: true };
      spec([]).when(complete(data)).then([completed(data), ...TREATED.slice(1)]);
    });

    it('counts follow-up ids on from the last id used in the stream', () => {
      // The patient already has p1.fu1…fu5 (lastSeq 5): a second treatment's follow-ups start at fu6.
      const second = { treatmentId: 't2', completedAt: '2026-11-24T06:00:00Z' };
      const extra = { treatmentId: 't2' };
      spec(TREATED)
        .when(complete(second), at('2026-11-24T07:00:00Z'))
        .then([
          completed(second),
          scheduled(6, '2026-11-25T02:30:00Z', 'day_1', 'Day 1: post-treatment reaction and symptoms', extra),
          scheduled(7, '2026-11-27T02:30:00Z', 'day_3', 'Day 3: recovery, answer questions', extra),
          scheduled(8, '2026-12-01T02:30:00Z', 'day_7', 'Day 7: recovery and satisfaction', extra),
          scheduled(9, '2026-12-24T02:30:00Z', 'month_1', 'One month: relationship, invitation back', extra),
          scheduled(10, '2027-02-24T02:30:00Z', 'month_3', 'Three months: relationship, check-up invitation, referrals', extra),
        ]);
    });

    it('stamps the clinic’s own protocol, rule and version on each follow-up', () => {
      const own: Protocol = {
        version: 4,
        rules: [{ id: 'own', procedures: ['*'], steps: [{ id: 'day_2', timing: { kind: 'day_window', afterDays: 2 }, purpose: 'Day 2 check' }] }],
      };
      spec([])
        .when(complete(), at(NOW, clinic({ protocol: own })))
        .then([completed(), scheduled(1, '2026-11-25T02:30:00Z', 'day_2', 'Day 2 check', { origin: { protocolVersion: 4, ruleId: 'own', stepId: 'day_2' } })]);
    });
  });

  describe('procedure-specific rules', () => {
    it('extraction: urgent call 2 hours after (whatever the windows) and a week-1 call', () => {
      // 05:10Z (13:10 local) + 2h = 07:10Z, between windows: urgent, not moved. Week 1 = 11-30 10:30 local = 02:30Z.
      spec([])
        .when(complete({ procedure: 'extraction', completedAt: '2026-11-23T05:10:00Z' }))
        .then([
          completed({ procedure: 'extraction', completedAt: '2026-11-23T05:10:00Z' }),
          urgent(1, '2026-11-23T07:10:00Z', 'post_op_urgent', 'after_2h', 'Check pain, bleeding or discomfort 2–3 hours after the procedure; repeat the aftercare advice'),
          by(2, '2026-11-30T02:30:00Z', 'post_op_urgent', 'week_1', 'One-week check: healing, comfort, any questions'),
        ]);
    });

    it('extraction that needs a prosthesis: also the month-2 invitation', () => {
      // 2 months after 2026-11-23 local is 2027-01-23, 10:30 local = 02:30Z.
      const data = { procedure: 'extraction', needsProsthesis: true };
      spec([])
        .when(complete(data))
        .then([
          completed(data),
          urgent(1, '2026-11-23T08:00:00Z', 'post_op_urgent', 'after_2h', 'Check pain, bleeding or discomfort 2–3 hours after the procedure; repeat the aftercare advice'),
          by(2, '2026-11-30T02:30:00Z', 'post_op_urgent', 'week_1', 'One-week check: healing, comfort, any questions'),
          by(3, '2027-01-23T02:30:00Z', 'prosthesis_invitation', 'month_2', 'Invite back for the prosthesis now that the extraction has healed'),
        ]);
    });

    it.each(['root_canal_filling', 'ortho_first_fitting', 'ortho_adjustment'])('%s: the same urgent 2-hour call and week 1', (procedure) => {
      spec([])
        .when(complete({ procedure }))
        .then([
          completed({ procedure }),
          urgent(1, '2026-11-23T08:00:00Z', 'post_op_urgent', 'after_2h', 'Check pain, bleeding or discomfort 2–3 hours after the procedure; repeat the aftercare advice'),
          by(2, '2026-11-30T02:30:00Z', 'post_op_urgent', 'week_1', 'One-week check: healing, comfort, any questions'),
        ]);
    });

    it('root_canal_treatment at 14:00 local: the same day at the 16:00 window, and the not-restored reminder 10 days on', () => {
      // same day 16:00 local = 08:00Z, not urgent; 2026-12-03 10:30 local = 02:30Z.
      const data = { procedure: 'root_canal_treatment' };
      spec([])
        .when(complete(data))
        .then([
          completed(data),
          by(1, '2026-11-23T08:00:00Z', 'root_canal', 'same_day', 'Same-day check after root-canal treatment: pain and swelling'),
          by(2, '2026-12-03T02:30:00Z', 'root_canal', 'restore_reminder', 'Tooth not yet restored: remind and book the restoration'),
        ]);
    });

    it('root_canal_treatment already restored: no reminder', () => {
      const data = { procedure: 'root_canal_treatment', restored: true };
      spec([])
        .when(complete(data))
        .then([completed(data), by(1, '2026-11-23T08:00:00Z', 'root_canal', 'same_day', 'Same-day check after root-canal treatment: pain and swelling')]);
    });

    it('root_canal_treatment after the last window (17:00 local): the same-day call is urgent, 2 hours on (19:00 local)', () => {
      const data = { procedure: 'root_canal_treatment', restored: true, completedAt: '2026-11-23T09:00:00Z' };
      spec([])
        .when(complete(data), at('2026-11-23T09:30:00Z'))
        .then([
          completed(data),
          scheduled(1, '2026-11-23T11:00:00Z', 'same_day', 'Same-day check after root-canal treatment: pain and swelling', {
            urgent: true,
            deadlineAt: '2026-11-23T12:00:00Z',
            origin: { protocolVersion: 1, ruleId: 'root_canal', stepId: 'same_day' },
          }),
        ]);
    });

    it('scaling and prosthesis fitting: the next day only', () => {
      for (const procedure of ['scaling', 'prosthesis_fitting']) {
        spec([])
          .when(complete({ procedure }))
          .then([completed({ procedure }), by(1, '2026-11-24T02:30:00Z', 'next_day', 'day_1', 'Next-day check: comfort, bite, sensitivity')]);
      }
    });

    it('implant surgery: the first window at least 2 hours on, then 3, 6 and 12 months (the yearly one recurs when it closes)', () => {
      // 14:00 + 2h = 16:00 local, a window: 08:00Z. Months from 2026-11-23 local at 10:30 (02:30Z).
      spec([])
        .when(complete({ procedure: 'implant_surgery' }))
        .then([
          completed({ procedure: 'implant_surgery' }),
          by(1, '2026-11-23T08:00:00Z', 'implant', 'within_24h', 'Within 24 hours of implant surgery: pain, swelling, bleeding, medication'),
          by(2, '2027-02-23T02:30:00Z', 'implant', 'month_3', 'Three months after the implant: healing, invite for the check-up'),
          by(3, '2027-05-23T02:30:00Z', 'implant', 'month_6', 'Six months after the implant: function and hygiene'),
          by(4, '2027-11-23T02:30:00Z', 'implant', 'yearly', 'Yearly implant check-up: invite back'),
        ]);
    });

    it('pulp opening late in the day: the next morning’s window', () => {
      // 15:00 local (07:00Z) + 2h = 17:00, past the last window: 11-24 10:30 local = 02:30Z.
      const data = { procedure: 'pulp_opening', completedAt: '2026-11-23T07:00:00Z' };
      spec([])
        .when(complete(data), at('2026-11-23T07:30:00Z'))
        .then([completed(data), by(1, '2026-11-24T02:30:00Z', 'within_24h', 'within_24h', 'Within 24 hours: reaction, pain, swelling')]);
    });

    it('ortho retainer: week 1, month 1, month 9', () => {
      spec([])
        .when(complete({ procedure: 'ortho_retainer' }))
        .then([
          completed({ procedure: 'ortho_retainer' }),
          by(1, '2026-11-30T02:30:00Z', 'ortho_retainer', 'week_1', 'One week with the retainer: fit and wearing habits'),
          by(2, '2026-12-23T02:30:00Z', 'ortho_retainer', 'month_1', 'One-month retainer check-up: invite back'),
          by(3, '2027-08-23T02:30:00Z', 'ortho_retainer', 'month_9', 'Retainer review (6–12 months): stability, invite back'),
        ]);
    });
  });

  describe('idempotency', () => {
    it('records nothing for the same treatment again', () => {
      spec(TREATED).when(complete()).thenNothing();
    });

    it('records nothing when only the spelling of completedAt or the field order differs', () => {
      const { completedAt, ...rest } = treatment;
      expect(completedAt).toBe(COMPLETED_AT);
      spec(TREATED)
        .when({ type: 'CompleteTreatment', data: { completedAt: '2026-11-23T14:00:00+08:00', ...rest } })
        .thenNothing();
    });

    it('records nothing for a repeat even after the clinic changed its protocol', () => {
      spec(TREATED).when(complete(), at(NOW, clinic({ callWindows: ['09:00'] }))).thenNothing();
    });

    it.each([
      ['another procedure', { procedure: 'extraction' }],
      ['another time', { completedAt: '2026-11-23T06:00:01Z' }],
      ['another doctor', { doctorId: 'd2' }],
      ['a flag added', { needsProsthesis: true }],
    ])('refuses the same treatmentId with %s as a conflict', (_, change) => {
      const refusal = spec(TREATED).when(complete(change)).thenRefuses('treatment_conflict', 'conflict');
      expect(refusal.message).toContain('t1');
    });
  });

  describe('refusals', () => {
    it('an unconfigured clinic', () => {
      spec([]).when(complete(), at(NOW, UNCONFIGURED)).thenRefuses('clinic_not_configured', 'rule');
    });

    it('a clinic other than the one in the context', () => {
      spec([]).when(complete({ clinicId: 'c2' })).thenRefuses('clinic_not_configured');
    });

    it('a completion time in the future (beyond 5 minutes of clock skew)', () => {
      spec([]).when(complete({ completedAt: '2026-11-23T07:05:01Z' })).thenRefuses('claimed_time_in_future', 'rule');
    });

    it('accepts a completion time within the 5 minutes of clock skew', () => {
      const events = spec([]).when(complete({ completedAt: '2026-11-23T07:05:00Z', procedure: 'scaling' })).then([
        completed({ completedAt: '2026-11-23T07:05:00Z', procedure: 'scaling' }),
        by(1, '2026-11-24T02:30:00Z', 'next_day', 'day_1', 'Next-day check: comfort, bite, sensitivity'),
      ]);
      expect(events).toHaveLength(2);
    });

    it('a patient who belongs to another clinic', () => {
      // p1 is a patient of c1; the command names c2, configured in its own right.
      const c2 = clinic({ clinicId: 'c2' });
      const refusal = spec(TREATED)
        .when(complete({ treatmentId: 't2', clinicId: 'c2' }), at(NOW, c2))
        .thenRefuses('patient_in_other_clinic', 'conflict');
      expect(refusal.message).toContain(CLINIC_ID);
      expect(refusal.message).toContain(PATIENT_ID);
    });
  });
});
