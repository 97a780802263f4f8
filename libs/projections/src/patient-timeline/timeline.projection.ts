import type { Kysely } from 'kysely';
import type { ReadModelDb } from '../read-store/read-model-db';
import { epochMs } from '../runtime/instants';
import { isCorrection } from '@rapport/domain';
import type { ProjectedEvent, Projection, ReadTx } from '../runtime/projection';
import {
  appointmentSummary,
  callSummary,
  closedSummary,
  correctionSummary,
  attendedSummary,
  erasedSummary,
  followUpScheduledSummary,
  inquirySummary,
  missedSummary,
  objectionSummary,
  persuasionStoppedSummary,
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
 */
export const timelineProjection: Projection = {
  name: 'patient-timeline',
  version: 2,
  tables: ['timeline_entries'],

  async createTables(db: Kysely<ReadModelDb>) {
    await db.schema
      .createTable('timeline_entries')
      .ifNotExists()
      .addColumn('patient_id', 'text', (c) => c.notNull())
      .addColumn('position', 'bigint', (c) => c.notNull())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('at_ms', 'bigint', (c) => c.notNull())
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addColumn('summary', 'text', (c) => c.notNull())
      .addColumn('redacted_summary', 'text')
      .addColumn('follow_up_id', 'text')
      .addColumn('call_id', 'text')
      .addColumn('ids', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('timeline_entries_pk', ['patient_id', 'position'])
      .execute();
    await db.schema.createIndex('timeline_entries_by_time').ifNotExists().on('timeline_entries').columns(['patient_id', 'at_ms', 'position']).execute();
    await db.schema.createIndex('timeline_entries_by_event').ifNotExists().on('timeline_entries').column('event_id').execute();
  },

  async apply(event: ProjectedEvent, tx: ReadTx) {
    if (event.type === 'PersonalDataErased') await redact(tx, event.data.patientId);
    const correction = correctionIn(event);
    if (correction) await markCorrected(tx, correction.correctsEventId, correction.correctionId);
    for (const entry of await entriesFor(event, tx)) {
      await tx
        .insertInto('timeline_entries')
        .values({
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
        })
        .execute();
    }
  },
};

async function entriesFor(event: ProjectedEvent, tx: ReadTx): Promise<Entry[]> {
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
    case 'CallAttempted': {
      const d = event.data;
      const attempt = d.followUpId ? (await countCalls(tx, d.patientId, d.followUpId)) + 1 : undefined;
      return [
        { patientId: d.patientId, type: event.type, at: d.startedAt, summary: callSummary(d, attempt), followUpId: d.followUpId, callId: d.callId, ids: { callId: d.callId, followUpId: d.followUpId } },
      ];
    }
    case 'FollowUpRescheduled': {
      const d = event.data;
      const when = (await callTime(tx, d.patientId, d.callId)) ?? at;
      return [{ patientId: d.patientId, type: event.type, at: when, summary: rescheduledSummary(d), followUpId: d.followUpId, ids: { followUpId: d.followUpId, callId: d.callId } }];
    }
    case 'FollowUpClosed': {
      const d = event.data;
      const when = (d.callId ? await callTime(tx, d.patientId, d.callId) : undefined) ?? at;
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
async function markCorrected(tx: ReadTx, eventId: string, correctionId: string): Promise<void> {
  const note = ` [corrected: see ${correctionId}]`;
  const rows = await tx.selectFrom('timeline_entries').select(['patient_id', 'position', 'summary', 'redacted_summary']).where('event_id', '=', eventId).execute();
  for (const row of rows) {
    await tx
      .updateTable('timeline_entries')
      .set({ summary: row.summary + note, redacted_summary: row.redacted_summary === null ? null : row.redacted_summary + note })
      .where('patient_id', '=', row.patient_id)
      .where('position', '=', row.position)
      .where('event_id', '=', eventId)
      .execute();
  }
}

/** Erasure: every summary that named a person is replaced by the one that does not. */
async function redact(tx: ReadTx, patientId: string): Promise<void> {
  const rows = await tx
    .selectFrom('timeline_entries')
    .select(['position', 'redacted_summary'])
    .where('patient_id', '=', patientId)
    .where('redacted_summary', 'is not', null)
    .execute();
  for (const row of rows) {
    await tx
      .updateTable('timeline_entries')
      .set({ summary: row.redacted_summary!, redacted_summary: null })
      .where('patient_id', '=', patientId)
      .where('position', '=', row.position)
      .where('redacted_summary', 'is not', null)
      .execute();
  }
}

async function countCalls(tx: ReadTx, patientId: string, followUpId: string): Promise<number> {
  const row = await tx
    .selectFrom('timeline_entries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('patient_id', '=', patientId)
    .where('follow_up_id', '=', followUpId)
    .where('type', '=', 'CallAttempted')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** A follow-up moved or closed by a call sits at the call's time on the timeline. */
async function callTime(tx: ReadTx, patientId: string, callId: string): Promise<string | undefined> {
  const row = await tx
    .selectFrom('timeline_entries')
    .select('at')
    .where('patient_id', '=', patientId)
    .where('call_id', '=', callId)
    .where('type', '=', 'CallAttempted')
    .executeTakeFirst();
  return row?.at;
}
