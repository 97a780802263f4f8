import { isCorrection } from '@rapport/domain';
import { epochMs } from '../runtime/instants';
import type { ProjectedEvent } from '../runtime/projection';
import { patched, put, RowChange, Projection, RowReader, tableSpec } from '../runtime/row-projection';
import {
  appointmentSummary,
  callSummary,
  closedSummary,
  correctionSummary,
  attendedSummary,
  erasedSummary,
  detailsCorrectedSummary,
  phoneWrongSummary,
  followUpScheduledSummary,
  inquirySummary,
  missedSummary,
  objectionSummary,
  persuasionStoppedSummary,
  followUpAddedSummary,
  followUpSteeredSummary,
  preferencesChangedSummary,
  preferencesSummary,
  referralBookedSummary,
  referralSummary,
  rescheduledSummary,
  treatmentSummary,
} from './timeline-summary';

interface Entry {
  patientId: string;
  type: string;
  /** When it happened: the fact's own time where it has one, else the server's recordedAt. */
  at: string;
  summary: string;
  /** The summary without personal data, when `summary` holds some (a referred person's name): what stays after an erasure. */
  redactedSummary?: string;
  followUpId?: string;
  callId?: string;
  ids: Record<string, string | undefined>;
}

/**
 * The relationship timeline: one readable entry per fact of a patient, oldest first. A correction
 * is an entry of its own, and the entry it corrects says so; an erasure replaces every summary
 * that named a person with one that does not.
 *
 * Every event that changes the timeline writes an entry of its own at its log position, in the
 * same step as any other change it makes: when that entry is there already, the event has been
 * applied and changes nothing again (a correction's note is not added twice, an erased name does
 * not come back from the entry that first held it).
 */
export const timelineProjection: Projection = {
  name: 'patient-timeline',
  version: 3,
  tables: ['timeline_entries'],
  schema: [
    tableSpec({
      name: 'timeline_entries',
      columns: {
        patient_id: 'text',
        position: 'bigint',
        event_id: 'text',
        type: 'text',
        at: 'text',
        at_ms: 'bigint',
        recorded_at: 'text',
        summary: 'text',
        redacted_summary: 'text?',
        follow_up_id: 'text?',
        call_id: 'text?',
        ids: 'text',
      },
      key: ['patient_id', 'position'],
      indexes: [
        // The timeline query, and a patient's entries found together (an erasure).
        { name: 'timeline_entries_by_time', columns: ['patient_id', 'at_ms', 'position'] },
        // The entries a correction points at.
        { name: 'timeline_entries_by_event', columns: ['event_id'] },
        // A call's attempt number (the calls before it on its follow-up), and the call a move or close sits at.
        { name: 'timeline_entries_by_follow_up', columns: ['follow_up_id'] },
        { name: 'timeline_entries_by_call', columns: ['call_id'] },
      ],
    }),
  ],

  project(event: ProjectedEvent, rows: RowReader): RowChange[] {
    const entries = entriesFor(event, rows);
    if (entries.length === 0) return [];
    if (entries.some((entry) => rows.get('timeline_entries', { patient_id: entry.patientId, position: event.position }))) return [];
    const changes: RowChange[] = [];
    if (event.type === 'PersonalDataErased') changes.push(...redact(rows, event.data.patientId));
    const correction = correctionIn(event);
    if (correction) changes.push(...markCorrected(rows, correction.correctsEventId, correction.correctionId));
    for (const entry of entries) {
      changes.push(
        put('timeline_entries', {
          patient_id: entry.patientId,
          position: event.position,
          event_id: event.eventId,
          type: entry.type,
          at: entry.at,
          at_ms: epochMs(entry.at, `${event.type} time`),
          recorded_at: event.recordedAt,
          summary: entry.summary,
          redacted_summary: entry.redactedSummary ?? null,
          follow_up_id: entry.followUpId ?? null,
          call_id: entry.callId ?? null,
          ids: JSON.stringify(Object.fromEntries(Object.entries(entry.ids).filter(([, v]) => v !== undefined))),
        }),
      );
    }
    return changes;
  },
};

function entriesFor(event: ProjectedEvent, rows: RowReader): Entry[] {
  const at = event.recordedAt;
  switch (event.type) {
    case 'TreatmentCompleted': {
      const d = event.data;
      return [{ patientId: d.patientId, type: event.type, at: d.completedAt, summary: treatmentSummary(d), ids: { treatmentId: d.treatmentId } }];
    }
    case 'FollowUpScheduled': {
      const d = event.data;
      const ids = { followUpId: d.followUpId, treatmentId: d.treatmentId, follows: d.follows, inquiryId: d.inquiryId, appointmentId: d.appointmentId, callId: d.callId };
      return [{ patientId: d.patientId, type: event.type, at, summary: followUpScheduledSummary(d), followUpId: d.followUpId, ids }];
    }
    case 'FollowUpAdded': {
      const d = event.data;
      const ids = { followUpId: d.followUpId, callId: d.callId, follows: d.follows };
      return [{ patientId: d.patientId, type: event.type, at, summary: followUpAddedSummary(d, actorOf(event.metadata)), followUpId: d.followUpId, ids }];
    }
    case 'FollowUpMoved':
    case 'FollowUpCancelled': {
      const d = event.data;
      return [{ patientId: d.patientId, type: event.type, at, summary: followUpSteeredSummary(event.type, d, actorOf(event.metadata)), followUpId: d.followUpId, ids: { followUpId: d.followUpId } }];
    }
    case 'CallAttempted': {
      const d = event.data;
      const attempt = d.followUpId ? countCalls(rows, d.patientId, d.followUpId) + 1 : undefined;
      return [
        { patientId: d.patientId, type: event.type, at: d.startedAt, summary: callSummary(d, attempt), followUpId: d.followUpId, callId: d.callId, ids: { callId: d.callId, followUpId: d.followUpId } },
      ];
    }
    case 'FollowUpRescheduled': {
      const d = event.data;
      const when = callTime(rows, d.patientId, d.callId) ?? at;
      return [{ patientId: d.patientId, type: event.type, at: when, summary: rescheduledSummary(d), followUpId: d.followUpId, ids: { followUpId: d.followUpId, callId: d.callId } }];
    }
    case 'FollowUpClosed': {
      const d = event.data;
      const when = (d.callId ? callTime(rows, d.patientId, d.callId) : undefined) ?? at;
      const ids = { followUpId: d.followUpId, callId: d.callId, appointmentId: d.appointmentId, treatmentId: d.treatmentId };
      return [{ patientId: d.patientId, type: event.type, at: when, summary: closedSummary(d), followUpId: d.followUpId, ids }];
    }
    case 'ObjectionRaised': {
      const d = event.data;
      return [{ patientId: d.patientId, type: event.type, at, summary: objectionSummary(d), callId: d.callId, ids: { objectionId: d.objectionId, callId: d.callId } }];
    }
    case 'ReferralRequested': {
      const d = event.data;
      const summary = referralSummary(d);
      const redacted = referralSummary({ ...d, referred: undefined });
      return [{ patientId: d.patientId, type: event.type, at, summary, ...(summary !== redacted ? { redactedSummary: redacted } : {}), ids: { referralId: d.referralId } }];
    }
    case 'AppointmentBooked': {
      const d = event.data;
      const ids = { appointmentId: d.appointmentId, followUpId: d.followUpId, referralId: d.referralId, referrerPatientId: d.referrerPatientId };
      const own: Entry = { patientId: d.patientId, type: event.type, at, summary: appointmentSummary(d), ids };
      // The referrer sees the booking their referral brought on their own timeline too.
      if (!d.referralId || !d.referrerPatientId || d.referrerPatientId === d.patientId) return [own];
      return [own, { patientId: d.referrerPatientId, type: 'ReferralBooked', at, summary: referralBookedSummary(d), ids: { ...ids, referredPatientId: d.patientId } }];
    }
    case 'AppointmentMissed': {
      const d = event.data;
      return [{ patientId: d.patientId, type: event.type, at: d.at, summary: missedSummary(d), ids: { appointmentId: d.appointmentId } }];
    }
    case 'AppointmentAttended': {
      const d = event.data;
      return [{ patientId: d.patientId, type: event.type, at: d.at, summary: attendedSummary(d), ids: { appointmentId: d.appointmentId } }];
    }
    case 'InquiryReceived': {
      const d = event.data;
      return [{ patientId: d.patientId, type: event.type, at: d.receivedAt, summary: inquirySummary(d), ids: { inquiryId: d.inquiryId } }];
    }
    case 'ContactPreferencesSet':
      return [{ patientId: event.data.patientId, type: event.type, at, summary: preferencesSummary(event.data), ids: {} }];
    case 'ContactPreferencesChanged':
      return [{ patientId: event.data.patientId, type: event.type, at, summary: preferencesChangedSummary(event.data), ids: {} }];
    case 'ProspectPersuasionStopped':
      return [{ patientId: event.data.patientId, type: event.type, at, summary: persuasionStoppedSummary(event.data), ids: {} }];
    case 'CallRecordCorrected':
    case 'ObjectionRecordCorrected':
    case 'ReferralRecordCorrected':
    case 'AppointmentRecordCorrected':
    case 'TreatmentRecordCorrected': {
      const d = event.data;
      const ids = { correctionId: d.correctionId, correctsEventId: d.correctsEventId, ...correctedIds(event) };
      return [{ patientId: d.patientId, type: event.type, at, summary: correctionSummary(event.type, d, actorOf(event.metadata)), ids }];
    }
    case 'PersonalDataErased':
      return [{ patientId: event.data.patientId, type: event.type, at, summary: erasedSummary(event.data), ids: {} }];
    case 'PhoneNumberReportedWrong':
      return [{ patientId: event.data.patientId, type: event.type, at, summary: phoneWrongSummary(event.data), ids: { callId: event.data.callId } }];
    case 'PersonalDetailsCorrected':
      return [{ patientId: event.data.patientId, type: event.type, at, summary: detailsCorrectedSummary(event.data, actorOf(event.metadata)), ids: { correctionId: event.data.correctionId } }];
    default:
      return [];
  }
}

function correctionIn(event: ProjectedEvent): { correctsEventId: string; correctionId: string } | undefined {
  return isCorrection(event.type) ? (event.data as { correctsEventId: string; correctionId: string }) : undefined;
}

/** The fact a correction is about, by its own id. */
function correctedIds(event: ProjectedEvent): Record<string, string | undefined> {
  switch (event.type) {
    case 'CallRecordCorrected':
      return { callId: event.data.callId, followUpId: event.data.followUpId };
    case 'ObjectionRecordCorrected':
      return { objectionId: event.data.objectionId };
    case 'ReferralRecordCorrected':
      return { referralId: event.data.referralId };
    case 'AppointmentRecordCorrected':
      return { appointmentId: event.data.appointmentId };
    case 'TreatmentRecordCorrected':
      return { treatmentId: event.data.treatmentId };
    default:
      return {};
  }
}

function actorOf(metadata: Record<string, unknown>): string | undefined {
  const actor = metadata.actor as { userId?: unknown } | undefined;
  return typeof actor?.userId === 'string' ? actor.userId : undefined;
}

/** The corrected entry stays as recorded, with a note that points at its correction. */
function markCorrected(rows: RowReader, eventId: string, correctionId: string): RowChange[] {
  const note = ` [corrected: see ${correctionId}]`;
  return rows
    .find('timeline_entries', 'event_id', eventId)
    .map((row) => patched('timeline_entries', row, { summary: row.summary + note, redacted_summary: row.redacted_summary === null ? null : row.redacted_summary + note }));
}

/** Erasure: every summary that named a person is replaced by the one that does not. */
function redact(rows: RowReader, patientId: string): RowChange[] {
  return rows
    .find('timeline_entries', 'patient_id', patientId)
    .filter((row) => row.redacted_summary !== null)
    .map((row) => patched('timeline_entries', row, { summary: row.redacted_summary!, redacted_summary: null }));
}

/** The calls on a follow-up already on the patient's timeline. */
function countCalls(rows: RowReader, patientId: string, followUpId: string): number {
  return rows.find('timeline_entries', 'follow_up_id', followUpId).filter((row) => row.patient_id === patientId && row.type === 'CallAttempted').length;
}

/** A follow-up moved or closed by a call sits at the call's time on the timeline. */
function callTime(rows: RowReader, patientId: string, callId: string): string | undefined {
  return rows.find('timeline_entries', 'call_id', callId).find((row) => row.patient_id === patientId && row.type === 'CallAttempted')?.at;
}
