/**
 * The clinic's calendar (issue 15 item 7): call windows per weekday, closed weekdays and holidays.
 * Nothing falls due on a closed day; an urgent call that would be moves to the next open window,
 * flagged. Shanghai: 10:30 local = 02:30Z; Sunday 2026-11-29 is a closed weekday below, Wednesday
 * 2026-11-25 a holiday, and Saturdays call only at 10:00.
 */
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { ClinicClock, firstWindowOn, isClosedOn, localDate, nextWindow, windowsOn } from './call-windows';
import { DEFAULT_PROTOCOL, KNOWN_PROCEDURES } from './default-protocol';
import { planFollowUps } from './schedule';

const CLINIC: ClinicClock = {
  timeZone: 'Asia/Shanghai',
  callWindows: ['10:30', '16:00'],
  windowsByWeekday: { '6': ['10:00'] },
  closedWeekdays: [7],
  closedDates: ['2026-11-25'],
};
const i = (s: string) => Temporal.Instant.from(s);
const d = (s: string) => Temporal.PlainDate.from(s);

describe('the clinic calendar', () => {
  it('has no windows on a closed weekday or a holiday, and its own on a weekday it names', () => {
    expect(windowsOn(d('2026-11-29'), CLINIC)).toEqual([]);
    expect(windowsOn(d('2026-11-25'), CLINIC)).toEqual([]);
    expect(windowsOn(d('2026-11-28'), CLINIC).map(String)).toEqual(['2026-11-28T02:00:00Z']);
    expect(windowsOn(d('2026-11-24'), CLINIC).map(String)).toEqual(['2026-11-24T02:30:00Z', '2026-11-24T08:00:00Z']);
  });

  it('moves a call due on a closed day to the next open window', () => {
    // Tue 24 after 16:00 → Wed 25 is a holiday → Thu 26 10:30.
    expect(nextWindow(i('2026-11-24T09:00:00Z'), CLINIC).toString()).toBe('2026-11-26T02:30:00Z');
    // Sat 28 after 10:00 → Sun 29 closed → Mon 30 10:30.
    expect(nextWindow(i('2026-11-28T03:00:00Z'), CLINIC).toString()).toBe('2026-11-30T02:30:00Z');
    expect(firstWindowOn(d('2026-11-29'), CLINIC).toString()).toBe('2026-11-30T02:30:00Z');
  });

  it('an urgent call on a closed day goes to the next open window, flagged; on an open day it stays due at once', () => {
    // An extraction on the holiday morning: the ⚡ 2-hour check would be due on the holiday.
    const [onHoliday] = planFollowUps({ procedure: 'extraction', completedAt: i('2026-11-25T01:00:00Z') }, DEFAULT_PROTOCOL, CLINIC);
    expect(onHoliday).toMatchObject({ stepId: 'after_2h', urgent: true, movedFromClosedDay: true });
    expect(onHoliday!.dueAt.toString()).toBe('2026-11-26T02:30:00Z');
    const [onTuesday] = planFollowUps({ procedure: 'extraction', completedAt: i('2026-11-24T01:00:00Z') }, DEFAULT_PROTOCOL, CLINIC);
    expect(onTuesday).toMatchObject({ urgent: true });
    expect(onTuesday!.movedFromClosedDay).toBeUndefined();
    expect(onTuesday!.dueAt.toString()).toBe('2026-11-24T03:00:00Z');
  });

  it('nothing falls due on a closed day, whatever the treatment, day and calendar (property)', () => {
    const calendar = fc.record({
      closedWeekdays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { maxLength: 5 }),
      closedDates: fc.uniqueArray(fc.integer({ min: 0, max: 120 }).map((n) => d('2026-11-01').add({ days: n }).toString()), { maxLength: 30 }),
    });
    fc.assert(
      fc.property(calendar, fc.constantFrom(...KNOWN_PROCEDURES), fc.integer({ min: 0, max: 60 * 24 * 60 }), (cal, procedure, minutes) => {
        const clock: ClinicClock = { ...CLINIC, ...cal };
        const completedAt = i('2026-11-01T00:00:00Z').add({ minutes });
        for (const planned of planFollowUps({ procedure, completedAt, restored: false, needsProsthesis: true }, DEFAULT_PROTOCOL, clock)) {
          expect({ procedure, step: planned.stepId, closed: isClosedOn(localDate(planned.dueAt, clock.timeZone), clock) }).toEqual({ procedure, step: planned.stepId, closed: false });
        }
      }),
      { numRuns: 300 },
    );
  });
});
