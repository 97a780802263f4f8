import fc from 'fast-check';
import { isWorkHours, localMoment, mayCallAt, nextAcceptedAt, withinPreferredTimes, workMinutes } from './contact-preferences';

const at = (iso: string, zone = 'Asia/Shanghai') => localMoment(Date.parse(iso), zone);
const none = { doNotCall: false, avoidWorkHours: false, preferredTimes: [] };

describe('contact preferences judged at the moment the queue is read', () => {
  it('reads the local weekday and time in the clinic’s zone, across a DST change', () => {
    // Tuesday 24 Nov 2026, 01:00Z = 09:00 in Shanghai.
    expect(at('2026-11-24T01:00:00Z')).toEqual({ weekday: 2, minuteOfDay: 9 * 60 });
    // New York: 13:30Z is 08:30 EST on Saturday 7 March 2026 and 09:30 EDT on Monday 9 March.
    expect(at('2026-03-07T13:30:00Z', 'America/New_York')).toEqual({ weekday: 6, minuteOfDay: 8 * 60 + 30 });
    expect(at('2026-03-09T13:30:00Z', 'America/New_York')).toEqual({ weekday: 1, minuteOfDay: 9 * 60 + 30 });
  });

  it('work hours are Monday to Friday, 09:00 up to (not including) 18:00', () => {
    expect(isWorkHours({ weekday: 1, minuteOfDay: 9 * 60 })).toBe(true);
    expect(isWorkHours({ weekday: 1, minuteOfDay: 9 * 60 - 1 })).toBe(false);
    expect(isWorkHours({ weekday: 5, minuteOfDay: 18 * 60 - 1 })).toBe(true);
    expect(isWorkHours({ weekday: 5, minuteOfDay: 18 * 60 })).toBe(false);
    expect(isWorkHours({ weekday: 6, minuteOfDay: 10 * 60 })).toBe(false);
    expect(isWorkHours({ weekday: 7, minuteOfDay: 10 * 60 })).toBe(false);
  });

  it('preferred ranges include their start, exclude their end, may wrap midnight, and unreadable ones are ignored', () => {
    const noon = ['12:00-13:00'];
    expect(withinPreferredTimes(noon, { weekday: 1, minuteOfDay: 12 * 60 })).toBe(true);
    expect(withinPreferredTimes(noon, { weekday: 1, minuteOfDay: 13 * 60 })).toBe(false);
    expect(withinPreferredTimes(['12:00-13:00', '19:00-21:00'], { weekday: 1, minuteOfDay: 20 * 60 })).toBe(true);
    expect(withinPreferredTimes(['22:00-07:00'], { weekday: 1, minuteOfDay: 23 * 60 })).toBe(true);
    expect(withinPreferredTimes(['22:00-07:00'], { weekday: 1, minuteOfDay: 6 * 60 })).toBe(true);
    expect(withinPreferredTimes(['22:00-07:00'], { weekday: 1, minuteOfDay: 8 * 60 })).toBe(false);
    expect(withinPreferredTimes(['lunchtime'], { weekday: 1, minuteOfDay: 8 * 60 })).toBe(true);
    expect(withinPreferredTimes(['lunchtime', '12:00-13:00'], { weekday: 1, minuteOfDay: 8 * 60 })).toBe(false);
  });

  it('do-not-call wins over everything; the rest combine', () => {
    const saturdayNoon = { weekday: 6, minuteOfDay: 12 * 60 + 15 };
    const mondayNoon = { weekday: 1, minuteOfDay: 12 * 60 + 15 };
    expect(mayCallAt(none, mondayNoon)).toBe(true);
    expect(mayCallAt({ ...none, doNotCall: true, preferredTimes: ['12:00-13:00'] }, saturdayNoon)).toBe(false);
    expect(mayCallAt({ ...none, avoidWorkHours: true }, mondayNoon)).toBe(false);
    expect(mayCallAt({ ...none, avoidWorkHours: true }, saturdayNoon)).toBe(true);
    expect(mayCallAt({ ...none, avoidWorkHours: true, preferredTimes: ['12:00-13:00'] }, mondayNoon)).toBe(false);
    expect(mayCallAt({ ...none, preferredTimes: ['12:00-13:00'] }, mondayNoon)).toBe(true);
  });

  it('work hours are the clinic’s when it set them (a Saturday clinic, 08:00–20:00)', () => {
    const saturdays = workMinutes({ days: [2, 3, 4, 5, 6], from: '08:00', to: '20:00' });
    expect(isWorkHours({ weekday: 6, minuteOfDay: 10 * 60 }, saturdays)).toBe(true);
    expect(isWorkHours({ weekday: 1, minuteOfDay: 10 * 60 }, saturdays)).toBe(false);
    expect(isWorkHours({ weekday: 3, minuteOfDay: 19 * 60 }, saturdays)).toBe(true);
    expect(mayCallAt({ ...none, avoidWorkHours: true }, { weekday: 3, minuteOfDay: 19 * 60 }, saturdays)).toBe(false);
  });
});

describe('a call the wishes exclude moves to the next time they accept (issue 15 item 6)', () => {
  const ZONE = 'Asia/Shanghai';
  const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

  it('not at work: a Monday 10:30 call is offered at 18:00; a Friday 17:00 one too; a Saturday one at once', () => {
    const wishes = { avoidWorkHours: true, preferredTimes: [] };
    expect(iso(nextAcceptedAt(wishes, Date.parse('2026-11-23T02:30:00Z'), ZONE))).toBe('2026-11-23T10:00:00.000Z');
    expect(iso(nextAcceptedAt(wishes, Date.parse('2026-11-27T09:00:00Z'), ZONE))).toBe('2026-11-27T10:00:00.000Z');
    expect(iso(nextAcceptedAt(wishes, Date.parse('2026-11-28T02:30:00Z'), ZONE))).toBe('2026-11-28T02:30:00.000Z');
  });

  it('preferred times: after today’s range, tomorrow’s start; an overnight range from its start', () => {
    expect(iso(nextAcceptedAt({ avoidWorkHours: false, preferredTimes: ['12:00-13:00'] }, Date.parse('2026-11-23T06:00:00Z'), ZONE))).toBe('2026-11-24T04:00:00.000Z');
    expect(iso(nextAcceptedAt({ avoidWorkHours: false, preferredTimes: ['22:00-07:00'] }, Date.parse('2026-11-23T02:30:00Z'), ZONE))).toBe('2026-11-23T14:00:00.000Z');
  });

  it('both: at noon only, and not at work, is Saturday noon', () => {
    expect(iso(nextAcceptedAt({ avoidWorkHours: true, preferredTimes: ['12:00-13:00'] }, Date.parse('2026-11-23T02:30:00Z'), ZONE))).toBe('2026-11-28T04:00:00.000Z');
  });

  it('wishes that accept no time in a week answer undefined (staff must ask again), never a wrong time', () => {
    const everyDay = workMinutes({ days: [1, 2, 3, 4, 5, 6, 7], from: '08:00', to: '20:00' });
    expect(nextAcceptedAt({ avoidWorkHours: true, preferredTimes: ['10:00-11:00'] }, Date.parse('2026-11-23T02:30:00Z'), ZONE, everyDay)).toBeUndefined();
  });

  it('property: the time offered is accepted, not before the due time, and no minute between them is accepted', () => {
    const range = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h1, m1, h2, m2]) => {
      const hhmm = (h: number, m: number) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
      return `${hhmm(h1, m1)}-${hhmm(h2, m2)}`;
    });
    const zone = fc.constantFrom('Asia/Shanghai', 'America/New_York', 'Europe/London', 'UTC');
    const work = fc.record({ days: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }), from: fc.constantFrom('07:00', '09:00', '09:30'), to: fc.constantFrom('17:00', '18:00', '21:15') });
    fc.assert(
      fc.property(
        fc.record({ avoidWorkHours: fc.boolean(), preferredTimes: fc.array(range, { maxLength: 3 }) }),
        // Minutes of 2026, DST changes included.
        fc.integer({ min: 0, max: 365 * 24 * 60 }).map((m) => Date.parse('2026-01-01T00:00:00Z') + m * 60_000),
        zone,
        work,
        (wishes, fromMs, timeZone, hours) => {
          const minutes = workMinutes(hours);
          const offered = nextAcceptedAt(wishes, fromMs, timeZone, minutes);
          const accepts = (ms: number) => mayCallAt({ doNotCall: false, ...wishes }, localMoment(ms, timeZone), minutes);
          const until = offered ?? fromMs + 7 * 24 * 60 * 60_000;
          if (offered !== undefined) {
            expect(offered).toBeGreaterThanOrEqual(fromMs);
            expect(accepts(offered)).toBe(true);
          }
          // Nothing accepted is skipped (by the minute; a DST day may land within the hour after).
          for (let ms = fromMs - (fromMs % 60_000) + 60_000; ms < until - 60 * 60_000; ms += 60_000) {
            if (ms > fromMs && accepts(ms)) throw new Error(`${new Date(ms).toISOString()} is accepted, before ${offered === undefined ? 'never' : new Date(offered).toISOString()}`);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
