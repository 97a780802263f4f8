import type { Kysely } from 'kysely';
import { requireClinic } from '../clinics/clinics.query';
import type { ReadModelDb } from '../read-store/read-model-db';
import { isoOf } from '../runtime/instants';
import type { QueueAudience } from './call-queue.tables';
import { isWorkHours, localMoment, LocalMoment, mayCallAt } from './contact-preferences';

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
  /** How long past due at the time asked about (0 when due exactly then). */
  overdueMinutes: number;
  attempts: number;
  lastOutcome?: string;
  lastAttemptAt?: string;
  lastCallerId?: string;
  attemptHistory: { callId: string; callerId: string; outcome: string; startedAt: string }[];
  treatmentId?: string;
  procedure?: string;
  rule?: { ruleId: string; stepId: string; protocolVersion?: number };
  assignee?: { role: 'doctor' | 'senior_doctor'; doctorId?: string };
  /** Only when the query names a caller: whether that caller has tried this follow-up already. */
  triedByCaller?: boolean;
}

export interface QueueView {
  at: string;
  items: QueueItem[];
}

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
 * overdue (earliest dueAt) first; a VIP first among equals. A do-not-call patient never appears;
 * one who avoids work hours or keeps to preferred times is left out while `at` is outside them.
 */
export async function readClinicQueue(db: Kysely<ReadModelDb>, query: ClinicQueueQuery): Promise<QueueView & { clinicId: string; timeZone: string }> {
  const clinic = await requireClinic(db, query.clinicId);
  const moment = localMoment(query.atMs, clinic.timeZone);
  // Whether work hours hide anyone is one answer for the whole clinic at `at`: filter in SQL.
  const hideWorkHourAvoiders = isWorkHours(moment);
  const rows = await collect(query.limit, (urgent, offset, size) =>
    pageQuery(db, urgent, offset, size, query.atMs)
      .where('f.clinic_id', '=', query.clinicId)
      .where('f.audience', '=', query.audience ?? 'caller')
      .$if(hideWorkHourAvoiders, (qb) => qb.where('f.avoid_work_hours', '=', 0))
      .execute(), (row) => visible(row, moment));
  return { clinicId: query.clinicId, timeZone: clinic.timeZone, at: isoOf(query.atMs), items: await toItems(db, rows, query.atMs, query.callerId) };
}

/** A doctor's own tasks (complaint callbacks, escalations), across the clinics they work for. */
export async function readDoctorQueue(db: Kysely<ReadModelDb>, query: DoctorQueueQuery): Promise<QueueView & { doctorId: string }> {
  // A doctor may work for several clinics; each row is judged in its own clinic's time zone.
  const clinics = await db.selectFrom('clinics').select(['clinic_id', 'time_zone']).execute();
  const moments = new Map(clinics.map((c) => [c.clinic_id, localMoment(query.atMs, c.time_zone)]));
  if (query.clinicIds && query.clinicIds.length === 0) return { doctorId: query.doctorId, at: isoOf(query.atMs), items: [] };
  const rows = await collect(query.limit, (urgent, offset, size) =>
    pageQuery(db, urgent, offset, size, query.atMs)
      .where('f.assignee_doctor_id', '=', query.doctorId)
      .$if(query.clinicIds !== undefined, (qb) => qb.where('f.clinic_id', 'in', query.clinicIds!))
      .execute(),
    (row) => visible(row, moments.get(row.clinic_id) ?? localMoment(query.atMs, 'UTC')));
  return { doctorId: query.doctorId, at: isoOf(query.atMs), items: await toItems(db, rows, query.atMs) };
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

function visible(row: Row, moment: LocalMoment): boolean {
  if (!row.has_preferred_times && !row.avoid_work_hours && !row.do_not_call) return true;
  const preferredTimes = row.preferred_times ? (JSON.parse(row.preferred_times) as string[]) : [];
  return mayCallAt({ doNotCall: row.do_not_call === 1, avoidWorkHours: row.avoid_work_hours === 1, preferredTimes }, moment);
}

async function toItems(db: Kysely<ReadModelDb>, rows: Row[], atMs: number, callerId?: string): Promise<QueueItem[]> {
  if (rows.length === 0) return [];
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
  const history = new Map<string, QueueItem['attemptHistory']>();
  for (const a of attempts) {
    const list = history.get(a.follow_up_id) ?? [];
    list.push({ callId: a.call_id, callerId: a.caller_id, outcome: a.outcome, startedAt: a.started_at });
    history.set(a.follow_up_id, list);
  }
  return rows.map((r): QueueItem => {
    const tried = history.get(r.follow_up_id) ?? [];
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
      vip: r.vip === 1,
      overdueMinutes: Math.floor((atMs - Number(r.due_at_ms)) / 60_000),
      attempts: Number(r.attempts),
      ...(r.last_outcome !== null ? { lastOutcome: r.last_outcome } : {}),
      ...(r.last_attempt_at !== null ? { lastAttemptAt: r.last_attempt_at } : {}),
      ...(r.last_caller_id !== null ? { lastCallerId: r.last_caller_id } : {}),
      attemptHistory: tried,
      ...(r.treatment_id !== null ? { treatmentId: r.treatment_id } : {}),
      ...(r.procedure !== null ? { procedure: r.procedure } : {}),
      ...(r.rule_id !== null && r.step_id !== null
        ? { rule: { ruleId: r.rule_id, stepId: r.step_id, ...(r.protocol_version !== null ? { protocolVersion: Number(r.protocol_version) } : {}) } }
        : {}),
      ...(r.audience !== 'caller' ? { assignee: { role: r.audience, ...(r.assignee_doctor_id !== null ? { doctorId: r.assignee_doctor_id } : {}) } } : {}),
      ...(callerId !== undefined ? { triedByCaller: tried.some((a) => a.callerId === callerId) } : {}),
    };
  });
}
