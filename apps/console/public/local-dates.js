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
