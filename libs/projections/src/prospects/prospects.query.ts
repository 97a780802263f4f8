import type { Kysely } from 'kysely';
import { ratio, rangeView } from '../caller-metrics/caller-metrics.query';
import { requireClinic } from '../clinics/clinics.query';
import type { ReadModelDb } from '../read-store/read-model-db';
import { median, quantile } from '../reports/quantiles';

export const PROSPECTS_REPORT_PROJECTIONS = ['prospects', 'clinics'] as const;
/** Seed 002: phone consultations reach an appointment in 35% of cases or more. */
export const SEED_BOOKING_RATE = 0.35;

export interface ProspectRow {
  channel: string;
  inquiries: number;
  /** Minutes from the inquiry to its first call (over the inquiries called); null when none was. */
  firstAttemptMedianMinutes: number | null;
  firstAttemptP90Minutes: number | null;
  /** Inquiries never called yet. */
  notCalled: number;
  reached: number;
  booked: number;
  attended: number;
  /** booked ÷ inquiries, beside the seed's 35%. */
  bookingRate: number;
}

export interface ProspectsReport {
  clinicId: string;
  from?: string;
  to?: string;
  seedBookingRate: number;
  rows: ProspectRow[];
}

/** Inquiries received in [from, to), per channel: how fast they were called and how many came. */
export async function readProspectsReport(db: Kysely<ReadModelDb>, clinicId: string, range: { fromMs?: number; toMs?: number }): Promise<ProspectsReport> {
  await requireClinic(db, clinicId);
  const inquiries = await db
    .selectFrom('report_inquiries')
    .select(['channel', 'received_ms', 'first_attempt_ms', 'reached', 'appointment_id', 'attended'])
    .where('clinic_id', '=', clinicId)
    .$if(range.fromMs !== undefined, (qb) => qb.where('received_ms', '>=', range.fromMs!))
    .$if(range.toMs !== undefined, (qb) => qb.where('received_ms', '<', range.toMs!))
    .execute();
  const channels = new Map<string, { inquiries: number; minutes: number[]; reached: number; booked: number; attended: number }>();
  for (const i of inquiries) {
    const c = channels.get(i.channel) ?? { inquiries: 0, minutes: [], reached: 0, booked: 0, attended: 0 };
    channels.set(i.channel, c);
    c.inquiries++;
    // A call typed in as made before the inquiry came counts as at once.
    if (i.first_attempt_ms !== null) c.minutes.push(Math.max(0, (Number(i.first_attempt_ms) - Number(i.received_ms)) / 60_000));
    c.reached += Number(i.reached);
    if (i.appointment_id !== null) c.booked++;
    c.attended += Number(i.attended);
  }
  const rows = [...channels.entries()]
    .map(([channel, c]) => ({
      channel,
      inquiries: c.inquiries,
      firstAttemptMedianMinutes: median(c.minutes),
      firstAttemptP90Minutes: quantile(c.minutes, 0.9),
      notCalled: c.inquiries - c.minutes.length,
      reached: c.reached,
      booked: c.booked,
      attended: c.attended,
      bookingRate: ratio(c.booked, c.inquiries),
    }))
    .sort((a, b) => b.inquiries - a.inquiries || (a.channel < b.channel ? -1 : 1));
  return { clinicId, ...rangeView(range), seedBookingRate: SEED_BOOKING_RATE, rows };
}
