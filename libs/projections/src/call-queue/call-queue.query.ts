import type { Kysely } from 'kysely';
import { requireClinic } from '../clinics/clinics.query';
import type { ReadModelDb } from '../read-store/read-model-db';
import { isoOf } from '../runtime/instants';
import type { QueueAudience } from './call-queue.tables';
import { isWorkHours, localMoment, LocalMoment, mayCallAt, nextAcceptedAt, PatientWishes, workMinutes, WorkMinutes } from './contact-preferences';

/** The projections a queue query reads (for ?minPosition=). */
export const QUEUE_PROJECTIONS = ['call-queue', 'clinics'] as const;

export interface QueueItem {
  followUpId: string;
  patientId: string;
  clinicId: string;
  patient: { name?: string; phone?: string };
  purpose: string;
  kind: string;
  dueAt: string;
  urgent: boolean;
  /** An urgent call: in time until then (its rule's deadline)… */
  deadlineAt?: string;
  /** …and late after it, at the time asked about. */
  late?: boolean;
  vip: boolean;
  /**
   * When the patient's wishes (preferred times, not at work) moved the call: the first time at or
   * after dueAt they accept (items); for a call waiting now, the next time they accept (`waiting`),
   * null when their wishes accept no time at all (staff must ask them again).
   */
  offeredAt?: string | null;
  /** How long past due at the time asked about (0 when due exactly then), counted from offeredAt when the wishes moved it. */
  overdueMinutes: number;
  attempts: number;
  lastOutcome?: string;
  lastAttemptAt?: string;
  lastCallerId?: string;
  attemptHistory: { callId: string; callerId: string; outcome: string; startedAt: string }[];
  treatmentId?: string;
  procedure?: string;
  /** The attending doctor: who did the treatment behind it. */
  doctorId?: string;
  rule?: { ruleId: string; stepId: string; protocolVersion?: number };
  assignee?: { role: 'doctor' | 'senior_doctor'; doctorId?: string };
  /** Somebody has the call open (a claim not lapsed at the time asked about): do not dial too. */
  claim?: { by: string; until: string };
  /** Only when the query names a caller: whether that caller has tried this follow-up already. */
  triedByCaller?: boolean;
}

export interface QueueView {
  at: string;
  items: QueueItem[];
}

/** The clinic's queue also lists the calls due that wait for a time the patient accepts, soonest offered first. */
export interface ClinicQueueView extends QueueView {
  clinicId: string;
  timeZone: string;
  waiting: QueueItem[];
}

/** The due calls read for the waiting list, at most: wishes are few, and this bounds a query at 1M rows. */
const WAITING_SCAN = 500;

export interface ClinicQueueQuery {
  clinicId: string;
  /** Epoch ms of the instant asked about. */
  atMs: number;
  limit: number;
  /** Default 'caller': the callers' queue. Doctors' tasks are asked for with 'doctor' or 'senior_doctor'. */
  audience?: QueueAudience;
  callerId?: string;
}

export interface DoctorQueueQuery {
  doctorId: string;
  atMs: number;
  limit: number;
  /** Only tasks of these clinics (a token scoped to some clinics); absent: every clinic. */
  clinicIds?: readonly string[];
}

type Row = Awaited<ReturnType<ReturnType<typeof pageQuery>['execute']>>[number];

/**
 * The calls due at `at` for a clinic, most urgent first: urgent before the rest; then the longest
 * overdue (earliest dueAt) first; a VIP first among equals. A do-not-call patient never appears, nor
 * one whose phone is wrong (they are on the "needs a number" list). One whose wishes exclude `at`
 * (not at work, preferred times) is in `waiting`, with the time they accept next.
 */
export async function readClinicQueue(db: Kysely<ReadModelDb>, query: ClinicQueueQuery): Promise<ClinicQueueView> {
  const clinic = await requireClinic(db, query.clinicId);
  const moment = localMoment(query.atMs, clinic.timeZone);
  const work = workMinutes(clinic.workHours);
  const audience = query.audience ?? 'caller';
  // Whether work hours exclude anyone is one answer for the whole clinic at `at`: filter in SQL.
  const hideWorkHourAvoiders = isWorkHours(moment, work);
  const rows = await collect(query.limit, (urgent, offset, size) =>
    pageQuery(db, urgent, offset, size, query.atMs)
      .where('f.clinic_id', '=', query.clinicId)
      .where('f.audience', '=', audience)
      .$if(hideWorkHourAvoiders, (qb) => qb.where('f.avoid_work_hours', '=', 0))
      .execute(), (row) => mayCall(row, moment, work));
  const waiting = await readWaiting(db, query, audience, moment, work, clinic.timeZone);
  const zone = { timeZone: clinic.timeZone, work };
  return {
    clinicId: query.clinicId,
    timeZone: clinic.timeZone,
    at: isoOf(query.atMs),
    items: await toItems(db, rows.map((row) => ({ row, offeredAtMs: offeredSince(row, Number(row.due_at_ms), zone) })), query.atMs, query.callerId),
    waiting: await toItems(db, waiting, query.atMs, query.callerId),
  };
}

/** A doctor's own tasks (complaint callbacks, escalations), across the clinics they work for. */
export async function readDoctorQueue(db: Kysely<ReadModelDb>, query: DoctorQueueQuery): Promise<QueueView & { doctorId: string }> {
  // A doctor may work for several clinics; each row is judged in its own clinic's zone and work hours.
  const clinics = await db.selectFrom('clinics').select(['clinic_id', 'time_zone', 'work_hours']).execute();
  const zones = new Map(clinics.map((c) => [c.clinic_id, { timeZone: c.time_zone, work: workMinutes(c.work_hours ? JSON.parse(c.work_hours) : undefined) }]));
  const zoneOf = (clinicId: string) => zones.get(clinicId) ?? { timeZone: 'UTC', work: workMinutes() };
  if (query.clinicIds && query.clinicIds.length === 0) return { doctorId: query.doctorId, at: isoOf(query.atMs), items: [] };
  const rows = await collect(query.limit, (urgent, offset, size) =>
    pageQuery(db, urgent, offset, size, query.atMs)
      .where('f.assignee_doctor_id', '=', query.doctorId)
      .$if(query.clinicIds !== undefined, (qb) => qb.where('f.clinic_id', 'in', query.clinicIds!))
      .execute(),
    (row) => mayCall(row, localMoment(query.atMs, zoneOf(row.clinic_id).timeZone), zoneOf(row.clinic_id).work));
  const items = rows.map((row) => ({ row, offeredAtMs: offeredSince(row, Number(row.due_at_ms), zoneOf(row.clinic_id)) }));
  return { doctorId: query.doctorId, at: isoOf(query.atMs), items: await toItems(db, items, query.atMs) };
}

/**
 * The calls due by `at` whose patient's wishes exclude `at`, each with the next time they accept
 * (null: none at all), soonest first, at most `limit` of the WAITING_SCAN longest due.
 */
async function readWaiting(db: Kysely<ReadModelDb>, query: ClinicQueueQuery, audience: QueueAudience, moment: LocalMoment, work: WorkMinutes, timeZone: string): Promise<Placed[]> {
  const rows = await db
    .selectFrom('queue_follow_ups as f')
    .leftJoin('queue_patients as p', 'p.patient_id', 'f.patient_id')
    .selectAll('f')
    .select(['p.name', 'p.phone', 'p.preferred_times'])
    .where('f.clinic_id', '=', query.clinicId)
    .where('f.audience', '=', audience)
    .where('f.has_wishes', '=', 1)
    .where('f.due_at_ms', '<=', query.atMs)
    .where('f.do_not_call', '=', 0)
    .where('f.needs_number', '=', 0)
    .orderBy('f.due_at_ms')
    .orderBy('f.follow_up_id')
    .limit(WAITING_SCAN)
    .execute();
  return rows
    .filter((row) => !mayCall(row, moment, work))
    .map((row) => ({ row, offeredAtMs: nextAcceptedAt(wishesOf(row), query.atMs, timeZone, work) ?? null }))
    .sort((a, b) => (a.offeredAtMs ?? Infinity) - (b.offeredAtMs ?? Infinity) || Number(a.row.due_at_ms) - Number(b.row.due_at_ms))
    .slice(0, query.limit);
}

/** One urgency class, due by `at`, in queue order; the index serves it as a range scan. */
function pageQuery(db: Kysely<ReadModelDb>, urgent: 0 | 1, offset: number, size: number, atMs: number) {
  return db
    .selectFrom('queue_follow_ups as f')
    .leftJoin('queue_patients as p', 'p.patient_id', 'f.patient_id')
    .selectAll('f')
    .select(['p.name', 'p.phone', 'p.preferred_times'])
    .where('f.urgent', '=', urgent)
    .where('f.due_at_ms', '<=', atMs)
    .where('f.do_not_call', '=', 0)
    .where('f.needs_number', '=', 0)
    .orderBy('f.due_at_ms')
    .orderBy('f.vip', 'desc')
    .orderBy('f.follow_up_id')
    .limit(size)
    .offset(offset);
}

/**
 * Urgent rows first, then the rest, each page filtered by the patient's wishes, until `limit`
 * rows are kept. Preferences hide few rows, so this is nearly always one page per class.
 */
async function collect(limit: number, page: (urgent: 0 | 1, offset: number, size: number) => Promise<Row[]>, keep: (row: Row) => boolean): Promise<Row[]> {
  const kept: Row[] = [];
  for (const urgent of [1, 0] as const) {
    for (let offset = 0; kept.length < limit; ) {
      const size = Math.max(limit - kept.length, 20) * 2;
      const rows = await page(urgent, offset, size);
      for (const row of rows) {
        if (kept.length >= limit) break;
        if (keep(row)) kept.push(row);
      }
      if (rows.length < size) break;
      offset += size;
    }
  }
  return kept;
}

function wishesOf(row: Row): PatientWishes {
  const preferredTimes = row.preferred_times ? (JSON.parse(row.preferred_times) as string[]) : [];
  return { doNotCall: row.do_not_call === 1, avoidWorkHours: row.avoid_work_hours === 1, preferredTimes };
}

function mayCall(row: Row, moment: LocalMoment, work: WorkMinutes): boolean {
  if (!row.has_preferred_times && !row.avoid_work_hours && !row.do_not_call) return true;
  return mayCallAt(wishesOf(row), moment, work);
}

/** A row kept, with the time the patient's wishes moved it to (undefined: not moved). */
interface Placed {
  row: Row;
  offeredAtMs?: number | null;
}

/** The first time at or after `fromMs` the wishes accept, when that is later than `fromMs`. */
function offeredSince(row: Row, fromMs: number, zone: { timeZone: string; work: WorkMinutes }): number | undefined {
  if (row.has_wishes !== 1) return undefined;
  const offered = nextAcceptedAt(wishesOf(row), fromMs, zone.timeZone, zone.work);
  return offered !== undefined && offered > fromMs ? offered : undefined;
}

async function toItems(db: Kysely<ReadModelDb>, placed: Placed[], atMs: number, callerId?: string): Promise<QueueItem[]> {
  if (placed.length === 0) return [];
  const rows = placed.map((p) => p.row);
  const attempts = await db
    .selectFrom('queue_attempts')
    .selectAll()
    .where(
      'follow_up_id',
      'in',
      rows.map((r) => r.follow_up_id),
    )
    .orderBy('started_at_ms')
    .orderBy('call_id')
    .execute();
  // The attending doctor of each row's treatment (the callers filter by doctor; the header names them).
  const patientIds = [...new Set(rows.filter((r) => r.treatment_id !== null).map((r) => r.patient_id))];
  const treatments = patientIds.length === 0 ? [] : await db.selectFrom('queue_treatments').select(['patient_id', 'treatment_id', 'doctor_id']).where('patient_id', 'in', patientIds).execute();
  const doctorOf = new Map(treatments.map((t) => [`${t.patient_id} ${t.treatment_id}`, t.doctor_id]));
  const history = new Map<string, QueueItem['attemptHistory']>();
  for (const a of attempts) {
    const list = history.get(a.follow_up_id) ?? [];
    list.push({ callId: a.call_id, callerId: a.caller_id, outcome: a.outcome, startedAt: a.started_at });
    history.set(a.follow_up_id, list);
  }
  return placed.map(({ row: r, offeredAtMs }): QueueItem => {
    const tried = history.get(r.follow_up_id) ?? [];
    const dueMs = typeof offeredAtMs === 'number' && offeredAtMs < atMs ? offeredAtMs : Number(r.due_at_ms);
    return {
      followUpId: r.follow_up_id,
      patientId: r.patient_id,
      clinicId: r.clinic_id,
      patient: { ...(r.name !== null ? { name: r.name } : {}), ...(r.phone !== null ? { phone: r.phone } : {}) },
      purpose: r.purpose,
      kind: r.kind,
      dueAt: r.due_at,
      urgent: r.urgent === 1,
      ...(r.deadline_at !== null ? { deadlineAt: r.deadline_at, late: Date.parse(r.deadline_at) < atMs } : {}),
      ...(offeredAtMs !== undefined ? { offeredAt: offeredAtMs === null ? null : isoOf(offeredAtMs) } : {}),
      vip: r.vip === 1,
      overdueMinutes: Math.max(0, Math.floor((atMs - dueMs) / 60_000)),
      attempts: Number(r.attempts),
      ...(r.last_outcome !== null ? { lastOutcome: r.last_outcome } : {}),
      ...(r.last_attempt_at !== null ? { lastAttemptAt: r.last_attempt_at } : {}),
      ...(r.last_caller_id !== null ? { lastCallerId: r.last_caller_id } : {}),
      attemptHistory: tried,
      ...(r.treatment_id !== null ? { treatmentId: r.treatment_id } : {}),
      ...(r.procedure !== null ? { procedure: r.procedure } : {}),
      ...(r.treatment_id !== null && doctorOf.has(`${r.patient_id} ${r.treatment_id}`) ? { doctorId: doctorOf.get(`${r.patient_id} ${r.treatment_id}`)! } : {}),
      ...(r.rule_id !== null && r.step_id !== null
        ? { rule: { ruleId: r.rule_id, stepId: r.step_id, ...(r.protocol_version !== null ? { protocolVersion: Number(r.protocol_version) } : {}) } }
        : {}),
      ...(r.audience !== 'caller' ? { assignee: { role: r.audience, ...(r.assignee_doctor_id !== null ? { doctorId: r.assignee_doctor_id } : {}) } } : {}),
      ...(r.claimed_by !== null && r.claimed_until !== null && Date.parse(r.claimed_until) > atMs ? { claim: { by: r.claimed_by, until: r.claimed_until } } : {}),
      ...(callerId !== undefined ? { triedByCaller: tried.some((a) => a.callerId === callerId) } : {}),
    };
  });
}
