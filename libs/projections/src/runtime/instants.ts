import { Temporal } from 'temporal-polyfill';

/**
 * Epoch milliseconds of an ISO-8601 instant from an event. Read models compare instants as
 * integers (the same on SQLite and PostgreSQL); an unreadable instant is an event the projection
 * cannot apply, so it throws and names the field.
 */
export function epochMs(iso: unknown, field: string): number {
  if (typeof iso !== 'string') throw new TypeError(`${field} is not an instant: ${JSON.stringify(iso)}`);
  // Date.parse is quick for the usual `...Z` spelling; Temporal settles anything it cannot read.
  const quick = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(iso) ? Date.parse(iso) : NaN;
  if (!Number.isNaN(quick)) return quick;
  try {
    return Temporal.Instant.from(iso).epochMilliseconds;
  } catch {
    throw new TypeError(`${field} is not an instant: ${JSON.stringify(iso)}`);
  }
}

export function isoOf(ms: number): string {
  return Temporal.Instant.fromEpochMilliseconds(ms).toString();
}

const DAY_MS = 86_400_000;

/** A stretch of time over which a zone keeps one UTC offset (between two of its transitions). */
interface OffsetSpan {
  startMs: number;
  endMs: number;
  offsetMs: number;
}

/** Per zone, the spans looked up so far: reports place thousands of instants, and Temporal is slow (~40 µs) per conversion. */
const spansByZone = new Map<string, OffsetSpan[]>();

/** The zone's UTC offset at an instant, by its transitions (DST and history), looked up once per span. */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  let spans = spansByZone.get(timeZone);
  if (!spans) spansByZone.set(timeZone, (spans = []));
  for (const span of spans) if (epochMs >= span.startMs && epochMs < span.endMs) return span.offsetMs;
  const zoned = Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(timeZone);
  const next = zoned.getTimeZoneTransition('next');
  const previous = zoned.getTimeZoneTransition('previous');
  // The previous transition starts this span only if it led to this offset (at a transition itself, it did not).
  const startMs = !previous ? -8.64e15 : previous.offsetNanoseconds === zoned.offsetNanoseconds ? previous.epochMilliseconds : epochMs;
  const span = { startMs, endMs: next && next.epochMilliseconds > epochMs ? next.epochMilliseconds : 8.64e15, offsetMs: zoned.offsetNanoseconds / 1e6 };
  if (spans.length >= 64) spans.shift();
  spans.push(span);
  return span.offsetMs;
}

/** The local weekday (1 = Monday) and minute of the day of an instant in a zone. */
export function localWeekdayAndMinute(epochMs: number, timeZone: string): { weekday: number; minuteOfDay: number } {
  const localMs = epochMs + zoneOffsetMs(epochMs, timeZone);
  const day = Math.floor(localMs / DAY_MS);
  // 1 January 1970 was a Thursday (4).
  return { weekday: ((((day + 3) % 7) + 7) % 7) + 1, minuteOfDay: Math.floor((localMs - day * DAY_MS) / 60_000) };
}
