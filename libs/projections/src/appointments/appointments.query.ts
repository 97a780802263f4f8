import type { Kysely } from 'kysely';
import { ratio, rangeView } from '../caller-metrics/caller-metrics.query';
import { requireClinic } from '../clinics/clinics.query';
import type { ReadModelDb } from '../read-store/read-model-db';
import { localWeekdayAndMinute } from '../runtime/instants';

export const APPOINTMENTS_REPORT_PROJECTIONS = ['appointments', 'clinics'] as const;

export interface AppointmentCounts {
  /** Appointments booked for a time in the range. */
  booked: number;
  attended: number;
  missed: number;
  /** Neither yet: still to come, or nobody recorded what happened. */
  open: number;
  /** attended ÷ (attended + missed): of the visits with an outcome, the share that happened. */
  showRate: number;
  /** missed ÷ (attended + missed). */
  noShowRate: number;
}

export interface AppointmentsReport extends AppointmentCounts {
  clinicId: string;
  timeZone: string;
  from?: string;
  to?: string;
  /** By the local weekday of the booked time (1 = Monday), every day listed. */
  byWeekday: (AppointmentCounts & { weekday: number })[];
}

/** Appointments for a time in [from, to), by what became of them, in total and by local weekday. */
export async function readAppointmentsReport(db: Kysely<ReadModelDb>, clinicId: string, range: { fromMs?: number; toMs?: number }): Promise<AppointmentsReport> {
  const clinic = await requireClinic(db, clinicId);
  const rows = await db
    .selectFrom('report_appointments')
    .select(['scheduled_ms', 'outcome'])
    .where('clinic_id', '=', clinicId)
    .$if(range.fromMs !== undefined, (qb) => qb.where('scheduled_ms', '>=', range.fromMs!))
    .$if(range.toMs !== undefined, (qb) => qb.where('scheduled_ms', '<', range.toMs!))
    .execute();
  const days = Array.from({ length: 7 }, (_, i) => ({ weekday: i + 1, booked: 0, attended: 0, missed: 0 }));
  for (const row of rows) {
    const day = days[localWeekdayAndMinute(Number(row.scheduled_ms), clinic.timeZone).weekday - 1]!;
    day.booked++;
    if (row.outcome === 'attended') day.attended++;
    if (row.outcome === 'missed') day.missed++;
  }
  const total = days.reduce((t, d) => ({ booked: t.booked + d.booked, attended: t.attended + d.attended, missed: t.missed + d.missed }), { booked: 0, attended: 0, missed: 0 });
  return { clinicId, timeZone: clinic.timeZone, ...rangeView(range), ...counts(total), byWeekday: days.map((d) => ({ weekday: d.weekday, ...counts(d) })) };
}

function counts(c: { booked: number; attended: number; missed: number }): AppointmentCounts {
  const closed = c.attended + c.missed;
  return { booked: c.booked, attended: c.attended, missed: c.missed, open: c.booked - closed, showRate: ratio(c.attended, closed), noShowRate: ratio(c.missed, closed) };
}
