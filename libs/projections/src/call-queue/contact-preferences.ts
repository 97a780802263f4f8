import { localWeekdayAndMinute } from '../runtime/instants';

/**
 * The patient's wishes about being called (seed 002, "autonomy"), judged at the moment the queue
 * is read, in the clinic's time zone: not at all (doNotCall), not during work hours
 * (Monday–Friday 09:00–18:00 local), or only within preferred local ranges ("12:00-13:00").
 */
export interface LocalMoment {
  /** 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** Minutes since local midnight. */
  minuteOfDay: number;
}

const WORK_START = 9 * 60;
const WORK_END = 18 * 60;
const RANGE = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/;

export function localMoment(epochMs: number, timeZone: string): LocalMoment {
  return localWeekdayAndMinute(epochMs, timeZone);
}

export function isWorkHours(moment: LocalMoment): boolean {
  return moment.weekday <= 5 && moment.minuteOfDay >= WORK_START && moment.minuteOfDay < WORK_END;
}

/**
 * Inside one of the ranges (start inclusive, end exclusive; "22:00-07:00" wraps midnight).
 * Ranges that cannot be read are ignored; with none readable the patient has no preference.
 */
export function withinPreferredTimes(ranges: readonly string[], moment: LocalMoment): boolean {
  const readable = ranges.map(parseRange).filter((r): r is [number, number] => r !== undefined);
  if (readable.length === 0) return true;
  const m = moment.minuteOfDay;
  return readable.some(([start, end]) => (start <= end ? m >= start && m < end : m >= start || m < end));
}

function parseRange(range: string): [number, number] | undefined {
  const match = RANGE.exec(range.replace(/\s+/g, ''));
  if (!match) return undefined;
  return [Number(match[1]) * 60 + Number(match[2]), Number(match[3]) * 60 + Number(match[4])];
}

export interface PatientWishes {
  doNotCall: boolean;
  avoidWorkHours: boolean;
  preferredTimes: readonly string[];
}

/** May this patient be offered to a caller at this local moment? */
export function mayCallAt(wishes: PatientWishes, moment: LocalMoment): boolean {
  if (wishes.doNotCall) return false;
  if (wishes.avoidWorkHours && isWorkHours(moment)) return false;
  return withinPreferredTimes(wishes.preferredTimes, moment);
}
