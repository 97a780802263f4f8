import { Temporal } from 'temporal-polyfill';
import { isCallWindow } from './call-windows';

/**
 * The clinic's work hours: when it is open (an inquiry is called back inside them, seed 002 §六),
 * and what "at work" means for a patient who asks not to be called at work (DOMAIN.md). Local times
 * in the clinic's zone; `days` are ISO weekdays (1 = Monday).
 */
export interface WorkHours {
  days: number[];
  from: string;
  to: string;
}

export const DEFAULT_WORK_HOURS: WorkHours = { days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' };

export function workHoursProblems(hours: WorkHours): string[] {
  const problems: string[] = [];
  if (hours.days.length === 0 || hours.days.some((d) => !Number.isInteger(d) || d < 1 || d > 7) || new Set(hours.days).size !== hours.days.length) {
    problems.push('workHours.days must list distinct weekdays 1 (Monday) to 7');
  }
  if (!isCallWindow(hours.from) || !isCallWindow(hours.to) || hours.from >= hours.to) problems.push('workHours.from and .to must be local times "HH:MM", from before to');
  return problems;
}

/**
 * The instant itself when the clinic is open then, else the next opening (its next work day's
 * `from`); a day the calendar closes (`closed`) is skipped.
 */
export function openAt(instant: Temporal.Instant, timeZone: string, hours: WorkHours, closed: (date: Temporal.PlainDate) => boolean = () => false): Temporal.Instant {
  const local = instant.toZonedDateTimeISO(timeZone);
  const time = local.toPlainTime().toString({ smallestUnit: 'minute' });
  let date = local.toPlainDate();
  const workDay = (d: Temporal.PlainDate) => hours.days.includes(d.dayOfWeek) && !closed(d);
  if (workDay(date) && time >= hours.from && time < hours.to) return instant;
  if (workDay(date) && time < hours.from) return opening(date, timeZone, hours);
  for (let day = 1; day <= 400; day++) {
    date = date.add({ days: 1 });
    if (workDay(date)) return opening(date, timeZone, hours);
  }
  throw new Error('the clinic must open on some day');
}

function opening(date: Temporal.PlainDate, timeZone: string, hours: WorkHours): Temporal.Instant {
  return date.toZonedDateTime({ timeZone, plainTime: Temporal.PlainTime.from(hours.from) }).toInstant();
}
