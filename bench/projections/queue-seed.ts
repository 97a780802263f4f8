import type { Insertable, Kysely } from 'kysely';
import { SeededRandom } from '../../apps/api/src/demo/seeded-random';
import { DEFAULT_PROTOCOL, nextWindow, PlannedFollowUp, planFollowUps, Temporal, TreatmentFacts } from '@rapport/domain';
import { createProjectionTables, type ReadModelDb } from '@rapport/projections';
import { callQueueProjection } from '@rapport/projections/call-queue/call-queue.projection';
import { clinicsProjection } from '@rapport/projections/clinics/clinics.projection';
import { PROCEDURE_MIX } from '../../apps/api/src/demo/clinic-mix';

/**
 * Fills the call-queue read model with `openFollowUps` open follow-ups of one clinic, by direct
 * multi-row INSERTs through Kysely into the tables the projections create (from their
 * schema, indexes included), not by projecting events: a million rows in seconds, not
 * minutes. What goes in follows the domain: every treatment's follow-ups are the default
 * protocol's plan for it (planFollowUps, the clinic's windows and time zone); those due after
 * `now` are open, and of those already due about one in eight is still open (overdue, some with
 * one or two failed attempts and moved to a later window). Preferences as in the demo month.
 */
export interface QueueSeedOptions {
  openFollowUps: number;
  seed: number;
  /** The instant the clinic is seeded at; queries ask around it. */
  nowMs: number;
  onProgress?: (rows: number) => void;
}

export interface QueueSeedStats {
  openFollowUps: number;
  treatments: number;
  attempts: number;
  urgent: number;
  overdue: number;
  doctorTasks: number;
}

export const QUEUE_CLINIC = { clinicId: 'c1', timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'] };

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Treatments over this many days before `now`. */
const HISTORY_DAYS = 120;
const STILL_OPEN_WHEN_DUE = 0.12;
const ROWS_PER_STATEMENT = 500;
const ROWS_PER_TRANSACTION = 25_000;
const DOCTORS = ['dr-chen', 'dr-liu', 'dr-zhou', 'dr-wu'];
const CALLERS = ['nurse-zhang', 'desk-li', 'assistant-wang', 'nurse-he'];
const UNREACHED = ['no_answer', 'busy', 'powered_off', 'hung_up'];

type FollowUpRow = Insertable<ReadModelDb['queue_follow_ups']>;
type AttemptRow = Insertable<ReadModelDb['queue_attempts']>;
type PatientRow = Insertable<ReadModelDb['queue_patients']>;
type TreatmentRow = Insertable<ReadModelDb['queue_treatments']>;

interface Batch {
  followUps: FollowUpRow[];
  attempts: AttemptRow[];
  patients: PatientRow[];
  treatments: TreatmentRow[];
}

export async function seedQueue(db: Kysely<ReadModelDb>, options: QueueSeedOptions): Promise<QueueSeedStats> {
  await createProjectionTables(db, clinicsProjection);
  await createProjectionTables(db, callQueueProjection);
  await db
    .insertInto('clinics')
    .values({ clinic_id: QUEUE_CLINIC.clinicId, name: 'Bench clinic', time_zone: QUEUE_CLINIC.timeZone, call_windows: JSON.stringify(QUEUE_CLINIC.callWindows), max_attempts: 3, configured_at: new Date(options.nowMs).toISOString() })
    .execute();

  const random = new SeededRandom(options.seed);
  const stats: QueueSeedStats = { openFollowUps: 0, treatments: 0, attempts: 0, urgent: 0, overdue: 0, doctorTasks: 0 };
  const todayMidnight = Temporal.Instant.fromEpochMilliseconds(options.nowMs).toZonedDateTimeISO(QUEUE_CLINIC.timeZone).startOfDay().epochMilliseconds;
  while (stats.openFollowUps < options.openFollowUps) {
    const batch: Batch = { followUps: [], attempts: [], patients: [], treatments: [] };
    const until = Math.min(options.openFollowUps, stats.openFollowUps + ROWS_PER_TRANSACTION);
    while (stats.openFollowUps + batch.followUps.length < until) addTreatment(batch, random, stats, options.nowMs, todayMidnight, until - stats.openFollowUps - batch.followUps.length);
    await db.transaction().execute(async (tx) => {
      for (const [table, rows] of [
        ['queue_patients', batch.patients],
        ['queue_treatments', batch.treatments],
        ['queue_follow_ups', batch.followUps],
        ['queue_attempts', batch.attempts],
      ] as const) {
        for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) await tx.insertInto(table).values(rows.slice(i, i + ROWS_PER_STATEMENT) as never).execute();
      }
    });
    stats.openFollowUps += batch.followUps.length;
    stats.attempts += batch.attempts.length;
    options.onProgress?.(stats.openFollowUps);
  }
  return stats;
}

/** One patient's treatment and the follow-ups of it still open at `now` (at most `room`). */
function addTreatment(batch: Batch, random: SeededRandom, stats: QueueSeedStats, nowMs: number, todayMidnight: number, room: number): void {
  const full = batch.followUps.length + room;
  const n = ++stats.treatments;
  const patientId = `p-${n}`;
  const treatmentId = `t-${n}`;
  const procedure = random.weighted(PROCEDURE_MIX);
  const doctorId = random.pick(DOCTORS);
  // Shanghai keeps no daylight-saving time: local days are 24 hours apart.
  // Completed on the quarter hour, so plans repeat and are computed once per (procedure, facts, instant).
  let completedAtMs = todayMidnight - random.int(0, HISTORY_DAYS) * DAY + random.int(9 * 4, 17 * 4 - 1) * 15 * MINUTE;
  if (completedAtMs > nowMs - 30 * MINUTE) completedAtMs -= DAY;
  const facts = {
    procedure,
    ...(procedure === 'extraction' ? { needsProsthesis: random.chance(0.4) } : {}),
    ...(procedure === 'root_canal_treatment' ? { restored: random.chance(0.3) } : {}),
  };
  const plans = planOnce(facts, completedAtMs);
  const wish = random.chance(0.15) ? random.weighted({ vip: 4, none: 3, lunch: 2, work: 2, doNotCall: 1 }) : 'none';
  const flags = { vip: wish === 'vip' ? 1 : 0, do_not_call: wish === 'doNotCall' ? 1 : 0, avoid_work_hours: wish === 'work' ? 1 : 0 };
  const preferredTimes = wish === 'lunch' ? JSON.stringify(['12:00-13:30']) : null;
  batch.patients.push({ patient_id: patientId, clinic_id: QUEUE_CLINIC.clinicId, name: `患者${n}`, phone: `+86 138 ${String(n % 10_000).padStart(4, '0')} ${String(n % 9973).padStart(4, '0')}`, ...flags, preferred_times: preferredTimes, phone_wrong: 0 });
  batch.treatments.push({ patient_id: patientId, treatment_id: treatmentId, procedure, doctor_id: doctorId });

  let seq = 0;
  const row = (dueAtMs: number, purpose: string, urgent: boolean, rule: { ruleId: string; stepId: string } | undefined, audience: 'caller' | 'doctor'): FollowUpRow => ({
    follow_up_id: `${patientId}.fu${++seq}`,
    clinic_id: QUEUE_CLINIC.clinicId,
    patient_id: patientId,
    audience,
    assignee_doctor_id: audience === 'doctor' ? doctorId : null,
    kind: audience === 'doctor' ? 'doctor_callback' : 'treatment',
    purpose,
    due_at: new Date(dueAtMs).toISOString(),
    due_at_ms: dueAtMs,
    urgent: urgent ? 1 : 0,
    ...flags,
    has_preferred_times: preferredTimes ? 1 : 0,
    has_wishes: preferredTimes || flags.avoid_work_hours ? 1 : 0,
    needs_number: 0,
    treatment_id: treatmentId,
    procedure,
    rule_id: rule?.ruleId ?? null,
    step_id: rule?.stepId ?? null,
    protocol_version: rule ? DEFAULT_PROTOCOL.version : null,
    attempts: 0,
    last_outcome: null,
    last_attempt_at: null,
    last_caller_id: null,
    scheduled_at: new Date(completedAtMs + 15 * MINUTE).toISOString(),
    claimed_by: null,
    claimed_until: null,
  });

  for (const plan of plans) {
    if (batch.followUps.length >= full) return;
    const dueAtMs = plan.dueAtMs;
    const followUp = row(dueAtMs, plan.purpose, plan.urgent, plan, 'caller');
    if (dueAtMs <= nowMs) {
      if (!random.chance(STILL_OPEN_WHEN_DUE)) continue;
      stats.overdue++;
      const tries = random.weighted({ 0: 5, 1: 3, 2: 2 });
      for (let k = 0; k < Number(tries); k++) {
        const startedAtMs = dueAtMs + 10 * MINUTE + k * DAY;
        if (startedAtMs > nowMs) break;
        const attempt: AttemptRow = {
          follow_up_id: followUp.follow_up_id,
          call_id: `${patientId}.call${100 + seq * 10 + k}`,
          caller_id: random.pick(CALLERS),
          outcome: random.pick(UNREACHED),
          started_at: new Date(startedAtMs).toISOString(),
          started_at_ms: startedAtMs,
        };
        batch.attempts.push(attempt);
        // A failed attempt moves the follow-up to the next window (the domain's retry).
        const moved = retryWindow(startedAtMs);
        Object.assign(followUp, { attempts: k + 1, last_outcome: attempt.outcome, last_attempt_at: attempt.started_at, last_caller_id: attempt.caller_id, due_at: new Date(moved).toISOString(), due_at_ms: moved });
      }
    }
    if (followUp.urgent) stats.urgent++;
    batch.followUps.push(followUp);
  }
  // About one patient in a hundred complained: a callback in the attending doctor's queue, not the callers'.
  if (batch.followUps.length < full && random.chance(0.01)) {
    stats.doctorTasks++;
    batch.followUps.push(row(completedAtMs + 3 * DAY, 'Doctor callback: the patient reported discomfort', false, undefined, 'doctor'));
  }
}

type Plan = Omit<PlannedFollowUp, 'dueAt'> & { dueAtMs: number };
const plans = new Map<string, Plan[]>();
const retries = new Map<number, number>();

/** The default protocol's follow-ups for a treatment (the domain's planFollowUps), memoised. */
function planOnce(facts: Omit<TreatmentFacts, 'completedAt'>, completedAtMs: number): Plan[] {
  const key = `${facts.procedure}|${String(facts.needsProsthesis)}|${String(facts.restored)}|${completedAtMs}`;
  let plan = plans.get(key);
  if (!plan) {
    plan = planFollowUps({ ...facts, completedAt: Temporal.Instant.fromEpochMilliseconds(completedAtMs) }, DEFAULT_PROTOCOL, QUEUE_CLINIC).map(({ dueAt, ...rest }) => ({
      ...rest,
      dueAtMs: dueAt.epochMilliseconds,
    }));
    plans.set(key, plan);
  }
  return plan;
}

/** Where a failed attempt moves its follow-up: the domain's next window after it (memoised). */
function retryWindow(startedAtMs: number): number {
  let moved = retries.get(startedAtMs);
  if (moved === undefined) {
    moved = nextWindow(Temporal.Instant.fromEpochMilliseconds(startedAtMs), QUEUE_CLINIC, true).epochMilliseconds;
    retries.set(startedAtMs, moved);
  }
  return moved;
}
