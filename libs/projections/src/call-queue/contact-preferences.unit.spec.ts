import { isWorkHours, localMoment, mayCallAt, withinPreferredTimes } from './contact-preferences';

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
});
