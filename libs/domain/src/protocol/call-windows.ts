import { Temporal } from 'temporal-polyfill';
import type { UrgentRuleSettings } from './urgent-deadlines';

/**
 * Call windows: the clinic's daily calling times ("10:30", "16:00") in its IANA time zone.
 * All math goes through Temporal so a window keeps its local time across DST changes.
 */

export interface ClinicClock {
  timeZone: string;
  /** "HH:MM", ascending. */
  callWindows: string[];
  /** The clinic's calendar: other windows on some weekdays ("6": Saturday's), weekdays it is closed, holidays ("YYYY-MM-DD"). */
  windowsByWeekday?: Readonly<Record<string, readonly string[]>>;
  closedWeekdays?: readonly number[];
  closedDates?: readonly string[];
  /** The clinic's own deadlines for urgent calls (urgent-deadlines.ts). */
  urgentRules?: UrgentRuleSettings;
}

/** Closed that local day: a closed weekday or a holiday the clinic entered. Nothing falls due on it. */
export function isClosedOn(date: Temporal.PlainDate, clock: ClinicClock): boolean {
  return (clock.closedWeekdays?.includes(date.dayOfWeek) ?? false) || (clock.closedDates?.includes(date.toString()) ?? false);
}

/** The search for an open day gives up after this many days (a clinic closed for a year is misconfigured). */
const DAYS_AHEAD = 400;

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function isCallWindow(value: string): boolean {
  return HH_MM.test(value);
}

export function isTimeZone(value: string): boolean {
  try {
    // Temporal also takes an offset ("+08:00") or a whole ISO date-time ("2026-11-23T06:00Z") as a
    // time zone; neither is an IANA name, and Intl refuses both. Only a name that resolves to itself is one.
    const id = Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(value).timeZoneId;
    return id.toLowerCase() === value.toLowerCase() && /^[A-Za-z]/.test(id);
  } catch {
    return false;
  }
}

/** The windows of one local day, as instants, ascending (DST gaps resolve forward). */
export function windowsOn(date: Temporal.PlainDate, clock: ClinicClock): Temporal.Instant[] {
  if (isClosedOn(date, clock)) return [];
  return (clock.windowsByWeekday?.[String(date.dayOfWeek)] ?? clock.callWindows)
    .map((hhmm) => date.toZonedDateTime({ timeZone: clock.timeZone, plainTime: Temporal.PlainTime.from(hhmm) }).toInstant())
    .sort(Temporal.Instant.compare);
}

/** The first window at or after `instant` (strictly after when `strict`). */
export function nextWindow(instant: Temporal.Instant, clock: ClinicClock, strict = false): Temporal.Instant {
  let date = instant.toZonedDateTimeISO(clock.timeZone).toPlainDate();
  for (let day = 0; day <= DAYS_AHEAD; day++) {
    const found = windowsOn(date, clock).find((w) => (strict ? Temporal.Instant.compare(w, instant) > 0 : Temporal.Instant.compare(w, instant) >= 0));
    if (found) return found;
    date = date.add({ days: 1 });
  }
  throw new Error('a clinic must have a call window on some open day');
}

/** The first window of a local day; on a closed day, of the next open day. */
export function firstWindowOn(date: Temporal.PlainDate, clock: ClinicClock): Temporal.Instant {
  for (let day = 0; day <= DAYS_AHEAD; day++) {
    const [first] = windowsOn(date.add({ days: day }), clock);
    if (first) return first;
  }
  throw new Error('a clinic must have a call window on some open day');
}

/**
 * An urgent call that falls on a closed day goes to the next open window, flagged: the clinic is
 * not there to make it. Otherwise it stays due at once.
 */
export function urgentDue(dueAt: Temporal.Instant, clock: ClinicClock): { dueAt: Temporal.Instant; movedFromClosedDay?: true } {
  if (!isClosedOn(localDate(dueAt, clock.timeZone), clock)) return { dueAt };
  return { dueAt: nextWindow(dueAt, clock), movedFromClosedDay: true };
}

export function localDate(instant: Temporal.Instant, timeZone: string): Temporal.PlainDate {
  return instant.toZonedDateTimeISO(timeZone).toPlainDate();
}
