/**
 * Properties of the default protocol's schedule over random completion instants, zones, window
 * sets and treatments. Windows may fall anywhere in the day, DST gaps included: a window whose
 * local time does not exist on a day is due at the instant the wall clock would show it had the
 * clock not jumped (02:30 in a 02:00→03:00 gap is due at 03:30), and the check below says exactly that.
 */
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import type { ClinicClock } from './call-windows';
import { DEFAULT_PROTOCOL, KNOWN_PROCEDURES } from './default-protocol';
import { planFollowUps, PlannedFollowUp, TreatmentFacts } from './schedule';

const ZONES = ['America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Shanghai', 'Asia/Kolkata', 'America/Sao_Paulo', 'UTC'] as const;

const hhmm = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
/** Also the hours DST changes in, every so often. */
const windowTime = fc.oneof(hhmm, fc.constantFrom('00:00', '00:30', '01:00', '01:30', '02:00', '02:15', '02:30', '02:59', '03:00'));
const windowSet = fc.uniqueArray(windowTime, { minLength: 1, maxLength: 4 }).map((ws) => [...ws].sort());

const clock = fc.record({ timeZone: fc.constantFrom(...ZONES), callWindows: windowSet });
/** 2000–2040, to the second; the DST days are reached by `nearDst` below. */
const instant = fc.integer({ min: 946_684_800, max: 2_208_988_800 }).map((s) => Temporal.Instant.fromEpochMilliseconds(s * 1000));
/** Instants within two days of a DST change somewhere in the list, where the edge cases live. */
const DST_CHANGES = ['2026-03-08T07:00:00Z', '2026-11-01T06:00:00Z', '2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z', '2026-10-03T15:30:00Z', '2026-04-04T15:00:00Z'].map((s) => Temporal.Instant.from(s));
const nearDst = fc.tuple(fc.constantFrom(...DST_CHANGES), fc.integer({ min: -2 * 86_400, max: 2 * 86_400 })).map(([t, s]) => t.add({ seconds: s }));
const optionalFlag = fc.constantFrom(true, false, undefined);
const treatment = fc.record({
  procedure: fc.constantFrom(...KNOWN_PROCEDURES),
  completedAt: fc.oneof(instant, nearDst),
  restored: optionalFlag,
  needsProsthesis: optionalFlag,
});

const RUNS = { numRuns: 400 };

/** Wall-clock nanoseconds: the local date-time read as if it were UTC. */
function wallNs(date: Temporal.PlainDate, time: Temporal.PlainTime): bigint {
  return date.toPlainDateTime(time).toZonedDateTime('UTC').epochNanoseconds;
}

/**
 * Is `due` a call window of `clock` on its local day? Either its local time is one of the windows,
 * or a window's local time was skipped by a forward jump just before `due` and `due` is that wall
 * time read with the offset from before the jump.
 */
function isOnWindow(due: Temporal.Instant, { timeZone, callWindows }: ClinicClock): boolean {
  const local = due.toZonedDateTimeISO(timeZone);
  const time = local.toPlainTime();
  if (callWindows.some((w) => Temporal.PlainTime.compare(Temporal.PlainTime.from(w), time) === 0)) return true;
  const jump = due.add({ nanoseconds: 1 }).toZonedDateTimeISO(timeZone).getTimeZoneTransition('previous');
  if (!jump) return false;
  const offsetAfter = BigInt(jump.offsetNanoseconds);
  const offsetBefore = BigInt(jump.toInstant().subtract({ nanoseconds: 1 }).toZonedDateTimeISO(timeZone).offsetNanoseconds);
  if (offsetAfter <= offsetBefore) return false; // fell back: no local time was skipped
  const gapStart = jump.epochNanoseconds + offsetBefore; // wall clock at the jump, before it
  const gapEnd = jump.epochNanoseconds + offsetAfter; // wall clock at the jump, after it
  return callWindows.some((w) => {
    const wall = wallNs(local.toPlainDate(), Temporal.PlainTime.from(w));
    return wall >= gapStart && wall < gapEnd && due.epochNanoseconds === wall - offsetBefore;
  });
}

/** How many follow-ups the default protocol gives each procedure (DOMAIN.md's table, counted by hand). */
function expectedCount({ procedure, restored, needsProsthesis }: TreatmentFacts): number {
  switch (procedure) {
    case 'extraction':
      return 2 + (needsProsthesis === true ? 1 : 0);
    case 'root_canal_filling':
    case 'ortho_first_fitting':
    case 'ortho_adjustment':
      return 2;
    case 'root_canal_treatment':
      return restored === true ? 1 : 2;
    case 'prosthesis_fitting':
    case 'scaling':
    case 'pulp_opening':
    case 'canal_enlargement_reaction':
    case 'infusion':
      return 1;
    case 'ortho_retainer':
      return 3;
    case 'implant_surgery':
      return 4;
    default:
      return 5;
  }
}

const plannedFor = (t: TreatmentFacts, c: ClinicClock): PlannedFollowUp[] => planFollowUps(t, DEFAULT_PROTOCOL, c);

describe('the schedule (property)', () => {
  it('never puts a follow-up before its treatment', () => {
    fc.assert(
      fc.property(treatment, clock, (t, c) => {
        for (const p of plannedFor(t, c)) expect(Temporal.Instant.compare(p.dueAt, t.completedAt)).toBeGreaterThanOrEqual(0);
      }),
      RUNS,
    );
  });

  it('puts every non-urgent follow-up exactly on a call window of the clinic’s local day', () => {
    fc.assert(
      fc.property(treatment, clock, (t, c) => {
        for (const p of plannedFor(t, c)) {
          if (!p.urgent && !isOnWindow(p.dueAt, c)) {
            throw new Error(`${p.ruleId}/${p.stepId} due ${p.dueAt.toZonedDateTimeISO(c.timeZone).toString()} is not on a window of ${c.callWindows.join(',')}`);
          }
        }
      }),
      RUNS,
    );
  });

  it('returns the follow-ups sorted by due time', () => {
    fc.assert(
      fc.property(treatment, clock, (t, c) => {
        const due = plannedFor(t, c).map((p) => p.dueAt.epochNanoseconds);
        for (let k = 1; k < due.length; k++) expect(due[k - 1]! <= due[k]!).toBe(true);
      }),
      RUNS,
    );
  });

  it('gives each procedure the number of follow-ups its rule lists, all stamped with version 1', () => {
    fc.assert(
      fc.property(treatment, clock, (t, c) => {
        const planned = plannedFor(t, c);
        expect(planned).toHaveLength(expectedCount(t));
        expect(new Set(planned.map((p) => `${p.ruleId}/${p.stepId}`)).size).toBe(planned.length);
        for (const p of planned) expect(p.protocolVersion).toBe(1);
      }),
      RUNS,
    );
  });

  it('makes urgent follow-ups due within 3 hours of the treatment (⚡ 2–3 hours, or at once)', () => {
    fc.assert(
      fc.property(treatment, clock, (t, c) => {
        const latest = t.completedAt.add({ hours: 3 });
        for (const p of plannedFor(t, c).filter((f) => f.urgent)) expect(Temporal.Instant.compare(p.dueAt, latest)).toBeLessThanOrEqual(0);
      }),
      RUNS,
    );
  });

  it('puts day-counted follow-ups on a later local day than the treatment', () => {
    const dayCounted = new Set(DEFAULT_PROTOCOL.rules.flatMap((r) => r.steps.filter((s) => s.timing.kind === 'day_window').map((s) => `${r.id}/${s.id}`)));
    fc.assert(
      fc.property(treatment, clock, (t, c) => {
        const treated = t.completedAt.toZonedDateTimeISO(c.timeZone).toPlainDate();
        for (const p of plannedFor(t, c).filter((f) => dayCounted.has(`${f.ruleId}/${f.stepId}`))) {
          expect(Temporal.PlainDate.compare(p.dueAt.toZonedDateTimeISO(c.timeZone).toPlainDate(), treated)).toBe(1);
        }
      }),
      RUNS,
    );
  });
});

/** Spring-forward days, with the skipped local hour(s) written out from the tz database. */
const SPRING_FORWARD = [
  { timeZone: 'America/New_York', date: '2026-03-08', gapStart: '02:00', gapMinutes: 60 },
  { timeZone: 'America/New_York', date: '2027-03-14', gapStart: '02:00', gapMinutes: 60 },
  { timeZone: 'Europe/London', date: '2026-03-29', gapStart: '01:00', gapMinutes: 60 },
  { timeZone: 'Australia/Lord_Howe', date: '2026-10-04', gapStart: '02:00', gapMinutes: 30 },
  { timeZone: 'America/Sao_Paulo', date: '2018-11-04', gapStart: '00:00', gapMinutes: 60 },
] as const;

describe('the schedule on a spring-forward day (property)', () => {
  // Random inputs rarely land a follow-up on the one day a year a window does not exist; these do.
  const caseOnGapDay = fc.record({
    change: fc.constantFrom(...SPRING_FORWARD),
    /** Minutes into the gap for the first window. */
    into: fc.integer({ min: 0, max: 59 }),
    /** A second window, after the gap. */
    later: fc.integer({ min: 4 * 60, max: 23 * 60 + 59 }),
    /** Which general step lands on the day: day 1, 3 or 7. */
    step: fc.constantFrom(['day_1', 1], ['day_3', 3], ['day_7', 7]) as fc.Arbitrary<[string, number]>,
    /** Local time of the treatment, minutes after midnight. */
    treatedAt: fc.integer({ min: 4 * 60, max: 23 * 60 + 59 }),
  });
  const time = (minutes: number) => Temporal.PlainTime.from({ hour: Math.floor(minutes / 60), minute: minutes % 60 });

  it('moves a window inside the gap forward by the gap’s length, and calls it on a window', () => {
    fc.assert(
      fc.property(caseOnGapDay, ({ change, into, later, step: [stepId, days], treatedAt }) => {
        const gapStart = Temporal.PlainTime.from(change.gapStart);
        const window = gapStart.add({ minutes: into % change.gapMinutes });
        const c: ClinicClock = { timeZone: change.timeZone, callWindows: [window.toString().slice(0, 5), time(later).toString().slice(0, 5)] };
        const day = Temporal.PlainDate.from(change.date);
        const completedAt = day.subtract({ days }).toPlainDateTime(time(treatedAt)).toZonedDateTime(change.timeZone).toInstant();
        const followUp = plannedFor({ procedure: 'other', completedAt }, c).find((p) => p.stepId === stepId)!;
        const local = followUp.dueAt.toZonedDateTimeISO(change.timeZone);
        expect(local.toPlainDate().toString()).toBe(change.date);
        expect(local.toPlainTime().toString()).toBe(window.add({ minutes: change.gapMinutes }).toString());
        expect(isOnWindow(followUp.dueAt, c)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('the window check used above', () => {
  // It must be able to say no, or the property proves nothing.
  const ny: ClinicClock = { timeZone: 'America/New_York', callWindows: ['02:30', '10:30'] };
  it('accepts a window’s local time and the gap-shifted 02:30 → 03:30 EDT on 2026-03-08', () => {
    expect(isOnWindow(Temporal.Instant.from('2026-03-09T14:30:00Z'), ny)).toBe(true);
    expect(isOnWindow(Temporal.Instant.from('2026-03-08T07:30:00Z'), ny)).toBe(true);
  });
  it('refuses other times, and 03:30 on a day without a gap', () => {
    expect(isOnWindow(Temporal.Instant.from('2026-03-09T14:31:00Z'), ny)).toBe(false);
    expect(isOnWindow(Temporal.Instant.from('2026-03-08T07:31:00Z'), ny)).toBe(false);
    expect(isOnWindow(Temporal.Instant.from('2026-03-10T07:30:00Z'), ny)).toBe(false);
    expect(isOnWindow(Temporal.Instant.from('2026-11-01T08:30:00Z'), ny)).toBe(false);
  });
});
