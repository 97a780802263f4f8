/**
 * planFollowUps and the protocol as data: which rules apply and when each step falls due.
 * Expected instants are worked out by hand in the comments.
 */
import { Temporal } from 'temporal-polyfill';
import type { ClinicClock } from './call-windows';
import { DEFAULT_PROTOCOL, KNOWN_PROCEDURES } from './default-protocol';
import { Protocol, protocolProblems, rulesFor } from './protocol';
import { planFollowUps, TreatmentFacts } from './schedule';

const SHANGHAI: ClinicClock = { timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'] };
const facts = (procedure: string, completedAt: string, extra: Partial<TreatmentFacts> = {}): TreatmentFacts => ({
  procedure,
  completedAt: Temporal.Instant.from(completedAt),
  ...extra,
});
/** [ruleId/stepId, dueAt, urgent] per follow-up, in the order returned. */
const plan = (treatment: TreatmentFacts, clock: ClinicClock, protocol: Protocol = DEFAULT_PROTOCOL) =>
  planFollowUps(treatment, protocol, clock).map((p) => [`${p.ruleId}/${p.stepId}`, p.dueAt.toString(), p.urgent]);

describe('planFollowUps under the default protocol', () => {
  it('the general rule in Shanghai for 2026-11-23 14:00 local (06:00Z): 10:30 local = 02:30Z', () => {
    expect(plan(facts('other', '2026-11-23T06:00:00Z'), SHANGHAI)).toEqual([
      ['general/day_1', '2026-11-24T02:30:00Z', false],
      ['general/day_3', '2026-11-26T02:30:00Z', false],
      ['general/day_7', '2026-11-30T02:30:00Z', false],
      ['general/month_1', '2026-12-23T02:30:00Z', false],
      ['general/month_3', '2027-02-23T02:30:00Z', false],
    ]);
  });

  it('stamps version 1 and the step’s purpose on every follow-up', () => {
    const planned = planFollowUps(facts('scaling', '2026-11-23T06:00:00Z'), DEFAULT_PROTOCOL, SHANGHAI);
    expect(planned).toEqual([
      {
        ruleId: 'next_day',
        stepId: 'day_1',
        protocolVersion: 1,
        purpose: 'Next-day check: comfort, bite, sensitivity',
        dueAt: Temporal.Instant.from('2026-11-24T02:30:00Z'),
        urgent: false,
      },
    ]);
  });

  it('an extraction needing a prosthesis: urgent at +2h, week 1, month 2 — sorted by due time', () => {
    expect(plan(facts('extraction', '2026-11-23T06:00:00Z', { needsProsthesis: true }), SHANGHAI)).toEqual([
      ['post_op_urgent/after_2h', '2026-11-23T08:00:00Z', true],
      ['post_op_urgent/week_1', '2026-11-30T02:30:00Z', false],
      ['prosthesis_invitation/month_2', '2027-01-23T02:30:00Z', false],
    ]);
  });

  it('an extraction with needsProsthesis false or absent has no month-2 step', () => {
    for (const needsProsthesis of [false, undefined]) {
      expect(plan(facts('extraction', '2026-11-23T06:00:00Z', { needsProsthesis }), SHANGHAI).map(([id]) => id)).toEqual([
        'post_op_urgent/after_2h',
        'post_op_urgent/week_1',
      ]);
    }
  });

  it('root-canal treatment: same day at a window at least 2 hours on while one is left, else urgent at +2 h', () => {
    // 09:00 local (01:00Z) + 2 h = 11:00 → the 16:00 window (08:00Z).
    expect(plan(facts('root_canal_treatment', '2026-11-23T01:00:00Z', { restored: true }), SHANGHAI)).toEqual([['root_canal/same_day', '2026-11-23T08:00:00Z', false]]);
    // 14:00 local (06:00Z) + 2 h = 16:00 exactly → that window.
    expect(plan(facts('root_canal_treatment', '2026-11-23T06:00:00Z', { restored: true }), SHANGHAI)).toEqual([['root_canal/same_day', '2026-11-23T08:00:00Z', false]]);
    // 14:01 local (06:01Z) + 2 h = 16:01: none left today → due at 16:01 (08:01Z), urgent.
    expect(plan(facts('root_canal_treatment', '2026-11-23T06:01:00Z', { restored: true }), SHANGHAI)).toEqual([['root_canal/same_day', '2026-11-23T08:01:00Z', true]]);
  });

  it('root-canal treatment not restored (false or unknown): a reminder 10 days on', () => {
    for (const restored of [false, undefined]) {
      expect(plan(facts('root_canal_treatment', '2026-11-23T01:00:00Z', { restored }), SHANGHAI)).toEqual([
        ['root_canal/same_day', '2026-11-23T08:00:00Z', false],
        ['root_canal/restore_reminder', '2026-12-03T02:30:00Z', false],
      ]);
    }
  });

  it('a procedure no rule names falls under the general rule', () => {
    expect(plan(facts('whitening', '2026-11-23T06:00:00Z'), SHANGHAI)).toHaveLength(5);
  });

  it('a window inside a DST gap resolves forward (Lord Howe, 2026-10-04 02:00 → 02:30)', () => {
    // Completed 2026-10-03 12:00 LHST (+10:30) = 01:30Z. Day 1 is 10-04, whose 02:15 does not exist:
    // it becomes 02:45 LHDT (+11) = 2026-10-03T15:45Z. Day 3 is 10-06 02:15 LHDT = 10-05T15:15Z.
    const lordHowe: ClinicClock = { timeZone: 'Australia/Lord_Howe', callWindows: ['02:15', '16:00'] };
    const [day1, day3] = plan(facts('other', '2026-10-03T01:30:00Z'), lordHowe);
    expect(day1).toEqual(['general/day_1', '2026-10-03T15:45:00Z', false]);
    expect(day3).toEqual(['general/day_3', '2026-10-05T15:15:00Z', false]);
  });

  it('every known procedure gets at least one follow-up, none due before the treatment', () => {
    const completedAt = Temporal.Instant.from('2026-11-23T06:00:00Z');
    for (const procedure of KNOWN_PROCEDURES) {
      const planned = planFollowUps({ procedure, completedAt }, DEFAULT_PROTOCOL, SHANGHAI);
      expect(planned.length).toBeGreaterThan(0);
      for (const p of planned) expect(Temporal.Instant.compare(p.dueAt, completedAt)).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('planFollowUps under a clinic’s own protocol', () => {
  it('sorts by due time, not by the order the steps are written in', () => {
    const protocol: Protocol = {
      version: 3,
      rules: [
        { id: 'late', procedures: ['*'], steps: [{ id: 'd5', timing: { kind: 'day_window', afterDays: 5 }, purpose: '5' }] },
        {
          id: 'early',
          procedures: ['*'],
          steps: [
            { id: 'd2', timing: { kind: 'day_window', afterDays: 2 }, purpose: '2' },
            { id: 'now', timing: { kind: 'urgent', afterMinutes: 30 }, purpose: 'now' },
          ],
        },
      ],
    };
    const planned = planFollowUps(facts('anything', '2026-11-23T06:00:00Z'), protocol, SHANGHAI);
    expect(planned.map((p) => [p.ruleId, p.stepId, p.dueAt.toString(), p.protocolVersion])).toEqual([
      ['early', 'now', '2026-11-23T06:30:00Z', 3],
      ['early', 'd2', '2026-11-25T02:30:00Z', 3],
      ['late', 'd5', '2026-11-28T02:30:00Z', 3],
    ]);
  });

  it('adds days and months together (1 month + 2 days from 11-23 is 12-25)', () => {
    const protocol: Protocol = { version: 2, rules: [{ id: 'r', procedures: ['*'], steps: [{ id: 's', timing: { kind: 'day_window', afterMonths: 1, afterDays: 2 }, purpose: 'p' }] }] };
    expect(plan(facts('x', '2026-11-23T06:00:00Z'), SHANGHAI, protocol)).toEqual([['r/s', '2026-12-25T02:30:00Z', false]]);
  });
});

describe('rulesFor', () => {
  it('gives every rule naming the procedure, and not the general rule', () => {
    expect(rulesFor(DEFAULT_PROTOCOL, 'extraction').map((r) => r.id)).toEqual(['post_op_urgent', 'prosthesis_invitation']);
  });

  it('gives the general rule for a procedure nobody names', () => {
    expect(rulesFor(DEFAULT_PROTOCOL, 'bleaching').map((r) => r.id)).toEqual(['general']);
  });

  it('gives nothing when a protocol has no general rule and does not name the procedure', () => {
    const protocol: Protocol = { version: 2, rules: [{ id: 'only', procedures: ['scaling'], steps: [{ id: 's', timing: { kind: 'urgent', afterMinutes: 0 }, purpose: 'p' }] }] };
    expect(rulesFor(protocol, 'extraction')).toEqual([]);
  });
});

describe('protocolProblems', () => {
  it('finds none in the default protocol', () => {
    expect(protocolProblems(DEFAULT_PROTOCOL)).toEqual([]);
  });

  it('names a negative or fractional number', () => {
    const protocol = {
      version: 1,
      rules: [
        {
          id: 'r',
          procedures: ['*'],
          steps: [
            { id: 'a', timing: { kind: 'day_window', afterDays: -1 }, purpose: 'p' },
            { id: 'b', timing: { kind: 'day_window', afterMonths: 0.5 }, purpose: 'p' },
            { id: 'c', timing: { kind: 'urgent', afterMinutes: 2.5 }, purpose: 'p' },
          ],
        },
      ],
    } as Protocol;
    expect(protocolProblems(protocol)).toEqual([
      'rule r, step a: afterDays/afterMonths must be whole numbers from 0',
      'rule r, step b: afterDays/afterMonths must be whole numbers from 0',
      'rule r, step c: afterMinutes must be a whole number from 0',
    ]);
  });
});
