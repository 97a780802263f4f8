import { DEFAULT_WORK_HOURS, type WorkHours } from '@rapport/domain';
import { localWeekdayAndMinute } from '../runtime/instants';

/**
 * The patient's wishes about being called (seed 002, "autonomy"), judged in the clinic's time zone:
 * not at all (doNotCall), not while the clinic is at work (its work hours; default Monday–Friday
 * 09:00–18:00), or only within preferred local ranges ("12:00-13:00"). A call the wishes exclude is
 * moved to the next time they accept (`nextAcceptedAt`), never hidden (DOMAIN.md).
 */
export interface LocalMoment {
  /** 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** Minutes since local midnight. */
  minuteOfDay: number;
}

const RANGE = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/;
const DAY = 24 * 60;

export function localMoment(epochMs: number, timeZone: string): LocalMoment {
  return localWeekdayAndMinute(epochMs, timeZone);
}

/** Work hours as minutes of the day, read once per query. */
export interface WorkMinutes {
  days: ReadonlySet<number>;
  from: number;
  to: number;
}

export function workMinutes(hours: WorkHours = DEFAULT_WORK_HOURS): WorkMinutes {
  return { days: new Set(hours.days), from: minutesOf(hours.from), to: minutesOf(hours.to) };
}

const DEFAULT_WORK_MINUTES = workMinutes();

export function isWorkHours(moment: LocalMoment, work: WorkMinutes = DEFAULT_WORK_MINUTES): boolean {
  return work.days.has(moment.weekday) && moment.minuteOfDay >= work.from && moment.minuteOfDay < work.to;
}

/**
 * Inside one of the ranges (start inclusive, end exclusive; "22:00-07:00" wraps midnight).
 * Ranges that cannot be read are ignored; with none readable the patient has no preference.
 */
export function withinPreferredTimes(ranges: readonly string[], moment: LocalMoment): boolean {
  const readable = readableRanges(ranges);
  if (readable.length === 0) return true;
  const m = moment.minuteOfDay;
  return readable.some(([start, end]) => (start <= end ? m >= start && m < end : m >= start || m < end));
}

export interface PatientWishes {
  doNotCall: boolean;
  avoidWorkHours: boolean;
  preferredTimes: readonly string[];
}

/** May this patient be offered to a caller at this local moment? */
export function mayCallAt(wishes: PatientWishes, moment: LocalMoment, work: WorkMinutes = DEFAULT_WORK_MINUTES): boolean {
  if (wishes.doNotCall) return false;
  if (wishes.avoidWorkHours && isWorkHours(moment, work)) return false;
  return withinPreferredTimes(wishes.preferredTimes, moment);
}

/**
 * The first instant at or after `fromMs` the patient's time wishes accept (do-not-call aside), or
 * undefined when they accept no time in a week (wishes that contradict each other, e.g. only
 * 10:00-11:00 and never at work on a clinic open every day).
 *
 * Every stretch of accepted time begins at `fromMs`, at a preferred range's start, at the end of
 * work hours or at a midnight (a day without work), so it jumps from one such boundary to the next.
 * A jump is in local minutes; on a day the clocks change it may land an hour off a boundary, and the
 * next step corrects it.
 */
export function nextAcceptedAt(wishes: Omit<PatientWishes, 'doNotCall'>, fromMs: number, timeZone: string, work: WorkMinutes = DEFAULT_WORK_MINUTES): number | undefined {
  const starts = [...readableRanges(wishes.preferredTimes).map(([start]) => start), ...(wishes.avoidWorkHours ? [work.to] : []), DAY];
  const accepts = { doNotCall: false, ...wishes };
  let at = fromMs;
  for (let step = 0; step < 8 * (starts.length + 1) + 2; step++) {
    const moment = localMoment(at, timeZone);
    if (mayCallAt(accepts, moment, work)) return at;
    const next = Math.min(...starts.filter((m) => m > moment.minuteOfDay));
    // To the boundary's first minute (seconds dropped: a time of day is in whole minutes).
    at = at - (at % 60_000) + (next - moment.minuteOfDay) * 60_000;
    if (at > fromMs + 8 * DAY * 60_000) return undefined;
  }
  return undefined;
}

function readableRanges(ranges: readonly string[]): [number, number][] {
  return ranges.map(parseRange).filter((r): r is [number, number] => r !== undefined);
}

function parseRange(range: string): [number, number] | undefined {
  const match = RANGE.exec(range.replace(/\s+/g, ''));
  if (!match) return undefined;
  return [Number(match[1]) * 60 + Number(match[2]), Number(match[3]) * 60 + Number(match[4])];
}

function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}
