import { epochMs } from '../runtime/instants';
import type { ProjectedEvent } from '../runtime/projection';
import { patched, put, remove, RowChange, RowOf, Projection, RowReader, tableSpec } from '../runtime/row-projection';
import type { CallerFact } from './caller-metrics.tables';

type FactRow = RowOf<'caller_facts'>;

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
 *   calls, never above 1, and the best-time report counts it in the call's hour; while the call
 *   is corrected to one that reached nobody, the fact is credit_withheld (not counted);
 * - referral_requested, objection_raised, objection_resolved: their recordedAt;
 * - referral_converted: the recordedAt of the booking that converted the referral, credited to
 *   the caller who asked for the referral, once per referral however many bookings carry it.
 *
 * Corrections count as corrected: a call whose outcome is corrected (no_answer → reached) counts
 * with the corrected outcome, still as one attempt, credited to the caller who made it; a corrected
 * startedAt moves it in time; an objection corrected to resolved counts as resolved. The facts keep
 * the position of the event they count, so a rebuild gives the same rows.
 *
 * Each event's first fact (attempt, booked, referral_requested, objection_raised) is never removed:
 * when it is already there, the event was applied, and applying it again changes nothing (a
 * redelivered call does not undo a correction of it, a redelivered booking converts nothing twice).
 */
export const callerMetricsProjection: Projection = {
  name: 'caller-metrics',
  version: 4,
  tables: ['caller_facts', 'caller_referrals'],
  schema: [
    tableSpec({
      name: 'caller_facts',
      columns: { position: 'bigint', fact: 'text', clinic_id: 'text', caller_id: 'text?', outcome: 'text?', subject_id: 'text?', at_ms: 'bigint' },
      key: ['position', 'fact'],
      indexes: [
        { name: 'caller_facts_by_caller', columns: ['caller_id', 'at_ms'] },
        // Covering for the clinic's reports (best times, callers): a range scan that never reads the table.
        { name: 'caller_facts_by_clinic', columns: ['clinic_id', 'at_ms', 'fact', 'caller_id'] },
        { name: 'caller_facts_by_subject', columns: ['subject_id'] },
      ],
    }),
    tableSpec({
      name: 'caller_referrals',
      columns: { referral_id: 'text', caller_id: 'text', clinic_id: 'text', converted: 'integer' },
      key: ['referral_id'],
    }),
  ],

  project(event: ProjectedEvent, rows: RowReader): RowChange[] {
    const fact = (fact: CallerFact, clinicId: string, callerId: string | null, atMs: number, outcome: string | null = null, subjectId: string | null = null): RowChange =>
      put('caller_facts', { position: event.position, fact, clinic_id: clinicId, caller_id: callerId, outcome, subject_id: subjectId, at_ms: atMs });
    const applied = (first: CallerFact): boolean => rows.get('caller_facts', { position: event.position, fact: first }) !== undefined;

    switch (event.type) {
      case 'CallAttempted': {
        const d = event.data;
        const at = epochMs(d.startedAt, 'startedAt');
        if (applied('attempt')) return [];
        const changes = [fact('attempt', d.clinicId, d.callerId, at, d.outcome, d.callId)];
        if (d.outcome === 'reached') changes.push(fact('reached', d.clinicId, d.callerId, at, null, d.callId));
        return changes;
      }
      case 'CallRecordCorrected':
        return correctCall(rows, event.data.callId, event.data.corrected);
      case 'ObjectionRecordCorrected': {
        const resolved = event.data.corrected.resolved;
        return resolved === undefined ? [] : correctObjection(rows, event.data.objectionId, resolved);
      }
      case 'AppointmentBooked': {
        const d = event.data;
        if (applied('booked')) return [];
        const changes = [fact('booked', d.clinicId, d.callerId ?? null, event.recordedAtMs)];
        if (d.attributedCallId) {
          const call = factsOf(rows, d.attributedCallId, 'attempt')[0];
          if (call) changes.push(fact(creditFor(call.outcome), d.clinicId, call.caller_id, call.at_ms, null, d.attributedCallId));
        }
        if (!d.referralId) return changes;
        const referral = rows.get('caller_referrals', { referral_id: d.referralId });
        if (!referral || referral.converted === 1) return changes;
        changes.push(fact('referral_converted', referral.clinic_id, referral.caller_id, event.recordedAtMs), patched('caller_referrals', referral, { converted: 1 }));
        return changes;
      }
      case 'ReferralRequested': {
        const d = event.data;
        if (applied('referral_requested')) return [];
        const changes = [fact('referral_requested', d.clinicId, d.callerId, event.recordedAtMs)];
        // The first request under an id is the one its conversion credits.
        if (!rows.get('caller_referrals', { referral_id: d.referralId })) {
          changes.push(put('caller_referrals', { referral_id: d.referralId, caller_id: d.callerId, clinic_id: d.clinicId, converted: 0 }));
        }
        return changes;
      }
      case 'ObjectionRaised': {
        const d = event.data;
        if (applied('objection_raised')) return [];
        const changes = [fact('objection_raised', d.clinicId, d.callerId, event.recordedAtMs, null, d.objectionId)];
        if (d.resolved) changes.push(fact('objection_resolved', d.clinicId, d.callerId, event.recordedAtMs, null, d.objectionId));
        return changes;
      }
      default:
        return [];
    }
  },
};

/** The facts of one call or objection (by the index on subject_id) of one kind, oldest first. */
function factsOf(rows: RowReader, subjectId: string, kind: CallerFact): FactRow[] {
  return rows
    .find('caller_facts', 'subject_id', subjectId)
    .filter((f) => f.fact === kind)
    .sort((a, b) => a.position - b.position);
}

/** Conversion is credited bookings ÷ reached calls: a booking's credit stands while its call stands as reached. */
function creditFor(callOutcome: string | null): CallerFact {
  return callOutcome === 'reached' ? 'credited_booking' : 'credit_withheld';
}

/** The call's attempt fact takes the corrected outcome and time; its reached fact follows the outcome. */
function correctCall(rows: RowReader, callId: string, corrected: { outcome?: string; startedAt?: string }): RowChange[] {
  const facts = rows.find('caller_facts', 'subject_id', callId);
  const attempts = facts.filter((f) => f.fact === 'attempt').sort((a, b) => a.position - b.position);
  const attempt = attempts[0];
  if (!attempt) return [];
  const outcome = corrected.outcome ?? attempt.outcome;
  const atMs = corrected.startedAt !== undefined ? epochMs(corrected.startedAt, 'corrected.startedAt') : attempt.at_ms;
  const changes: RowChange[] = attempts.map((a) => patched('caller_facts', a, { outcome, at_ms: atMs }));
  for (const f of facts) {
    // A booking credited to the call counts when the call (as corrected) was made, and only while it reached the patient.
    if (f.fact === 'credited_booking' || f.fact === 'credit_withheld') {
      const credit = creditFor(outcome);
      if (credit === f.fact) changes.push(patched('caller_facts', f, { at_ms: atMs }));
      else changes.push(remove('caller_facts', { position: f.position, fact: f.fact }), put('caller_facts', { ...f, fact: credit, at_ms: atMs }));
    }
    if (f.fact === 'reached') changes.push(remove('caller_facts', { position: f.position, fact: f.fact }));
  }
  if (outcome === 'reached') {
    changes.push(put('caller_facts', { position: attempt.position, fact: 'reached', clinic_id: attempt.clinic_id, caller_id: attempt.caller_id, outcome: null, subject_id: callId, at_ms: atMs }));
  }
  return changes;
}

/** The objection counts as resolved, or not, at the time and for the caller it was raised with. */
function correctObjection(rows: RowReader, objectionId: string, resolved: boolean): RowChange[] {
  const facts = rows.find('caller_facts', 'subject_id', objectionId);
  const raised = facts.filter((f) => f.fact === 'objection_raised').sort((a, b) => a.position - b.position)[0];
  if (!raised) return [];
  const changes: RowChange[] = facts.filter((f) => f.fact === 'objection_resolved').map((f) => remove('caller_facts', { position: f.position, fact: f.fact }));
  if (resolved) {
    changes.push(put('caller_facts', { position: raised.position, fact: 'objection_resolved', clinic_id: raised.clinic_id, caller_id: raised.caller_id, outcome: null, subject_id: objectionId, at_ms: raised.at_ms }));
  }
  return changes;
}
