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
