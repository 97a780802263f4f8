import type { Kysely } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import { ratio } from '../caller-metrics/caller-metrics.query';
import { requireClinic } from '../clinics/clinics.query';
import type { ReadModelDb } from '../read-store/read-model-db';
import { isoOf } from '../runtime/instants';
import { mondayOfIsoWeek } from './iso-week';

export const WEEKLY_REPORT_PROJECTIONS = ['follow-up-report', 'caller-metrics', 'clinics'] as const;

/**
 * The weekly summary a manager reads on Monday, for Monday 00:00 to the next Monday 00:00 in the
 * clinic's time zone. Definitions:
 * - due: the callers' follow-ups (not doctors' tasks) whose dueAt, as first scheduled, falls in the
 *   week, but not those of a patient who asked not to be called (they are nobody's work);
 * - overdue: of those, the ones nobody tried (and that did not close) by the end of the local day
 *   they were due on; one still untried counts once that day has ended (as of `now`);
 * - made / reached: calls whose claimed start (startedAt) falls in the week / of them, reached;
 * - booked: appointments booked (recordedAt) in the week, by a caller or not;
 * - referrals / referralsConverted: referrals asked for, and converted by a booking, in the week;
 * - complaints: follow-ups of kind doctor_callback (a complaint or discomfort sent to the
 *   attending doctor) scheduled in the week.
 */
export interface WeeklyReport {
  clinicId: string;
  week: string;
  timeZone: string;
  from: string;
  to: string;
  due: number;
  made: number;
  reached: number;
  contactRate: number;
  overdue: number;
  booked: number;
  referrals: number;
  referralsConverted: number;
  complaints: number;
  /** Calls made in the week, by outcome. */
  outcomes: Record<string, number>;
}

/** An ISO week that does not exist ("2026-W54"). */
export class InvalidWeekError extends Error {
  constructor(readonly week: string) {
    super(`week ${week} is not an ISO week (YYYY-Www, e.g. 2026-W48)`);
  }
}

export async function readWeeklyReport(db: Kysely<ReadModelDb>, clinicId: string, week: string, nowMs: number): Promise<WeeklyReport> {
  const monday = mondayOfIsoWeek(week);
  if (!monday) throw new InvalidWeekError(week);
  const clinic = await requireClinic(db, clinicId);
  const startMs = monday.toZonedDateTime(clinic.timeZone).epochMilliseconds;
  const endMs = monday.add({ weeks: 1 }).toZonedDateTime(clinic.timeZone).epochMilliseconds;

  const due = await db
    .selectFrom('report_follow_ups')
    .select(['first_due_at_ms', 'first_attempt_at_ms', 'closed_at_ms'])
    .where('clinic_id', '=', clinicId)
    .where('audience', '=', 'caller')
    .where('do_not_call', '=', 0)
    .where('first_due_at_ms', '>=', startMs)
    .where('first_due_at_ms', '<', endMs)
    .execute();
  const overdue = due.filter((f) => {
    const dayEnd = endOfLocalDay(Number(f.first_due_at_ms), clinic.timeZone);
    const handled = Math.min(f.first_attempt_at_ms ?? Infinity, f.closed_at_ms ?? Infinity);
    return handled >= dayEnd && dayEnd <= nowMs;
  }).length;

  const facts = await db
    .selectFrom('caller_facts')
    .select(['fact', 'outcome', (eb) => eb.fn.countAll<number>().as('n')])
    .where('clinic_id', '=', clinicId)
    .where('at_ms', '>=', startMs)
    .where('at_ms', '<', endMs)
    .groupBy(['fact', 'outcome'])
    .execute();
  const count = (fact: string): number => facts.filter((f) => f.fact === fact).reduce((sum, f) => sum + Number(f.n), 0);
  const outcomes: Record<string, number> = {};
  for (const f of facts) if (f.fact === 'attempt' && f.outcome !== null) outcomes[f.outcome] = Number(f.n);

  const complaints = await db
    .selectFrom('report_follow_ups')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('clinic_id', '=', clinicId)
    .where('kind', '=', 'doctor_callback')
    .where('scheduled_at_ms', '>=', startMs)
    .where('scheduled_at_ms', '<', endMs)
    .executeTakeFirst();

  const made = count('attempt');
  const reached = count('reached');
  return {
    clinicId,
    week,
    timeZone: clinic.timeZone,
    from: isoOf(startMs),
    to: isoOf(endMs),
    due: due.length,
    made,
    reached,
    contactRate: ratio(reached, made),
    overdue,
    booked: count('booked'),
    referrals: count('referral_requested'),
    referralsConverted: count('referral_converted'),
    complaints: Number(complaints?.n ?? 0),
    outcomes,
  };
}

/** The first instant of the next local day. */
function endOfLocalDay(epochMs: number, timeZone: string): number {
  const date = Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(timeZone).toPlainDate();
  return date.add({ days: 1 }).toZonedDateTime(timeZone).epochMilliseconds;
}
