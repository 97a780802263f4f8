import { Temporal } from 'temporal-polyfill';
import { ClinicClock, localDate, nextWindow } from './call-windows';
import type { EventRule } from './protocol';
import { PlannedFollowUp, planStep } from './schedule';

/**
 * Special dates (birthday, wedding anniversary, …) recur every year: "MM-DD", or "YYYY-MM-DD" where
 * the year is the year it began (a birth year) and does not stop the recurrence. 02-29 falls on
 * 02-28 in a common year.
 */
const SPECIAL_DATE = /^(?:(\d{4})-)?(\d{2})-(\d{2})$/;

export function parseSpecialDate(date: string): { month: number; day: number } | undefined {
  const match = SPECIAL_DATE.exec(date);
  if (!match) return undefined;
  const [, year, mm, dd] = match;
  const month = Number(mm);
  const day = Number(dd);
  try {
    // A leap year admits 02-29; a given year must admit the day itself.
    Temporal.PlainDate.from({ year: year ? Number(year) : 2000, month, day }, { overflow: 'reject' });
    return { month, day };
  } catch {
    return undefined;
  }
}

export function isSpecialDate(date: string): boolean {
  return parseSpecialDate(date) !== undefined;
}

/** The first day on or after `from` that the date falls on. */
export function occurrenceOnOrAfter(date: string, from: Temporal.PlainDate): Temporal.PlainDate {
  const parsed = parseSpecialDate(date);
  if (!parsed) throw new Error(`not a special date: ${date}`);
  const inYear = (year: number) => Temporal.PlainDate.from({ year, month: parsed.month, day: parsed.day }, { overflow: 'constrain' });
  const thisYear = inYear(from.year);
  return Temporal.PlainDate.compare(thisYear, from) >= 0 ? thisYear : inYear(from.year + 1);
}

/**
 * The greeting for the next occurrence of `date` on or after `earliestDay`, due no earlier than
 * `now`: the rule's timing counted from the day's local midnight (by default its first window).
 * On the day itself, after that window, a later window of the same day still greets on time.
 */
export function planGreeting(rule: EventRule, protocolVersion: number, date: string, earliestDay: Temporal.PlainDate, now: Temporal.Instant, clock: ClinicClock): PlannedFollowUp {
  let day = occurrenceOnOrAfter(date, earliestDay);
  for (;;) {
    const plan = planStep(rule.id, rule.step, protocolVersion, day.toZonedDateTime({ timeZone: clock.timeZone }).toInstant(), clock);
    if (Temporal.Instant.compare(plan.dueAt, now) >= 0) return plan;
    const later = nextWindow(now, clock);
    if (localDate(later, clock.timeZone).equals(day)) return { ...plan, dueAt: later, urgent: false };
    day = occurrenceOnOrAfter(date, day.add({ days: 1 }));
  }
}
