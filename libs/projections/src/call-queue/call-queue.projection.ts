import type { CallRecordCorrected, ContactPreferencesSet, FollowUpScheduled, PersonalDetails } from '@rapport/domain';
import { epochMs } from '../runtime/instants';
import type { ProjectedEvent } from '../runtime/projection';
import { patched, put, remove, RowChange, RowOf, Projection, RowReader, tableSpec } from '../runtime/row-projection';
import type { QueueAudience, QueuePatientsTable } from './call-queue.tables';

const schema = [
  tableSpec({
    name: 'queue_follow_ups',
    columns: {
      follow_up_id: 'text',
      clinic_id: 'text',
      patient_id: 'text',
      audience: 'text',
      assignee_doctor_id: 'text?',
      kind: 'text',
      purpose: 'text',
      due_at: 'text',
      due_at_ms: 'bigint',
      urgent: 'integer',
      vip: 'integer',
      do_not_call: 'integer',
      avoid_work_hours: 'integer',
      has_preferred_times: 'integer',
      // avoid_work_hours or has_preferred_times: the patient's wishes may move the call (issue 15 item 6).
      has_wishes: 'integer',
      // The phone on record is wrong: out of the queue, on the "needs a number" list.
      needs_number: 'integer',
      treatment_id: 'text?',
      procedure: 'text?',
      rule_id: 'text?',
      step_id: 'text?',
      protocol_version: 'integer?',
      attempts: 'integer',
      last_outcome: 'text?',
      last_attempt_at: 'text?',
      last_caller_id: 'text?',
      scheduled_at: 'text',
      deadline_at: 'text?',
      // Who opened the call, until when (released by the next call on it).
      claimed_by: 'text?',
      claimed_until: 'text?',
    },
    key: ['follow_up_id'],
    indexes: [
      // The queue query is a range on due_at_ms within (clinic, audience, urgent), read in the
      // order it answers: due time, then VIP first among equals. It stops after `limit` rows.
      { name: 'queue_follow_ups_due', columns: ['clinic_id', 'audience', 'urgent', 'due_at_ms', 'vip desc', 'follow_up_id'] },
      { name: 'queue_follow_ups_doctor', columns: ['assignee_doctor_id', 'urgent', 'due_at_ms', 'vip desc', 'follow_up_id'] },
      // The calls waiting for a time the patient accepts, and those waiting for a number: both few.
      { name: 'queue_follow_ups_wishes', columns: ['clinic_id', 'audience', 'has_wishes', 'due_at_ms'] },
      { name: 'queue_follow_ups_needs_number', columns: ['clinic_id', 'needs_number', 'due_at_ms'] },
      // A patient's preferences are copied onto each of their follow-ups.
      { name: 'queue_follow_ups_patient', columns: ['patient_id'] },
    ],
  }),
  tableSpec({
    name: 'queue_attempts',
    columns: { follow_up_id: 'text', call_id: 'text', caller_id: 'text', outcome: 'text', started_at: 'text', started_at_ms: 'bigint' },
    key: ['follow_up_id', 'call_id'],
    // A follow-up's attempts, found together: counted on a call, the last one found on a correction, deleted on closing.
    indexes: [{ name: 'queue_attempts_by_follow_up', columns: ['follow_up_id'] }],
  }),
  tableSpec({
    name: 'queue_patients',
    columns: {
      patient_id: 'text',
      clinic_id: 'text',
      name: 'text?',
      phone: 'text?',
      vip: 'integer',
      do_not_call: 'integer',
      avoid_work_hours: 'integer',
      preferred_times: 'text?',
      phone_wrong: 'integer',
    },
    key: ['patient_id'],
  }),
  tableSpec({
    name: 'queue_treatments',
    columns: { patient_id: 'text', treatment_id: 'text', procedure: 'text', doctor_id: 'text' },
    key: ['patient_id', 'treatment_id'],
  }),
];

/**
 * The call queue: every open follow-up with what a caller needs on the line (patient, purpose,
 * attempts so far, last outcome, the treatment and the rule behind it). A call that closes a
 * follow-up removes it; one that moves it changes its dueAt. Contact preferences are copied onto
 * the rows here but applied when the queue is read, against the time asked about. A wrong number
 * takes the patient's open follow-ups out of the queue until a phone is given again.
 */
export const callQueueProjection: Projection = {
  name: 'call-queue',
  version: 4,
  tables: ['queue_follow_ups', 'queue_attempts', 'queue_patients', 'queue_treatments'],
  schema,

  project(event: ProjectedEvent, rows: RowReader): RowChange[] {
    switch (event.type) {
      case 'TreatmentCompleted': {
        const d = event.data;
        const changes: RowChange[] = [];
        if (!rows.get('queue_treatments', { patient_id: d.patientId, treatment_id: d.treatmentId })) {
          changes.push(put('queue_treatments', { patient_id: d.patientId, treatment_id: d.treatmentId, procedure: d.procedure, doctor_id: d.doctorId }));
        }
        changes.push(...givenDetails(rows, d.patientId, d.clinicId, d.patient));
        return changes;
      }
      case 'InquiryReceived':
        return givenDetails(rows, event.data.patientId, event.data.clinicId, event.data.patient);
      case 'PersonalDetailsCorrected':
        return givenDetails(rows, event.data.patientId, event.data.clinicId, event.data.patient);
      case 'PhoneNumberReportedWrong':
        return [
          ...upsertPatient(rows, event.data.patientId, event.data.clinicId, { phone_wrong: 1 }),
          ...rows.find('queue_follow_ups', 'patient_id', event.data.patientId).filter((f) => f.needs_number === 0).map((f) => patched('queue_follow_ups', f, { needs_number: 1 })),
        ];
      // A change carries the whole set as it now stands, like a set.
      case 'ContactPreferencesSet':
      case 'ContactPreferencesChanged':
        return setPreferences(rows, event.data);
      // A follow-up added by hand is in the queue like one the protocol scheduled.
      case 'FollowUpScheduled':
      case 'FollowUpAdded':
        return schedule(rows, event.data, event.recordedAt);
      case 'FollowUpMoved': {
        const open = rows.get('queue_follow_ups', { follow_up_id: event.data.followUpId });
        return open ? [patched('queue_follow_ups', open, { due_at: event.data.dueAt, due_at_ms: epochMs(event.data.dueAt, 'dueAt') })] : [];
      }
      case 'CallAttempted': {
        const d = event.data;
        if (!d.followUpId) return [];
        const open = rows.get('queue_follow_ups', { follow_up_id: d.followUpId });
        if (!open) return []; // a call on a follow-up that is already closed changes no queue
        const startedAtMs = epochMs(d.startedAt, 'startedAt');
        // Attempts are the calls on record for the follow-up, this one included: a call delivered again is not counted again.
        const attempts = rows.find('queue_attempts', 'follow_up_id', d.followUpId);
        const known = attempts.some((a) => a.call_id === d.callId);
        const changes: RowChange[] = [];
        if (!known) {
          changes.push(put('queue_attempts', { follow_up_id: d.followUpId, call_id: d.callId, caller_id: d.callerId, outcome: d.outcome, started_at: d.startedAt, started_at_ms: startedAtMs }));
        }
        changes.push(
          patched('queue_follow_ups', open, {
            attempts: attempts.length + (known ? 0 : 1),
            last_outcome: d.outcome,
            last_attempt_at: d.startedAt,
            last_caller_id: d.callerId,
            claimed_by: null,
            claimed_until: null,
          }),
        );
        return changes;
      }
      case 'FollowUpClaimed': {
        const open = rows.get('queue_follow_ups', { follow_up_id: event.data.followUpId });
        return open ? [patched('queue_follow_ups', open, { claimed_by: event.data.claimedBy, claimed_until: event.data.until })] : [];
      }
      case 'FollowUpRescheduled': {
        const d = event.data;
        const dueAtMs = epochMs(d.dueAt, 'dueAt');
        const open = rows.get('queue_follow_ups', { follow_up_id: d.followUpId });
        return open ? [patched('queue_follow_ups', open, { due_at: d.dueAt, due_at_ms: dueAtMs, attempts: d.attempts })] : [];
      }
      case 'FollowUpClosed':
      case 'FollowUpCancelled': {
        const followUpId = event.data.followUpId;
        const changes: RowChange[] = rows.find('queue_attempts', 'follow_up_id', followUpId).map((a) => remove('queue_attempts', { follow_up_id: a.follow_up_id, call_id: a.call_id }));
        if (rows.get('queue_follow_ups', { follow_up_id: followUpId })) changes.push(remove('queue_follow_ups', { follow_up_id: followUpId }));
        return changes;
      }
      case 'CallRecordCorrected':
        return correctAttempt(rows, event.data);
      case 'PersonalDataErased': {
        // The key is gone; so are the copies of the name and phone number kept here.
        const patient = rows.get('queue_patients', { patient_id: event.data.patientId });
        return patient ? [patched('queue_patients', patient, { name: null, phone: null })] : [];
      }
      default:
        return [];
    }
  },
};

/**
 * A corrected outcome or start time shows in the attempt history of an open follow-up (a caller
 * must not read "phone off" for a call that reached the patient); the follow-up's due time and
 * status stay as the call left them.
 */
function correctAttempt(rows: RowReader, d: CallRecordCorrected['data']): RowChange[] {
  const { outcome, startedAt } = d.corrected;
  if (!d.followUpId || (outcome === undefined && startedAt === undefined)) return [];
  const attempts = rows.find('queue_attempts', 'follow_up_id', d.followUpId);
  const attempt = attempts.find((a) => a.call_id === d.callId);
  if (!attempt) return []; // the follow-up is closed: no queue row shows the call
  const corrected: RowOf<'queue_attempts'> = {
    ...attempt,
    ...(outcome !== undefined ? { outcome } : {}),
    ...(startedAt !== undefined ? { started_at: startedAt, started_at_ms: epochMs(startedAt, 'startedAt') } : {}),
  };
  const changes: RowChange[] = [put('queue_attempts', corrected)];
  // The last attempt is the latest started (the greatest call id among equals), as corrected.
  const last = attempts
    .map((a) => (a.call_id === d.callId ? corrected : a))
    .reduce((a, b) => {
      const byTime = Number(a.started_at_ms) - Number(b.started_at_ms);
      return byTime > 0 || (byTime === 0 && a.call_id > b.call_id) ? a : b;
    });
  const followUp = rows.get('queue_follow_ups', { follow_up_id: d.followUpId });
  if (followUp) changes.push(patched('queue_follow_ups', followUp, { last_outcome: last.outcome, last_attempt_at: last.started_at, last_caller_id: last.caller_id }));
  return changes;
}

function schedule(rows: RowReader, d: FollowUpScheduled['data'], recordedAt: string): RowChange[] {
  const dueAtMs = epochMs(d.dueAt, 'dueAt');
  if (rows.get('queue_follow_ups', { follow_up_id: d.followUpId })) return [];
  const patient = rows.get('queue_patients', { patient_id: d.patientId });
  const treatment = d.treatmentId ? rows.get('queue_treatments', { patient_id: d.patientId, treatment_id: d.treatmentId }) : undefined;
  const audience: QueueAudience = d.assignee?.role ?? 'caller';
  // A doctor's callback without a named doctor lands with the treatment's attending doctor.
  const doctorId = d.assignee ? (d.assignee.doctorId ?? (audience === 'doctor' ? treatment?.doctor_id : undefined)) : undefined;
  return [
    put('queue_follow_ups', {
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
      has_wishes: patient?.avoid_work_hours || patient?.preferred_times ? 1 : 0,
      needs_number: patient?.phone_wrong ?? 0,
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
      deadline_at: d.deadlineAt ?? null,
      claimed_by: null,
      claimed_until: null,
    }),
  ];
}

/** The latest ContactPreferencesSet replaces the earlier one (as the domain folds it), on the patient and on each of their follow-ups. */
function setPreferences(rows: RowReader, d: ContactPreferencesSet['data']): RowChange[] {
  const preferred = d.preferredTimes && d.preferredTimes.length > 0 ? JSON.stringify(d.preferredTimes) : null;
  const flags = { vip: d.vip ? 1 : 0, do_not_call: d.doNotCall ? 1 : 0, avoid_work_hours: d.avoidWorkHours ? 1 : 0 };
  return [
    ...upsertPatient(rows, d.patientId, d.clinicId, { ...flags, preferred_times: preferred }),
    ...rows
      .find('queue_follow_ups', 'patient_id', d.patientId)
      .map((f) => patched('queue_follow_ups', f, { ...flags, has_preferred_times: preferred ? 1 : 0, has_wishes: flags.avoid_work_hours || preferred ? 1 : 0 })),
  ];
}

/**
 * A name or phone given (a treatment, an inquiry, a correction): copied for the callers; a phone
 * given again is the number to call, so the follow-ups that waited for one come back.
 */
function givenDetails(rows: RowReader, patientId: string, clinicId: string, details: PersonalDetails | undefined): RowChange[] {
  const patch = personal(details);
  if (patch.phone === undefined || rows.get('queue_patients', { patient_id: patientId })?.phone_wrong !== 1) return upsertPatient(rows, patientId, clinicId, patch);
  return [
    ...upsertPatient(rows, patientId, clinicId, { ...patch, phone_wrong: 0 }),
    ...rows.find('queue_follow_ups', 'patient_id', patientId).filter((f) => f.needs_number === 1).map((f) => patched('queue_follow_ups', f, { needs_number: 0 })),
  ];
}

type PatientPatch = Partial<Omit<QueuePatientsTable, 'patient_id' | 'clinic_id'>>;

function upsertPatient(rows: RowReader, patientId: string, clinicId: string, patch: PatientPatch): RowChange[] {
  const existing = rows.get('queue_patients', { patient_id: patientId });
  if (existing) return Object.keys(patch).length > 0 ? [patched('queue_patients', existing, patch)] : [];
  return [put('queue_patients', { patient_id: patientId, clinic_id: clinicId, name: null, phone: null, vip: 0, do_not_call: 0, avoid_work_hours: 0, preferred_times: null, phone_wrong: 0, ...patch })];
}

/** Only the details given: a later treatment without a phone number keeps the one known. */
function personal(details: PersonalDetails | undefined): PatientPatch {
  return {
    ...(details?.name !== undefined ? { name: details.name } : {}),
    ...(details?.phone !== undefined ? { phone: details.phone } : {}),
  };
}
