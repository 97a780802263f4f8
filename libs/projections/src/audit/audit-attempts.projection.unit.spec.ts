import type { CallAttempted } from '@rapport/domain';
import { GivenEvent, projectionSpec } from '../../test/projection-spec';
import { auditAttemptsProjection } from './audit-attempts.projection';

const spec = projectionSpec(auditAttemptsProjection);
const ms = (iso: string) => Date.parse(iso);
const actor = { actor: { userId: 'u-zhang', role: 'caller' } };
const call = (callId: string, data: Partial<CallAttempted['data']>, recordedAt: string, metadata?: Record<string, unknown>): GivenEvent => ({
  type: 'CallAttempted',
  data: { callId, patientId: 'p1', clinicId: 'c1', callerId: 'nurse-zhang', startedAt: '2026-11-24T02:35:00Z', outcome: 'no_answer', ...data },
  recordedAt,
  ...(metadata ? { metadata } : {}),
});

describe('audit attempts projection', () => {
  it('keeps every attempt exactly as recorded, with who recorded it and when', () =>
    spec
      .given(
        call(
          'k1',
          { followUpId: 'f1', outcome: 'reached', durationSeconds: 95, satisfaction: 3, notes: '忙线, "稍后"', symptoms: 'swelling', complaint: true, lateEntryReason: 'phone was down' },
          '2026-11-24T05:00:00Z',
          actor,
        ),
        call('k2', { startedAt: '2026-11-24T03:00:00+08:00', outcome: 'busy' }, '2026-11-24T03:05:00Z'),
      )
      .then({
        audit_attempts: [
          {
            event_id: 'event-1',
            position: 1,
            call_id: 'k1',
            patient_id: 'p1',
            clinic_id: 'c1',
            caller_id: 'nurse-zhang',
            follow_up_id: 'f1',
            started_at: '2026-11-24T02:35:00Z',
            started_at_ms: ms('2026-11-24T02:35:00Z'),
            recorded_at: '2026-11-24T05:00:00Z',
            outcome: 'reached',
            duration_seconds: 95,
            satisfaction: 3,
            notes: '忙线, "稍后"',
            symptoms: 'swelling',
            complaint: 1,
            late_entry_reason: 'phone was down',
            actor_user_id: 'u-zhang',
            actor_role: 'caller',
          },
          {
            event_id: 'event-2',
            position: 2,
            call_id: 'k2',
            follow_up_id: null,
            // The time as the caller wrote it, and its instant for ranges: 03:00 in +08:00 is 19:00Z the day before.
            started_at: '2026-11-24T03:00:00+08:00',
            started_at_ms: ms('2026-11-23T19:00:00Z'),
            recorded_at: '2026-11-24T03:05:00Z',
            outcome: 'busy',
            duration_seconds: null,
            satisfaction: null,
            notes: null,
            symptoms: null,
            complaint: 0,
            late_entry_reason: null,
            actor_user_id: null,
            actor_role: null,
          },
        ],
        audit_corrections: [],
      }));

  it('keeps a correction beside the attempt it corrects, which stays as recorded', () =>
    spec
      .given(call('k1', {}, '2026-11-24T02:40:00Z'), {
        type: 'CallRecordCorrected',
        data: {
          correctionId: 'fix1',
          patientId: 'p1',
          clinicId: 'c1',
          correctsEventId: 'event-1',
          callId: 'k1',
          callerId: 'nurse-zhang',
          reason: 'entered the wrong outcome',
          corrected: { outcome: 'reached', satisfaction: 4 },
          previous: { outcome: 'no_answer' },
        },
        recordedAt: '2026-11-24T05:00:00Z',
        metadata: { actor: { userId: 'u-wang', role: 'admin' } },
      })
      .then({
        audit_attempts: [{ event_id: 'event-1', outcome: 'no_answer', satisfaction: null }],
        audit_corrections: [
          {
            event_id: 'event-2',
            position: 2,
            correction_id: 'fix1',
            corrects_event_id: 'event-1',
            call_id: 'k1',
            recorded_at: '2026-11-24T05:00:00Z',
            reason: 'entered the wrong outcome',
            corrected: '{"outcome":"reached","satisfaction":4}',
            previous: '{"outcome":"no_answer"}',
            actor_user_id: 'u-wang',
            actor_role: 'admin',
          },
        ],
      }));

  it('ignores events that are neither calls nor their corrections', () =>
    spec
      .given({ type: 'ObjectionRecordCorrected', data: { objectionId: 'o1', correctionId: 'fix1', patientId: 'p1', clinicId: 'c1', callerId: 'nurse-zhang', correctsEventId: 'e', reason: 'r', corrected: { resolved: true }, previous: {} } })
      .then({ audit_attempts: [], audit_corrections: [] }));

  it('stops at an attempt whose start cannot be read', () =>
    spec.given(call('k1', {}, '2026-11-24T02:40:00Z'), call('k2', { startedAt: 'half past ten' }, '2026-11-24T02:45:00Z')).thenFailsAt(2, /startedAt is not an instant/));
});
