import type { Kysely } from 'kysely';
import { requireClinic } from '../clinics/clinics.query';
import type { ReadModelDb } from '../read-store/read-model-db';
import { isoOf } from '../runtime/instants';
import type { CallerFact } from './caller-metrics.tables';

export const CALLER_METRICS_PROJECTIONS = ['caller-metrics'] as const;
export const CLINIC_CALLER_METRICS_PROJECTIONS = ['caller-metrics', 'clinics'] as const;

export interface CallerMetrics {
  callerId: string;
  attempts: number;
  reached: number;
  /** reached ÷ attempts (0 when no attempts). */
  contactRate: number;
  appointmentsBooked: number;
  /** appointmentsBooked ÷ reached (0 when nobody was reached). */
  conversionRate: number;
  referralsRequested: number;
  referralsConverted: number;
  objectionsRaised: number;
  objectionsResolved: number;
}

/** A half-open range [from, to) of epoch ms; absent ends are open. */
export interface Range {
  fromMs?: number;
  toMs?: number;
}

export interface RangeView {
  from?: string;
  to?: string;
}

/** `clinicIds`: count only facts of these clinics (a token scoped to some clinics); absent: every clinic. */
export async function readCallerMetrics(db: Kysely<ReadModelDb>, callerId: string, range: Range, clinicIds?: readonly string[]): Promise<CallerMetrics & RangeView> {
  if (clinicIds && clinicIds.length === 0) return { ...rangeView(range), ...metricsOf(callerId, []) };
  const rows = await inRange(db, range)
    .select(['fact', (eb) => eb.fn.countAll<number>().as('n')])
    .where('caller_id', '=', callerId)
    .$if(clinicIds !== undefined, (qb) => qb.where('clinic_id', 'in', clinicIds!))
    .groupBy('fact')
    .execute();
  return { ...rangeView(range), ...metricsOf(callerId, rows) };
}

/** Every caller with a fact in the range, for one clinic, by callerId. */
export async function readClinicCallerMetrics(db: Kysely<ReadModelDb>, clinicId: string, range: Range): Promise<RangeView & { clinicId: string; callers: CallerMetrics[] }> {
  await requireClinic(db, clinicId);
  const rows = await inRange(db, range)
    .select(['caller_id', 'fact', (eb) => eb.fn.countAll<number>().as('n')])
    .where('clinic_id', '=', clinicId)
    .where('caller_id', 'is not', null)
    .groupBy(['caller_id', 'fact'])
    .execute();
  const byCaller = new Map<string, { fact: CallerFact; n: number }[]>();
  for (const row of rows) {
    const list = byCaller.get(row.caller_id!) ?? [];
    list.push(row);
    byCaller.set(row.caller_id!, list);
  }
  const callers = [...byCaller.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([callerId, facts]) => metricsOf(callerId, facts));
  return { clinicId, ...rangeView(range), callers };
}

function inRange(db: Kysely<ReadModelDb>, range: Range) {
  return db
    .selectFrom('caller_facts')
    .$if(range.fromMs !== undefined, (qb) => qb.where('at_ms', '>=', range.fromMs!))
    .$if(range.toMs !== undefined, (qb) => qb.where('at_ms', '<', range.toMs!));
}

function metricsOf(callerId: string, rows: { fact: CallerFact; n: number }[]): CallerMetrics {
  const count = (fact: CallerFact): number => Number(rows.find((r) => r.fact === fact)?.n ?? 0);
  const attempts = count('attempt');
  const reached = count('reached');
  // Bookings credited to this caller's reached calls (a call earns one at most): conversion ≤ 1.
  const booked = count('credited_booking');
  return {
    callerId,
    attempts,
    reached,
    contactRate: ratio(reached, attempts),
    appointmentsBooked: booked,
    conversionRate: ratio(booked, reached),
    referralsRequested: count('referral_requested'),
    referralsConverted: count('referral_converted'),
    objectionsRaised: count('objection_raised'),
    objectionsResolved: count('objection_resolved'),
  };
}

export function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

export function rangeView(range: Range): RangeView {
  return { ...(range.fromMs !== undefined ? { from: isoOf(range.fromMs) } : {}), ...(range.toMs !== undefined ? { to: isoOf(range.toMs) } : {}) };
}
