import { Kysely, sql } from 'kysely';
import { Range, rangeView, RangeView, ratio } from '../caller-metrics/caller-metrics.query';
import { requireClinic } from '../clinics/clinics.query';
import { localMoment } from '../call-queue/contact-preferences';
import type { ReadModelDb } from '../read-store/read-model-db';

export const BEST_TIMES_PROJECTIONS = ['caller-metrics', 'clinics'] as const;

/** One local hour of one weekday. */
export interface BestTimeCell {
  /** 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** 0–23, local. */
  hour: number;
  attempts: number;
  reached: number;
  /** reached ÷ attempts. */
  contactRate: number;
  /** Bookings credited to the reached calls made in this hour (at the call's startedAt, not when the booking was typed). */
  booked: number;
  /** booked ÷ reached. */
  conversionRate: number;
}

export interface BestTimesReport extends RangeView {
  clinicId: string;
  timeZone: string;
  /** Only the hours with a call or a booking, by weekday then hour. */
  cells: BestTimeCell[];
}

/** Every UTC offset in use is a multiple of 15 minutes: counting per quarter hour loses nothing. */
const QUARTER_HOUR_MS = 900_000;

/**
 * When to call (seed 002): contact and conversion rate by local hour and weekday in the clinic's
 * zone. Counted per UTC quarter hour in SQL, then placed in local hours with the zone's rules at
 * each instant (so DST is right).
 */
export async function readBestTimes(db: Kysely<ReadModelDb>, clinicId: string, range: Range): Promise<BestTimesReport> {
  const clinic = await requireClinic(db, clinicId);
  const quarter = sql<number>`at_ms / 900000`;
  const rows = await db
    .selectFrom('caller_facts')
    .select(['fact', quarter.as('quarter'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('clinic_id', '=', clinicId)
    .where('fact', 'in', ['attempt', 'reached', 'credited_booking'])
    .where('caller_id', 'is not', null)
    .$if(range.fromMs !== undefined, (qb) => qb.where('at_ms', '>=', range.fromMs!))
    .$if(range.toMs !== undefined, (qb) => qb.where('at_ms', '<', range.toMs!))
    .groupBy(['fact', quarter])
    .execute();

  const cells = new Map<string, BestTimeCell>();
  for (const row of rows) {
    const { weekday, minuteOfDay } = localMoment(Number(row.quarter) * QUARTER_HOUR_MS, clinic.timeZone);
    const hour = Math.floor(minuteOfDay / 60);
    const key = `${weekday}-${String(hour).padStart(2, '0')}`;
    const cell = cells.get(key) ?? { weekday, hour, attempts: 0, reached: 0, contactRate: 0, booked: 0, conversionRate: 0 };
    const n = Number(row.n);
    if (row.fact === 'attempt') cell.attempts += n;
    if (row.fact === 'reached') cell.reached += n;
    if (row.fact === 'credited_booking') cell.booked += n;
    cells.set(key, cell);
  }
  const sorted = [...cells.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, c]) => ({ ...c, contactRate: ratio(c.reached, c.attempts), conversionRate: ratio(c.booked, c.reached) }));
  return { clinicId, timeZone: clinic.timeZone, ...rangeView(range), cells: sorted };
}
