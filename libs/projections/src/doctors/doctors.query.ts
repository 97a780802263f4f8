import type { Kysely } from 'kysely';
import { rangeView } from '../caller-metrics/caller-metrics.query';
import { requireClinic, staffNames } from '../clinics/clinics.query';
import type { ReadModelDb } from '../read-store/read-model-db';
import { median } from '../reports/quantiles';

export const DOCTORS_REPORT_PROJECTIONS = ['doctors', 'clinics'] as const;

export interface DoctorRow {
  doctorId: string;
  /** From the staff directory when it names the doctor; null until then. */
  name: string | null;
  /** Callers' reached calls about the doctor's patients, at their startedAt. */
  reachedCalls: number;
  /** Mean of the satisfaction given on those calls (1–5); null when none was given. */
  satisfactionMean: number | null;
  satisfaction: Record<'1' | '2' | '3' | '4' | '5', number>;
  /** Reached calls on which the patient complained or reported discomfort. */
  complaints: number;
  /** Callbacks the doctor owed after a complaint, done (reached) in the range… */
  callbacksDone: number;
  /** …and the median minutes from the task to the doctor reaching the patient. */
  callbackMedianMinutes: number | null;
}

export interface DoctorsReport {
  clinicId: string;
  from?: string;
  to?: string;
  /** Most reached calls first. */
  rows: DoctorRow[];
}

/** Per attending doctor: what the patients said on calls in [from, to), and the callbacks done in it. */
export async function readDoctorsReport(db: Kysely<ReadModelDb>, clinicId: string, range: { fromMs?: number; toMs?: number }): Promise<DoctorsReport> {
  await requireClinic(db, clinicId);
  const calls = await db
    .selectFrom('report_doctor_calls as c')
    .innerJoin('report_doctor_treatments as t', (j) => j.onRef('t.patient_id', '=', 'c.patient_id').onRef('t.treatment_id', '=', 'c.treatment_id'))
    .select(['t.doctor_id', 'c.satisfaction'])
    .select((eb) => [eb.fn.countAll<number>().as('calls'), eb.fn.sum<number>('c.complaint').as('complaints')])
    .where('c.clinic_id', '=', clinicId)
    .where('c.outcome', '=', 'reached')
    .where('c.callback', '=', 0)
    .$if(range.fromMs !== undefined, (qb) => qb.where('c.started_ms', '>=', range.fromMs!))
    .$if(range.toMs !== undefined, (qb) => qb.where('c.started_ms', '<', range.toMs!))
    .groupBy(['t.doctor_id', 'c.satisfaction'])
    .execute();
  const callbacks = await db
    .selectFrom('report_doctor_callbacks as b')
    .leftJoin('report_doctor_treatments as t', (j) => j.onRef('t.patient_id', '=', 'b.patient_id').onRef('t.treatment_id', '=', 'b.treatment_id'))
    .select(['b.doctor_id', 't.doctor_id as treatment_doctor_id', 'b.scheduled_ms', 'b.done_ms'])
    .where('b.clinic_id', '=', clinicId)
    .where('b.done_ms', 'is not', null)
    .$if(range.fromMs !== undefined, (qb) => qb.where('b.done_ms', '>=', range.fromMs!))
    .$if(range.toMs !== undefined, (qb) => qb.where('b.done_ms', '<', range.toMs!))
    .execute();

  const doctors = new Map<string, { reached: number; rated: number; ratingSum: number; satisfaction: DoctorRow['satisfaction']; complaints: number; minutes: number[] }>();
  const doctor = (id: string) => {
    let d = doctors.get(id);
    if (!d) doctors.set(id, (d = { reached: 0, rated: 0, ratingSum: 0, satisfaction: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 }, complaints: 0, minutes: [] }));
    return d;
  };
  for (const row of calls) {
    const d = doctor(row.doctor_id);
    const n = Number(row.calls);
    d.reached += n;
    d.complaints += Number(row.complaints);
    const score = row.satisfaction === null ? undefined : (String(row.satisfaction) as keyof DoctorRow['satisfaction']);
    if (score && score in d.satisfaction) {
      d.satisfaction[score] += n;
      d.rated += n;
      d.ratingSum += n * Number(score);
    }
  }
  for (const row of callbacks) {
    const id = row.doctor_id ?? row.treatment_doctor_id;
    if (id) doctor(id).minutes.push((Number(row.done_ms) - Number(row.scheduled_ms)) / 60_000);
  }
  const names = await staffNames(db, clinicId);
  const rows: DoctorRow[] = [...doctors.entries()].map(([doctorId, d]) => ({
    doctorId,
    name: names.get(doctorId) ?? null,
    reachedCalls: d.reached,
    satisfactionMean: d.rated === 0 ? null : d.ratingSum / d.rated,
    satisfaction: d.satisfaction,
    complaints: d.complaints,
    callbacksDone: d.minutes.length,
    callbackMedianMinutes: median(d.minutes),
  }));
  rows.sort((a, b) => b.reachedCalls - a.reachedCalls || (a.doctorId < b.doctorId ? -1 : 1));
  return { clinicId, ...rangeView(range), rows };
}
