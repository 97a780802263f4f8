import type { FollowUpScheduled } from '@rapport/domain';
import { GivenEvent, projectionSpec } from '../../test/projection-spec';
import { followUpReportProjection } from './follow-up-report.projection';

const spec = projectionSpec(followUpReportProjection);
const ms = (iso: string) => Date.parse(iso);
const scheduled = (followUpId: string, dueAt: string, recordedAt: string, data: Partial<FollowUpScheduled['data']> = {}): GivenEvent => ({
  type: 'FollowUpScheduled',
  data: { followUpId, patientId: 'p1', clinicId: 'c1', purpose: 'ask how it heals', dueAt, urgent: false, origin: { protocolVersion: 1, ruleId: 'general', stepId: 'day_1' }, ...data },
  recordedAt,
});
const call = (callId: string, followUpId: string | undefined, startedAt: string): GivenEvent => ({
  type: 'CallAttempted',
  data: { callId, patientId: 'p1', clinicId: 'c1', callerId: 'nurse-zhang', startedAt, outcome: 'no_answer', ...(followUpId ? { followUpId } : {}) },
});
const closed = (followUpId: string, reason: 'completed' | 'unreachable', recordedAt: string): GivenEvent => ({
  type: 'FollowUpClosed',
  data: { followUpId, patientId: 'p1', clinicId: 'c1', reason, attempts: 3 },
  recordedAt,
});

describe('follow-up report projection', () => {
  it('each follow-up as first due, its earliest attempt (also one entered late), and how it closed', () =>
    spec
      .given(
        scheduled('f1', '2026-11-24T02:30:00Z', '2026-11-23T07:00:00Z'),
        scheduled('f2', '2026-11-23T04:15:00Z', '2026-11-23T07:01:00Z', { kind: 'doctor_callback', assignee: { role: 'doctor', doctorId: 'dr-li' } }),
        call('k1', 'f1', '2026-11-24T03:00:00Z'),
        // Typed in later, made earlier: the first attempt moves back.
        call('k2', 'f1', '2026-11-24T02:40:00Z'),
        call('k3', 'f1', '2026-11-24T08:00:00Z'),
        closed('f1', 'unreachable', '2026-11-24T08:05:00Z'),
      )
      .then({
        report_follow_ups: [
          {
            follow_up_id: 'f1',
            clinic_id: 'c1',
            audience: 'caller',
            kind: 'treatment',
            first_due_at_ms: ms('2026-11-24T02:30:00Z'),
            scheduled_at_ms: ms('2026-11-23T07:00:00Z'),
            first_attempt_at_ms: ms('2026-11-24T02:40:00Z'),
            closed_at_ms: ms('2026-11-24T08:05:00Z'),
            closed_reason: 'unreachable',
          },
          {
            follow_up_id: 'f2',
            clinic_id: 'c1',
            audience: 'doctor',
            kind: 'doctor_callback',
            first_due_at_ms: ms('2026-11-23T04:15:00Z'),
            scheduled_at_ms: ms('2026-11-23T07:01:00Z'),
            first_attempt_at_ms: null,
            closed_at_ms: null,
            closed_reason: null,
          },
        ],
      }));

  it('the first schedule under an id counts: the same id again keeps its due time, attempt and close', () =>
    spec
      .given(
        scheduled('f1', '2026-11-24T02:30:00Z', '2026-11-23T07:00:00Z'),
        call('k1', 'f1', '2026-11-24T03:00:00Z'),
        closed('f1', 'completed', '2026-11-24T03:05:00Z'),
        scheduled('f1', '2026-12-24T02:30:00Z', '2026-11-25T07:00:00Z', { kind: 'greeting' }),
      )
      .then({
        report_follow_ups: [
          { follow_up_id: 'f1', kind: 'treatment', first_due_at_ms: ms('2026-11-24T02:30:00Z'), scheduled_at_ms: ms('2026-11-23T07:00:00Z'), first_attempt_at_ms: ms('2026-11-24T03:00:00Z'), closed_reason: 'completed' },
        ],
      }));

  it('calls on no follow-up, and calls and closes of unknown ones, change nothing', () =>
    spec
      .given(scheduled('f1', '2026-11-24T02:30:00Z', '2026-11-23T07:00:00Z'), call('k1', undefined, '2026-11-24T03:00:00Z'), call('k2', 'f9', '2026-11-24T03:00:00Z'), closed('f9', 'completed', '2026-11-24T03:05:00Z'))
      .then({ report_follow_ups: [{ follow_up_id: 'f1', first_attempt_at_ms: null, closed_at_ms: null, closed_reason: null }] }));

  it('stops at a follow-up whose due time cannot be read', () =>
    spec.given(scheduled('f1', '2026-11-24T02:30:00Z', '2026-11-23T07:00:00Z'), scheduled('f2', 'tomorrow', '2026-11-23T07:01:00Z')).thenFailsAt(2, /dueAt is not an instant/));

  it('stops at a call on a follow-up whose start cannot be read', () =>
    spec.given(scheduled('f1', '2026-11-24T02:30:00Z', '2026-11-23T07:00:00Z'), call('k1', 'f1', 'at ten')).thenFailsAt(2, /startedAt is not an instant/));

  it('a patient who asks not to be called marks their open follow-ups (and later ones), not the closed ones; asking again unmarks them', () => {
    const doNotCall = (on: boolean): GivenEvent => ({ type: 'ContactPreferencesSet', data: { patientId: 'p1', clinicId: 'c1', doNotCall: on } });
    return spec
      .given(
        scheduled('f1', '2026-11-24T02:30:00Z', '2026-11-23T07:00:00Z'),
        scheduled('f2', '2026-11-26T02:30:00Z', '2026-11-23T07:00:00Z'),
        closed('f1', 'completed', '2026-11-24T03:00:00Z'),
        doNotCall(true),
        scheduled('f3', '2026-11-30T02:30:00Z', '2026-11-25T07:00:00Z'),
      )
      .then({
        report_patients: [{ patient_id: 'p1', do_not_call: 1 }],
        report_follow_ups: [
          { follow_up_id: 'f1', do_not_call: 0 },
          { follow_up_id: 'f2', do_not_call: 1 },
          { follow_up_id: 'f3', do_not_call: 1 },
        ],
      })
      .then(() =>
        spec
          .given(scheduled('f2', '2026-11-26T02:30:00Z', '2026-11-23T07:00:00Z'), doNotCall(true), doNotCall(false))
          .then({ report_patients: [{ patient_id: 'p1', do_not_call: 0 }], report_follow_ups: [{ follow_up_id: 'f2', do_not_call: 0 }] }),
      );
  });
});
