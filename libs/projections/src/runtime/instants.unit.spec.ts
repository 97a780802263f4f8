import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { localWeekdayAndMinute } from './instants';

const ZONES = ['Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/Sao_Paulo', 'UTC'];

describe('local weekday and minute of an instant', () => {
  it('agree with Temporal in every zone, across DST changes and their edges', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: Date.parse('1990-01-01T00:00:00Z'), max: Date.parse('2040-01-01T00:00:00Z') }), (zone, ms) => {
        const zoned = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone);
        expect(localWeekdayAndMinute(ms, zone)).toEqual({ weekday: zoned.dayOfWeek, minuteOfDay: zoned.hour * 60 + zoned.minute });
      }),
      { numRuns: 2000 },
    );
  });

  it('places the instants on either side of a transition in their own offsets', () => {
    // Europe/Berlin springs forward at 01:00Z on 29 March 2026 (02:00 → 03:00 local) and falls back at 01:00Z on 25 October.
    const at = (iso: string) => localWeekdayAndMinute(Date.parse(iso), 'Europe/Berlin');
    expect(at('2026-03-29T00:59:00Z')).toEqual({ weekday: 7, minuteOfDay: 1 * 60 + 59 });
    expect(at('2026-03-29T01:00:00Z')).toEqual({ weekday: 7, minuteOfDay: 3 * 60 });
    expect(at('2026-10-25T00:59:00Z')).toEqual({ weekday: 7, minuteOfDay: 2 * 60 + 59 });
    expect(at('2026-10-25T01:00:00Z')).toEqual({ weekday: 7, minuteOfDay: 2 * 60 });
    // Asked first exactly at the transition, then just before it.
    const fresh = (iso: string) => localWeekdayAndMinute(Date.parse(iso), 'America/New_York');
    expect(fresh('2026-03-08T07:00:00Z')).toEqual({ weekday: 7, minuteOfDay: 3 * 60 });
    expect(fresh('2026-03-08T06:59:00Z')).toEqual({ weekday: 7, minuteOfDay: 1 * 60 + 59 });
  });
});
