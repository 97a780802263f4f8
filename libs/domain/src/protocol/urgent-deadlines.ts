import type { ScheduleOrigin } from '../events';

/**
 * How long after it falls due an urgent (⚡) call may be made and still count as in time (DOMAIN.md,
 * "Steering and the calendar"; seed 000 §4): a missed visit is called within the hour; a post-op
 * check is due 2 hours after the procedure and in time until 3 hours after it; a "within 24 hours"
 * call made urgent (no window came in time) is due at 2 hours and in time until the 24 hours are up;
 * a complaint's callback by the doctor within the working day (seed 000 "及时反馈"); an inquiry's
 * first call a quarter of an hour after it falls due (it is due within half an hour). Any other
 * urgent step: within the hour.
 */
const DEADLINE_MINUTES_BY_RULE: ReadonlyMap<string, number> = new Map([
  ['missed_appointment', 60],
  ['post_op_urgent', 60],
  ['complaint_callback', 8 * 60],
]);
const DEADLINE_MINUTES_BY_STEP: ReadonlyMap<string, number> = new Map([
  ['within_24h', 22 * 60],
  // An inquiry's first call, due within half an hour of it (seed 002 §六): a quarter of an hour's grace.
  ['call_1', 15],
]);
export const DEFAULT_URGENT_DEADLINE_MINUTES = 60;

/** A clinic's own deadline and expiry per urgent rule (ClinicConfigured.urgentRules), over the defaults. */
export type UrgentRuleSettings = Readonly<Record<string, { deadlineMinutes?: number; expiryHours?: number }>>;

export function urgentDeadlineMinutes(origin: Pick<ScheduleOrigin, 'ruleId' | 'stepId'> | undefined, clinicRules?: UrgentRuleSettings): number {
  if (!origin) return DEFAULT_URGENT_DEADLINE_MINUTES;
  return clinicRules?.[origin.ruleId]?.deadlineMinutes ?? DEADLINE_MINUTES_BY_STEP.get(origin.stepId) ?? DEADLINE_MINUTES_BY_RULE.get(origin.ruleId) ?? DEFAULT_URGENT_DEADLINE_MINUTES;
}

/**
 * After this long past its due time an urgent call that nobody closed expires (DOMAIN.md: "after a
 * day they expire, recorded"), so a stale urgent call never buries today's.
 */
export const DEFAULT_URGENT_EXPIRY_HOURS = 24;

export function urgentExpiryHours(origin: Pick<ScheduleOrigin, 'ruleId'> | undefined, clinicRules?: UrgentRuleSettings): number {
  return (origin && clinicRules?.[origin.ruleId]?.expiryHours) ?? DEFAULT_URGENT_EXPIRY_HOURS;
}
