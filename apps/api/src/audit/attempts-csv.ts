import type { AuditAttempt, AuditCorrection } from '@rapport/projections';
import { csvDocument, csvField } from '../http/csv';

/**
 * The audit export as CSV (http/csv.ts: RFC 4180, UTF-8 with a byte-order mark, formulas guarded).
 *
 * One row per attempt as recorded (record = attempt), and right below it one row per correction
 * of it (record = correction): the correction's own event id, time and author, the event it
 * corrects, the corrected fields' new values in their columns and `changes` ("outcome: no_answer → reached").
 */
export const AUDIT_CSV_COLUMNS = [
  'record',
  'eventId',
  'correctsEventId',
  'position',
  'callId',
  'patientId',
  'clinicId',
  'callerId',
  'followUpId',
  'startedAt',
  'recordedAt',
  'outcome',
  'durationSeconds',
  'satisfaction',
  'complaint',
  'symptoms',
  'notes',
  'lateEntryReason',
  'recordedBy',
  'recordedByRole',
  'correctionReason',
  'changes',
] as const;

type Column = (typeof AUDIT_CSV_COLUMNS)[number];
type Row = Partial<Record<Column, string | number | boolean | null>>;

const FREE_TEXT: ReadonlySet<Column> = new Set(['symptoms', 'notes', 'lateEntryReason', 'correctionReason', 'changes']);

export function attemptsCsv(attempts: readonly AuditAttempt[]): string {
  const lines = [AUDIT_CSV_COLUMNS.join(',')];
  for (const attempt of attempts) {
    lines.push(line(attemptRow(attempt)));
    for (const correction of attempt.corrections) lines.push(line(correctionRow(attempt, correction)));
  }
  return csvDocument(lines);
}

function attemptRow(a: AuditAttempt): Row {
  return {
    record: 'attempt',
    eventId: a.eventId,
    position: a.position,
    callId: a.callId,
    patientId: a.patientId,
    clinicId: a.clinicId,
    callerId: a.callerId,
    followUpId: a.followUpId,
    startedAt: a.startedAt,
    recordedAt: a.recordedAt,
    outcome: a.outcome,
    durationSeconds: a.durationSeconds,
    satisfaction: a.satisfaction,
    complaint: a.complaint,
    symptoms: a.symptoms,
    notes: a.notes,
    lateEntryReason: a.lateEntryReason,
    recordedBy: a.recordedBy.userId,
    recordedByRole: a.recordedBy.role,
  };
}

function correctionRow(a: AuditAttempt, c: AuditCorrection): Row {
  const to = (field: string) => (c.changes[field] ? (c.changes[field]!.to as string | number | null) : null);
  return {
    record: 'correction',
    eventId: c.eventId,
    correctsEventId: a.eventId,
    position: c.position,
    callId: a.callId,
    patientId: a.patientId,
    clinicId: a.clinicId,
    callerId: a.callerId,
    followUpId: a.followUpId,
    startedAt: to('startedAt'),
    recordedAt: c.recordedAt,
    outcome: to('outcome'),
    durationSeconds: to('durationSeconds'),
    satisfaction: to('satisfaction'),
    symptoms: to('symptoms'),
    notes: to('notes'),
    recordedBy: c.recordedBy.userId,
    recordedByRole: c.recordedBy.role,
    correctionReason: c.reason,
    changes: Object.entries(c.changes)
      .map(([field, { from, to: value }]) => `${field}: ${shown(from)} → ${shown(value)}`)
      .join('; '),
  };
}

function shown(value: unknown): string {
  return value === null || value === undefined ? '—' : String(value);
}

function line(row: Row): string {
  return AUDIT_CSV_COLUMNS.map((column) => csvField(row[column], FREE_TEXT.has(column))).join(',');
}

