import { Temporal } from 'temporal-polyfill';

const ISO_WEEK = /^(\d{4})-W(\d{2})$/;

/** The Monday of an ISO week ("2026-W48" → 2026-11-23), or undefined when there is no such week. */
export function mondayOfIsoWeek(week: string): Temporal.PlainDate | undefined {
  const match = ISO_WEEK.exec(week);
  if (!match) return undefined;
  const year = Number(match[1]);
  const number = Number(match[2]);
  if (number < 1 || number > 53) return undefined;
  // 4 January is always in week 1; its week starts on the Monday on or before it.
  const january4 = Temporal.PlainDate.from({ year, month: 1, day: 4 });
  const monday = january4.subtract({ days: january4.dayOfWeek - 1 }).add({ weeks: number - 1 });
  // Week 53 exists only in some years: the Monday found must still be in the year's week count.
  return monday.yearOfWeek === year && monday.weekOfYear === number ? monday : undefined;
}

export function isIsoWeek(week: string): boolean {
  return mondayOfIsoWeek(week) !== undefined;
}
