// Local dates of a time zone ('YYYY-MM-DD', as <input type="date"> gives them) and the instants
// they start at, without a date library: Intl gives the zone's wall clock for an instant.

/** The browser's own zone, for when the page does not know the clinic's. */
export function browserTimeZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

function wallClock(epochMs, timeZone) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(epochMs));
  return Object.fromEntries(parts.filter((p) => p.type !== 'literal').map((p) => [p.type, Number(p.value)]));
}

/** The local date in `timeZone` at an instant. */
export function localDate(epochMs, timeZone) {
  const w = wallClock(epochMs, timeZone);
  return `${String(w.year).padStart(4, '0')}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/** How far the zone's wall clock is ahead of UTC at an instant, in ms. */
function offsetMs(epochMs, timeZone) {
  const w = wallClock(epochMs, timeZone);
  const whole = Math.floor(epochMs / 1000) * 1000;
  return Date.UTC(w.year, w.month - 1, w.day, w.hour % 24, w.minute, w.second) - whole;
}

/** A date `days` after (or before) a local date. */
export function addDays(date, days) {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/**
 * The first instant of a local date in `timeZone`: its midnight, or, where a clock change skips
 * midnight, the first instant the date has. Tries the offsets in force a day either side and keeps
 * the earliest instant that falls on the date.
 */
export function startOfLocalDay(date, timeZone) {
  const [y, m, d] = date.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d);
  const offsets = new Set([offsetMs(wall - 86_400_000, timeZone), offsetMs(wall, timeZone), offsetMs(wall + 86_400_000, timeZone)]);
  const starts = [...offsets].map((offset) => wall - offset).filter((instant) => localDate(instant, timeZone) === date);
  return new Date(starts.length ? Math.min(...starts) : wall - offsetMs(wall, timeZone));
}

/** Is this a real date as 'YYYY-MM-DD'? */
export function isLocalDate(value) {
  return /^\d{4}-\d{2}-\d{2}$/.test(value ?? '') && addDays(value, 0) === value;
}

/** The wall clock of an instant in `timeZone` as <input type="datetime-local"> shows it: 'YYYY-MM-DDTHH:MM'. */
export function localDateTime(epochMs, timeZone) {
  const w = wallClock(epochMs, timeZone);
  const two = (n) => String(n).padStart(2, '0');
  return `${String(w.year).padStart(4, '0')}-${two(w.month)}-${two(w.day)}T${two(w.hour % 24)}:${two(w.minute)}`;
}

/**
 * The instant a wall-clock time of `timeZone` ('YYYY-MM-DDTHH:MM', from <input type="datetime-local">)
 * stands for — in the clinic's zone, whatever the browser's is. A time a clock change skips is
 * read with the offset before the change (as Temporal's 'compatible'); a repeated one, its first.
 */
export function zonedDateTimeToInstant(value, timeZone) {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value ?? '');
  if (!match) return null;
  const [, y, mo, d, hh, mi, ss] = match.map(Number);
  const wall = Date.UTC(y, mo - 1, d, hh, mi, ss || 0);
  if (Number.isNaN(wall)) return null;
  const candidates = [...new Set([offsetMs(wall - 86_400_000, timeZone), offsetMs(wall, timeZone), offsetMs(wall + 86_400_000, timeZone)])]
    .map((offset) => wall - offset)
    .filter((instant) => localDateTime(instant, timeZone) === value.slice(0, 16));
  if (candidates.length) return new Date(Math.min(...candidates));
  // In a gap: the offset in force before it.
  return new Date(wall - offsetMs(wall - 86_400_000, timeZone));
}

/** The first instant of the local day after the one `epochMs` falls on: "the end of today". */
export function endOfLocalDay(epochMs, timeZone) {
  return startOfLocalDay(addDays(localDate(epochMs, timeZone), 1), timeZone);
}

/** The ISO week ('2026-W49') of a local date ('YYYY-MM-DD'). */
export function isoWeekOf(date) {
  const [y, m, d] = date.split('-').map(Number);
  const day = new Date(Date.UTC(y, m - 1, d));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** 1 = Monday … 7 = Sunday, of a local date. */
export function weekdayOf(date) {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay() || 7;
}

/**
 * The week a manager wants on opening the weekly summary: the last complete ISO week in the
 * clinic's zone (on a Monday, the week that just ended).
 */
export function lastCompleteWeek(epochMs, timeZone) {
  const today = localDate(epochMs, timeZone);
  return isoWeekOf(addDays(today, -weekdayOf(today)));
}

/** An instant as the zone's wall clock with its offset: '2026-12-07T10:30:00+08:00' (or '2026-12-07 10:30:00' for people). */
export function zonedIso(epochMs, timeZone, { forPeople = false } = {}) {
  const w = wallClock(epochMs, timeZone);
  const two = (n) => String(n).padStart(2, '0');
  const date = `${String(w.year).padStart(4, '0')}-${two(w.month)}-${two(w.day)}`;
  const time = `${two(w.hour % 24)}:${two(w.minute)}:${two(w.second)}`;
  if (forPeople) return `${date} ${time}`;
  const offset = Math.round(offsetMs(epochMs, timeZone) / 60_000);
  const sign = offset < 0 ? '-' : '+';
  return `${date}T${time}${sign}${two(Math.floor(Math.abs(offset) / 60))}:${two(Math.abs(offset) % 60)}`;
}
