/**
 * Call windows keep their local time across DST changes. New York 2026: EST (UTC-5) until
 * Sun 03-08 02:00, which jumps to 03:00 EDT (UTC-4); Sun 11-01 02:00 EDT falls back to 01:00 EST.
 */
import { Temporal } from 'temporal-polyfill';
import { ClinicClock, firstWindowOn, isCallWindow, isTimeZone, localDate, nextWindow, windowsOn } from './call-windows';

const NY: ClinicClock = { timeZone: 'America/New_York', callWindows: ['10:30', '16:00'] };
const SHANGHAI: ClinicClock = { timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'] };
const i = (s: string) => Temporal.Instant.from(s);
const next = (from: string, clock: ClinicClock, strict = false) => nextWindow(i(from), clock, strict).toString();

describe('nextWindow', () => {
  it('keeps 10:30 local on the day DST starts (New York, 2026-03-08)', () => {
    // Sat 03-07 17:00 EST (22:00Z), after the last window → Sun 03-08 10:30 EDT = 14:30Z.
    expect(next('2026-03-07T22:00:00Z', NY)).toBe('2026-03-08T14:30:00Z');
    // From 01:59 EST, just before the jump (06:59Z): same answer.
    expect(next('2026-03-08T06:59:00Z', NY)).toBe('2026-03-08T14:30:00Z');
    // The day before, 10:30 was EST: 15:30Z.
    expect(next('2026-03-07T12:00:00Z', NY)).toBe('2026-03-07T15:30:00Z');
    // The afternoon window that day: 16:00 EDT = 20:00Z.
    expect(next('2026-03-08T14:30:00Z', NY, true)).toBe('2026-03-08T20:00:00Z');
  });

  it('keeps 10:30 local on the day DST ends (New York, 2026-11-01)', () => {
    // Sat 10-31 16:00 EDT (20:00Z) exactly, strictly after → Sun 11-01 10:30 EST = 15:30Z.
    expect(next('2026-10-31T20:00:00Z', NY, true)).toBe('2026-11-01T15:30:00Z');
    // From 01:30 the second time (EST, 06:30Z) → the same 15:30Z.
    expect(next('2026-11-01T06:30:00Z', NY)).toBe('2026-11-01T15:30:00Z');
    // The day before, 10:30 was EDT: 14:30Z.
    expect(next('2026-10-31T05:00:00Z', NY)).toBe('2026-10-31T14:30:00Z');
  });

  it('returns a window the instant is exactly on, unless strict', () => {
    expect(next('2026-11-24T02:30:00Z', SHANGHAI)).toBe('2026-11-24T02:30:00Z');
    expect(next('2026-11-24T02:30:00Z', SHANGHAI, true)).toBe('2026-11-24T08:00:00Z');
    expect(next('2026-11-24T02:29:59Z', SHANGHAI, true)).toBe('2026-11-24T02:30:00Z');
  });

  it('moves to the next local day after the last window', () => {
    // 16:00:01 local → next day 10:30.
    expect(next('2026-11-24T08:00:01Z', SHANGHAI)).toBe('2026-11-25T02:30:00Z');
  });

  it('uses the local date, not the UTC one', () => {
    // 2026-11-24T17:00Z is 01:00 on the 25th in Shanghai → 25th 10:30 = 02:30Z.
    expect(next('2026-11-24T17:00:00Z', SHANGHAI)).toBe('2026-11-25T02:30:00Z');
  });

  it('handles a single window and half-hour zones (Kolkata, UTC+5:30)', () => {
    const kolkata: ClinicClock = { timeZone: 'Asia/Kolkata', callWindows: ['11:00'] };
    // 2026-11-24 11:00 IST = 05:30Z; after it → 25th 05:30Z.
    expect(next('2026-11-24T05:00:00Z', kolkata)).toBe('2026-11-24T05:30:00Z');
    expect(next('2026-11-24T05:30:00Z', kolkata, true)).toBe('2026-11-25T05:30:00Z');
  });

  it('refuses to work without a window', () => {
    expect(() => nextWindow(i('2026-11-24T00:00:00Z'), { timeZone: 'UTC', callWindows: [] })).toThrow(/a call window on some open day/);
  });
});

describe('windowsOn', () => {
  it('returns the windows of a local day as instants, ascending, whatever the configured order', () => {
    const day = Temporal.PlainDate.from('2026-11-24');
    expect(windowsOn(day, { timeZone: 'Asia/Shanghai', callWindows: ['16:00', '10:30'] }).map(String)).toEqual(['2026-11-24T02:30:00Z', '2026-11-24T08:00:00Z']);
  });

  it('moves a window in the spring-forward gap forward by the gap (02:30 → 03:30 EDT)', () => {
    // 02:30 does not exist on 2026-03-08 in New York; 03:30 EDT = 07:30Z.
    expect(windowsOn(Temporal.PlainDate.from('2026-03-08'), { timeZone: 'America/New_York', callWindows: ['02:30'] }).map(String)).toEqual(['2026-03-08T07:30:00Z']);
  });

  it('takes the first of the two 01:30s on the fall-back day (01:30 EDT)', () => {
    // 01:30 happens twice on 2026-11-01; the earlier is EDT: 05:30Z.
    expect(windowsOn(Temporal.PlainDate.from('2026-11-01'), { timeZone: 'America/New_York', callWindows: ['01:30'] }).map(String)).toEqual(['2026-11-01T05:30:00Z']);
  });

  it('Lord Howe moves by half an hour: 10:30 is UTC+10:30 in winter and UTC+11 in summer', () => {
    const lordHowe: ClinicClock = { timeZone: 'Australia/Lord_Howe', callWindows: ['10:30'] };
    expect(firstWindowOn(Temporal.PlainDate.from('2026-07-01'), lordHowe).toString()).toBe('2026-07-01T00:00:00Z');
    expect(firstWindowOn(Temporal.PlainDate.from('2026-12-01'), lordHowe).toString()).toBe('2026-11-30T23:30:00Z');
  });
});

describe('firstWindowOn', () => {
  it('is the earliest window of the day', () => {
    expect(firstWindowOn(Temporal.PlainDate.from('2026-11-24'), { timeZone: 'Asia/Shanghai', callWindows: ['16:00', '09:15'] }).toString()).toBe('2026-11-24T01:15:00Z');
  });
});

describe('localDate', () => {
  it('is the date on the clinic’s wall calendar', () => {
    expect(localDate(i('2026-11-23T17:00:00Z'), 'Asia/Shanghai').toString()).toBe('2026-11-24');
    expect(localDate(i('2026-11-23T17:00:00Z'), 'America/New_York').toString()).toBe('2026-11-23');
  });
});

describe('isCallWindow', () => {
  it.each(['00:00', '09:05', '10:30', '23:59'])('accepts %s', (w) => expect(isCallWindow(w)).toBe(true));
  it.each(['24:00', '9:30', '10:3', '10:30:00', '10h30', '', ' 10:30'])('refuses %j', (w) => expect(isCallWindow(w)).toBe(false));
});

describe('isTimeZone', () => {
  it.each(['Asia/Shanghai', 'America/New_York', 'Australia/Lord_Howe', 'UTC', 'Etc/GMT+8', 'asia/shanghai'])('accepts %s', (z) => expect(isTimeZone(z)).toBe(true));
  it.each(['', 'Mars/Base', '+08:00', '-05:00', '2026-11-23T06:00:00Z', '2026-11-23T06:00:00+08:00[Asia/Shanghai]'])('refuses %j', (z) => expect(isTimeZone(z)).toBe(false));
  it('agrees with Intl on what it accepts', () => {
    for (const z of ['Asia/Shanghai', 'UTC', 'Etc/GMT+8']) expect(() => new Intl.DateTimeFormat('en', { timeZone: z })).not.toThrow();
  });
});
