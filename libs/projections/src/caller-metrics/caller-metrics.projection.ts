import type { Kysely } from 'kysely';
import type { ReadModelDb } from '../read-store/read-model-db';
import { epochMs } from '../runtime/instants';
import type { ProjectedEvent, Projection, ReadTx } from '../runtime/projection';
import type { CallerFact } from './caller-metrics.tables';

/**
 * Per-caller facts for conversion metrics, the best-time report and the weekly counts.
 *
 * Which instant a fact counts at (the `from`/`to` of a query compare with it):
 * - attempt, reached: CallAttempted.startedAt, the time the caller says the call happened (a late
 *   entry counts when the call was made, not when it was typed in);
 * - booked: the AppointmentBooked's recordedAt (when it was booked, not scheduledFor, the visit),
 *   for the booking caller: the clinic's bookings;
 * - credited_booking: the booking credited to the reached call that led to it (attributedCallId),
 *   for that call's caller at that call's startedAt: conversion is credited bookings ÷ reached
 *   calls, never above 1, and the best-time report counts it in the call's hour;
 * - referral_requested, objection_raised, objection_resolved: their recordedAt;
 * - referral_converted: the recordedAt of the booking that converted the referral, credited to
 *   the caller who asked for the referral, once per referral however many bookings carry it.
 *
 * Corrections count as corrected: a call whose outcome is corrected (no_answer → reached) counts
 * with the corrected outcome, still as one attempt, credited to the caller who made it; a corrected
 * startedAt moves it in time; an objection corrected to resolved counts as resolved. The facts keep
 * the position of the event they count, so a rebuild gives the same rows.
 */
export const callerMetricsProjection: Projection = {
  name: 'caller-metrics',
  version: 3,
  tables: ['caller_facts', 'caller_referrals'],

  async createTables(db: Kysely<ReadModelDb>) {
    await db.schema
      .createTable('caller_facts')
      .ifNotExists()
      .addColumn('position', 'bigint', (c) => c.notNull())
      .addColumn('fact', 'text', (c) => c.notNull())
      .addColumn('clinic_id', 'text', (c) => c.notNull())
      .addColumn('caller_id', 'text')
      .addColumn('outcome', 'text')
      .addColumn('subject_id', 'text')
      .addColumn('at_ms', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('caller_facts_pk', ['position', 'fact'])
      .execute();
    await db.schema.createIndex('caller_facts_by_caller').ifNotExists().on('caller_facts').columns(['caller_id', 'at_ms']).execute();
    await db.schema.createIndex('caller_facts_by_clinic').ifNotExists().on('caller_facts').columns(['clinic_id', 'at_ms']).execute();
    await db.schema.createIndex('caller_facts_by_subject').ifNotExists().on('caller_facts').column('subject_id').execute();
    await db.schema
      .createTable('caller_referrals')
      .ifNotExists()
      .addColumn('referral_id', 'text', (c) => c.primaryKey())
      .addColumn('caller_id', 'text', (c) => c.notNull())
      .addColumn('clinic_id', 'text', (c) => c.notNull())
      .addColumn('converted', 'integer', (c) => c.notNull())
      .execute();
  },

  async apply(event: ProjectedEvent, tx: ReadTx) {
    const record = (fact: CallerFact, clinicId: string, callerId: string | null, atMs: number, outcome: string | null = null, subjectId: string | null = null) =>
      tx.insertInto('caller_facts').values({ position: event.position, fact, clinic_id: clinicId, caller_id: callerId, outcome, subject_id: subjectId, at_ms: atMs }).execute();

    switch (event.type) {
      case 'CallAttempted': {
        const d = event.data;
        const at = epochMs(d.startedAt, 'startedAt');
        await record('attempt', d.clinicId, d.callerId, at, d.outcome, d.callId);
        if (d.outcome === 'reached') await record('reached', d.clinicId, d.callerId, at, null, d.callId);
        return;
      }
      case 'CallRecordCorrected':
        await correctCall(tx, event.data.callId, event.data.corrected);
        return;
      case 'ObjectionRecordCorrected': {
        const resolved = event.data.corrected.resolved;
        if (resolved !== undefined) await correctObjection(tx, event.data.objectionId, resolved);
        return;
      }
      case 'AppointmentBooked': {
        const d = event.data;
        await record('booked', d.clinicId, d.callerId ?? null, event.recordedAtMs);
        if (d.attributedCallId) {
          const call = await tx.selectFrom('caller_facts').select(['caller_id', 'at_ms']).where('subject_id', '=', d.attributedCallId).where('fact', '=', 'attempt').executeTakeFirst();
          if (call) await record('credited_booking', d.clinicId, call.caller_id, Number(call.at_ms), null, d.attributedCallId);
        }
        if (!d.referralId) return;
        const referral = await tx.selectFrom('caller_referrals').selectAll().where('referral_id', '=', d.referralId).executeTakeFirst();
        if (!referral || referral.converted === 1) return;
        await record('referral_converted', referral.clinic_id, referral.caller_id, event.recordedAtMs);
        await tx.updateTable('caller_referrals').set({ converted: 1 }).where('referral_id', '=', d.referralId).execute();
        return;
      }
      case 'ReferralRequested': {
        const d = event.data;
        await record('referral_requested', d.clinicId, d.callerId, event.recordedAtMs);
        await tx
          .insertInto('caller_referrals')
          .values({ referral_id: d.referralId, caller_id: d.callerId, clinic_id: d.clinicId, converted: 0 })
          .onConflict((oc) => oc.column('referral_id').doNothing())
          .execute();
        return;
      }
      case 'ObjectionRaised': {
        const d = event.data;
        await record('objection_raised', d.clinicId, d.callerId, event.recordedAtMs, null, d.objectionId);
        if (d.resolved) await record('objection_resolved', d.clinicId, d.callerId, event.recordedAtMs, null, d.objectionId);
        return;
      }
      default:
        return;
    }
  },
};

/** The call's attempt fact takes the corrected outcome and time; its reached fact follows the outcome. */
async function correctCall(tx: ReadTx, callId: string, corrected: { outcome?: string; startedAt?: string }): Promise<void> {
  const attempt = await tx.selectFrom('caller_facts').selectAll().where('subject_id', '=', callId).where('fact', '=', 'attempt').executeTakeFirst();
  if (!attempt) return;
  const outcome = corrected.outcome ?? attempt.outcome;
  const atMs = corrected.startedAt !== undefined ? epochMs(corrected.startedAt, 'corrected.startedAt') : Number(attempt.at_ms);
  await tx.updateTable('caller_facts').set({ outcome, at_ms: atMs }).where('subject_id', '=', callId).where('fact', '=', 'attempt').execute();
  // A booking credited to the call counts when the call (as corrected) was made.
  await tx.updateTable('caller_facts').set({ at_ms: atMs }).where('subject_id', '=', callId).where('fact', '=', 'credited_booking').execute();
  await tx.deleteFrom('caller_facts').where('subject_id', '=', callId).where('fact', '=', 'reached').execute();
  if (outcome === 'reached') {
    await tx
      .insertInto('caller_facts')
      .values({ position: attempt.position, fact: 'reached', clinic_id: attempt.clinic_id, caller_id: attempt.caller_id, outcome: null, subject_id: callId, at_ms: atMs })
      .execute();
  }
}

async function correctObjection(tx: ReadTx, objectionId: string, resolved: boolean): Promise<void> {
  const raised = await tx.selectFrom('caller_facts').selectAll().where('subject_id', '=', objectionId).where('fact', '=', 'objection_raised').executeTakeFirst();
  if (!raised) return;
  await tx.deleteFrom('caller_facts').where('subject_id', '=', objectionId).where('fact', '=', 'objection_resolved').execute();
  if (resolved) {
    await tx
      .insertInto('caller_facts')
      .values({ position: raised.position, fact: 'objection_resolved', clinic_id: raised.clinic_id, caller_id: raised.caller_id, outcome: null, subject_id: objectionId, at_ms: Number(raised.at_ms) })
      .execute();
  }
}
