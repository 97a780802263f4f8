import { Temporal } from 'temporal-polyfill';

/**
 * Call windows: the clinic's daily calling times ("10:30", "16:00") in its IANA time zone.
 * All math goes through Temporal so a window keeps its local time across DST changes.
 */

export interface ClinicClock {
  timeZone: string;
  /** "HH:MM", ascending. */
  callWindows: string[];
}

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
  return clock.callWindows
    .map((hhmm) => date.toZonedDateTime({ timeZone: clock.timeZone, plainTime: Temporal.PlainTime.from(hhmm) }).toInstant())
    .sort(Temporal.Instant.compare);
}

/** The first window at or after `instant` (strictly after when `strict`). */
export function nextWindow(instant: Temporal.Instant, clock: ClinicClock, strict = false): Temporal.Instant {
  let date = instant.toZonedDateTimeISO(clock.timeZone).toPlainDate();
  for (let day = 0; day < 3; day++) {
    const found = windowsOn(date, clock).find((w) => (strict ? Temporal.Instant.compare(w, instant) > 0 : Temporal.Instant.compare(w, instant) >= 0));
    if (found) return found;
    date = date.add({ days: 1 });
  }
  throw new Error('a clinic must have at least one call window');
}

/** The first window of a local day. */
export function firstWindowOn(date: Temporal.PlainDate, clock: ClinicClock): Temporal.Instant {
  const [first] = windowsOn(date, clock);
  if (!first) throw new Error('a clinic must have at least one call window');
  return first;
}

export function localDate(instant: Temporal.Instant, timeZone: string): Temporal.PlainDate {
  return instant.toZonedDateTimeISO(timeZone).toPlainDate();
}
