import { projectionSpec } from '../../test/projection-spec';
import { urgentProjection } from './urgent.projection';

const spec = projectionSpec(urgentProjection);
const urgent = (followUpId: string, ruleId: string, stepId: string, dueAt: string) =>
  ({ type: 'FollowUpScheduled', data: { followUpId, patientId: 'p', clinicId: 'c', purpose: 'x', dueAt, urgent: true, origin: { protocolVersion: 1, ruleId, stepId } } }) as const;
const call = (callId: string, followUpId: string, startedAt: string) =>
  ({ type: 'CallAttempted', data: { callId, patientId: 'p', clinicId: 'c', callerId: 'li', followUpId, startedAt, outcome: 'no_answer' } }) as const;
const ms = Date.parse;

describe('urgent projection', () => {
  it('each rule’s deadline: a missed visit within the hour, a “within 24 hours” call by the 24 hours', () =>
    spec
      .given(urgent('f1', 'missed_appointment', 'within_1h', '2026-11-24T03:00:00Z'), urgent('f2', 'implant', 'within_24h', '2026-11-24T04:00:00Z'), {
        type: 'FollowUpScheduled',
        data: { followUpId: 'f3', patientId: 'p', clinicId: 'c', purpose: 'x', dueAt: '2026-11-24T04:00:00Z', urgent: false, origin: { protocolVersion: 1, ruleId: 'general', stepId: 'day_1' } },
      })
      .then({
        report_urgent: [
          { follow_up_id: 'f1', rule_id: 'missed_appointment', deadline_ms: ms('2026-11-24T04:00:00Z') },
          { follow_up_id: 'f2', rule_id: 'implant', deadline_ms: ms('2026-11-25T02:00:00Z') },
        ],
      }));

  it('done at its earliest call, a late entry and a corrected start included', () =>
    spec
      .given(urgent('f1', 'missed_appointment', 'within_1h', '2026-11-24T03:00:00Z'), call('k1', 'f1', '2026-11-24T05:00:00Z'), call('k2', 'f1', '2026-11-24T04:30:00Z'), {
        type: 'CallRecordCorrected',
        data: { correctionId: 'x', patientId: 'p', clinicId: 'c', correctsEventId: 'event-3', reason: 'typed the wrong time', corrected: { startedAt: '2026-11-24T03:20:00Z' }, previous: { startedAt: '2026-11-24T04:30:00Z' }, callId: 'k2', callerId: 'li', followUpId: 'f1' },
      })
      .then({ report_urgent: [{ follow_up_id: 'f1', first_attempt_ms: ms('2026-11-24T03:20:00Z') }] }));

  it('stops at an urgent follow-up whose due time cannot be read', () => spec.given(urgent('f1', 'missed_appointment', 'within_1h', 'now')).thenFailsAt(1, /dueAt is not an instant/));
});
