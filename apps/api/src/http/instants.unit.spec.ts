import { Temporal } from 'temporal-polyfill';
import { INSTANT_PATTERN, instantInput, ZONED_INSTANT_PATTERN } from './validation';

/** The instant patterns the server checks and the OpenAPI document states: exactly the calendar's days. */
describe('an instant as the API takes it', () => {
  const instant = new RegExp(INSTANT_PATTERN);

  it('is an RFC 3339 date-time with seconds, on a day the calendar has, written 1900–2199', () => {
    const taken = ['2026-11-24T02:30:00Z', '2000-02-29T00:00:00+08:00', '2024-02-29T23:59:59.123456789-05:00', '1900-01-01T00:00:00Z', '2199-12-31T23:59:59Z'];
    const refused = ['1900-02-29T00:00:00Z', '2100-02-29T00:00:00Z', '2026-02-29T00:00:00Z', '2026-04-31T00:00:00Z', '2026-11-24T24:00:00Z', '2026-11-24T10:30Z', '2200-01-01T00:00:00Z', '2026-11-24 02:30:00Z', '2026-11-24T02:30:60Z', '2026-11-24T02:30:00+0800'];
    expect(taken.filter((t) => !instant.test(t) || !instantInput(t))).toEqual([]);
    expect(refused.filter((r) => instant.test(r) || instantInput(r))).toEqual([]);
  });

  it('agrees with the calendar on the last days of every month from 1900 to 2199', () => {
    const disagree: string[] = [];
    for (let year = 1900; year < 2200; year++) {
      for (let month = 1; month <= 12; month++) {
        for (let day = 28; day <= 31; day++) {
          const text = `${year}-${String(month).padStart(2, '0')}-${day}T00:00:00Z`;
          let exists = true;
          try {
            Temporal.Instant.from(text);
          } catch {
            exists = false;
          }
          if (exists !== instant.test(text)) disagree.push(text);
        }
      }
    }
    expect(disagree).toEqual([]);
  });

  it('may be a local time with its zone, and comes out as the instant in UTC', () => {
    expect(new RegExp(ZONED_INSTANT_PATTERN).test('2026-11-24T10:30:00+08:00[Asia/Shanghai]')).toBe(true);
    expect(instantInput('2026-11-24T10:30:00+08:00[Asia/Shanghai]')).toEqual({ instant: '2026-11-24T02:30:00Z', timeZone: 'Asia/Shanghai' });
    expect(instantInput({ at: '2026-11-24T10:30:00+08:00', timeZone: 'Asia/Shanghai' })).toEqual({ instant: '2026-11-24T02:30:00Z', timeZone: 'Asia/Shanghai' });
    expect(instantInput('2026-11-24T02:30:00.500Z')).toEqual({ instant: '2026-11-24T02:30:00.5Z' });
    for (const refused of [{ at: '2026-11-24T10:30:00+08:00' }, { at: '2026-11-24T10:30:00+08:00', timeZone: 'Asia/Shanghai', x: 1 }, { at: 1, timeZone: 'Asia/Shanghai' }, ['2026-11-24T02:30:00Z'], null, 1]) {
      expect(instantInput(refused)).toBeUndefined();
    }
  });
});
