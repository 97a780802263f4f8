import type { Kysely } from 'kysely';
import type { CallRecordCorrected, ContactPreferencesSet, FollowUpScheduled, PersonalDetails } from '@rapport/domain';
import type { ReadModelDb } from '../read-store/read-model-db';
import { epochMs } from '../runtime/instants';
import type { ProjectedEvent, Projection, ReadTx } from '../runtime/projection';
import type { QueueAudience, QueuePatientsTable } from './call-queue.tables';

/**
 * The call queue: every open follow-up with what a caller needs on the line (patient, purpose,
 * attempts so far, last outcome, the treatment and the rule behind it). A call that closes a
 * follow-up removes it; one that moves it changes its dueAt. Contact preferences are copied onto
 * the rows here but applied when the queue is read, against the time asked about.
 */
export const callQueueProjection: Projection = {
  name: 'call-queue',
  version: 1,
  tables: ['queue_follow_ups', 'queue_attempts', 'queue_patients', 'queue_treatments'],

  async createTables(db: Kysely<ReadModelDb>) {
    await db.schema
      .createTable('queue_follow_ups')
      .ifNotExists()
      .addColumn('follow_up_id', 'text', (c) => c.primaryKey())
      .addColumn('clinic_id', 'text', (c) => c.notNull())
      .addColumn('patient_id', 'text', (c) => c.notNull())
      .addColumn('audience', 'text', (c) => c.notNull())
      .addColumn('assignee_doctor_id', 'text')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('due_at', 'text', (c) => c.notNull())
      .addColumn('due_at_ms', 'bigint', (c) => c.notNull())
      .addColumn('urgent', 'integer', (c) => c.notNull())
      .addColumn('vip', 'integer', (c) => c.notNull())
      .addColumn('do_not_call', 'integer', (c) => c.notNull())
      .addColumn('avoid_work_hours', 'integer', (c) => c.notNull())
      .addColumn('has_preferred_times', 'integer', (c) => c.notNull())
      .addColumn('treatment_id', 'text')
      .addColumn('procedure', 'text')
      .addColumn('rule_id', 'text')
      .addColumn('step_id', 'text')
      .addColumn('protocol_version', 'integer')
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('last_outcome', 'text')
      .addColumn('last_attempt_at', 'text')
      .addColumn('last_caller_id', 'text')
      .addColumn('scheduled_at', 'text', (c) => c.notNull())
      .execute();
    // The queue query is a range on due_at_ms within (clinic, audience, urgent), read in the
    // order it answers: due time, then VIP first among equals. It stops after `limit` rows.
    await db.schema
      .createIndex('queue_follow_ups_due')
      .ifNotExists()
      .on('queue_follow_ups')
      .columns(['clinic_id', 'audience', 'urgent', 'due_at_ms', 'vip desc', 'follow_up_id'])
      .execute();
    await db.schema
      .createIndex('queue_follow_ups_doctor')
      .ifNotExists()
      .on('queue_follow_ups')
      .columns(['assignee_doctor_id', 'urgent', 'due_at_ms', 'vip desc', 'follow_up_id'])
      .execute();
    await db.schema.createIndex('queue_follow_ups_patient').ifNotExists().on('queue_follow_ups').column('patient_id').execute();

    await db.schema
      .createTable('queue_attempts')
      .ifNotExists()
      .addColumn('follow_up_id', 'text', (c) => c.notNull())
      .addColumn('call_id', 'text', (c) => c.notNull())
      .addColumn('caller_id', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('started_at_ms', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('queue_attempts_pk', ['follow_up_id', 'call_id'])
      .execute();

    await db.schema
      .createTable('queue_patients')
      .ifNotExists()
      .addColumn('patient_id', 'text', (c) => c.primaryKey())
      .addColumn('clinic_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text')
      .addColumn('phone', 'text')
      .addColumn('vip', 'integer', (c) => c.notNull())
      .addColumn('do_not_call', 'integer', (c) => c.notNull())
      .addColumn('avoid_work_hours', 'integer', (c) => c.notNull())
      .addColumn('preferred_times', 'text')
      .execute();

    await db.schema
      .createTable('queue_treatments')
      .ifNotExists()
      .addColumn('patient_id', 'text', (c) => c.notNull())
      .addColumn('treatment_id', 'text', (c) => c.notNull())
      .addColumn('procedure', 'text', (c) => c.notNull())
      .addColumn('doctor_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('queue_treatments_pk', ['patient_id', 'treatment_id'])
      .execute();
  },

  async apply(event: ProjectedEvent, tx: ReadTx) {
    switch (event.type) {
      case 'TreatmentCompleted': {
        const d = event.data;
        await tx
          .insertInto('queue_treatments')
          .values({ patient_id: d.patientId, treatment_id: d.treatmentId, procedure: d.procedure, doctor_id: d.doctorId })
          .onConflict((oc) => oc.columns(['patient_id', 'treatment_id']).doNothing())
          .execute();
        await upsertPatient(tx, d.patientId, d.clinicId, personal(d.patient));
        return;
      }
      case 'InquiryReceived':
        await upsertPatient(tx, event.data.patientId, event.data.clinicId, personal(event.data.patient));
        return;
      case 'ContactPreferencesSet':
        await setPreferences(tx, event.data);
        return;
      case 'FollowUpScheduled':
        await schedule(tx, event.data, event.recordedAt);
        return;
      case 'CallAttempted': {
        const d = event.data;
        if (!d.followUpId) return;
        const open = await tx.selectFrom('queue_follow_ups').select('attempts').where('follow_up_id', '=', d.followUpId).executeTakeFirst();
        if (!open) return; // a call on a follow-up that is already closed changes no queue
        const startedAtMs = epochMs(d.startedAt, 'startedAt');
        await tx
          .updateTable('queue_follow_ups')
          .set({ attempts: Number(open.attempts) + 1, last_outcome: d.outcome, last_attempt_at: d.startedAt, last_caller_id: d.callerId })
          .where('follow_up_id', '=', d.followUpId)
          .execute();
        await tx
          .insertInto('queue_attempts')
          .values({ follow_up_id: d.followUpId, call_id: d.callId, caller_id: d.callerId, outcome: d.outcome, started_at: d.startedAt, started_at_ms: startedAtMs })
          .onConflict((oc) => oc.columns(['follow_up_id', 'call_id']).doNothing())
          .execute();
        return;
      }
      case 'FollowUpRescheduled': {
        const d = event.data;
        await tx
          .updateTable('queue_follow_ups')
          .set({ due_at: d.dueAt, due_at_ms: epochMs(d.dueAt, 'dueAt'), attempts: d.attempts })
          .where('follow_up_id', '=', d.followUpId)
          .execute();
        return;
      }
      case 'FollowUpClosed':
        await tx.deleteFrom('queue_attempts').where('follow_up_id', '=', event.data.followUpId).execute();
        await tx.deleteFrom('queue_follow_ups').where('follow_up_id', '=', event.data.followUpId).execute();
        return;
      case 'CallRecordCorrected':
        await correctAttempt(tx, event.data);
        return;
      case 'PersonalDataErased':
        // The key is gone; so are the copies of the name and phone number kept here.
        await tx.updateTable('queue_patients').set({ name: null, phone: null }).where('patient_id', '=', event.data.patientId).execute();
        return;
      default:
        return;
    }
  },
};

/**
 * A corrected outcome or start time shows in the attempt history of an open follow-up (a caller
 * must not read "phone off" for a call that reached the patient); the follow-up's due time and
 * status stay as the call left them.
 */
async function correctAttempt(tx: ReadTx, d: CallRecordCorrected['data']): Promise<void> {
  const { outcome, startedAt } = d.corrected;
  if (!d.followUpId || (outcome === undefined && startedAt === undefined)) return;
  const attempt = await tx.selectFrom('queue_attempts').selectAll().where('follow_up_id', '=', d.followUpId).where('call_id', '=', d.callId).executeTakeFirst();
  if (!attempt) return; // the follow-up is closed: no queue row shows the call
  await tx
    .updateTable('queue_attempts')
    .set({
      ...(outcome !== undefined ? { outcome } : {}),
      ...(startedAt !== undefined ? { started_at: startedAt, started_at_ms: epochMs(startedAt, 'startedAt') } : {}),
    })
    .where('follow_up_id', '=', d.followUpId)
    .where('call_id', '=', d.callId)
    .execute();
  const last = await tx
    .selectFrom('queue_attempts')
    .selectAll()
    .where('follow_up_id', '=', d.followUpId)
    .orderBy('started_at_ms', 'desc')
    .orderBy('call_id', 'desc')
    .executeTakeFirst();
  if (last) {
    await tx
      .updateTable('queue_follow_ups')
      .set({ last_outcome: last.outcome, last_attempt_at: last.started_at, last_caller_id: last.caller_id })
      .where('follow_up_id', '=', d.followUpId)
      .execute();
  }
}

async function schedule(tx: ReadTx, d: FollowUpScheduled['data'], recordedAt: string): Promise<void> {
  const dueAtMs = epochMs(d.dueAt, 'dueAt');
  const patient = await tx.selectFrom('queue_patients').selectAll().where('patient_id', '=', d.patientId).executeTakeFirst();
  const treatment = d.treatmentId
    ? await tx.selectFrom('queue_treatments').selectAll().where('patient_id', '=', d.patientId).where('treatment_id', '=', d.treatmentId).executeTakeFirst()
    : undefined;
  const audience: QueueAudience = d.assignee?.role ?? 'caller';
  // A doctor's callback without a named doctor lands with the treatment's attending doctor.
  const doctorId = d.assignee ? (d.assignee.doctorId ?? (audience === 'doctor' ? treatment?.doctor_id : undefined)) : undefined;
  await tx
    .insertInto('queue_follow_ups')
    .values({
      follow_up_id: d.followUpId,
      clinic_id: d.clinicId,
      patient_id: d.patientId,
      audience,
      assignee_doctor_id: doctorId ?? null,
      kind: d.kind ?? 'treatment',
      purpose: d.purpose,
      due_at: d.dueAt,
      due_at_ms: dueAtMs,
      urgent: d.urgent ? 1 : 0,
      vip: patient?.vip ?? 0,
      do_not_call: patient?.do_not_call ?? 0,
      avoid_work_hours: patient?.avoid_work_hours ?? 0,
      has_preferred_times: patient?.preferred_times ? 1 : 0,
      treatment_id: d.treatmentId ?? null,
      procedure: treatment?.procedure ?? null,
      rule_id: d.origin?.ruleId ?? null,
      step_id: d.origin?.stepId ?? null,
      protocol_version: d.origin?.protocolVersion ?? null,
      attempts: 0,
      last_outcome: null,
      last_attempt_at: null,
      last_caller_id: null,
      scheduled_at: recordedAt,
    })
    .onConflict((oc) => oc.column('follow_up_id').doNothing())
    .execute();
}

/** The latest ContactPreferencesSet replaces the earlier one (as the domain folds it). */
async function setPreferences(tx: ReadTx, d: ContactPreferencesSet['data']): Promise<void> {
  const preferred = d.preferredTimes && d.preferredTimes.length > 0 ? JSON.stringify(d.preferredTimes) : null;
  const flags = { vip: d.vip ? 1 : 0, do_not_call: d.doNotCall ? 1 : 0, avoid_work_hours: d.avoidWorkHours ? 1 : 0 };
  await upsertPatient(tx, d.patientId, d.clinicId, { ...flags, preferred_times: preferred });
  await tx
    .updateTable('queue_follow_ups')
    .set({ ...flags, has_preferred_times: preferred ? 1 : 0 })
    .where('patient_id', '=', d.patientId)
    .execute();
}

type PatientPatch = Partial<Omit<QueuePatientsTable, 'patient_id' | 'clinic_id'>>;

async function upsertPatient(tx: ReadTx, patientId: string, clinicId: string, patch: PatientPatch): Promise<void> {
  const existing = await tx.selectFrom('queue_patients').select('patient_id').where('patient_id', '=', patientId).executeTakeFirst();
  if (existing) {
    if (Object.keys(patch).length > 0) await tx.updateTable('queue_patients').set(patch).where('patient_id', '=', patientId).execute();
    return;
  }
  await tx
    .insertInto('queue_patients')
    .values({ patient_id: patientId, clinic_id: clinicId, name: null, phone: null, vip: 0, do_not_call: 0, avoid_work_hours: 0, preferred_times: null, ...patch })
    .execute();
}

/** Only the details given: a later treatment without a phone number keeps the one known. */
function personal(details: PersonalDetails | undefined): PatientPatch {
  return {
    ...(details?.name !== undefined ? { name: details.name } : {}),
    ...(details?.phone !== undefined ? { phone: details.phone } : {}),
  };
}
