/**
 * Staff steer one patient (issue 15 item 8): add a follow-up, move one, cancel one, each with its
 * reason; a caller sets the next contact on a reached call (seed 002: 为下次电话下理由).
 * Now is Mon 2026-11-23 15:00 Shanghai (07:00Z); the patient's day-1 call is p1.fu1.
 */
import { attempted, callCommand, closed } from '../../test/engine-fixtures';
import { at, CLINIC_ID, PATIENT_ID, spec, TREATED } from '../../test/patient-fixtures';
import type { PatientEvent } from '../events';
import type { AddFollowUp, CancelFollowUp, MoveFollowUp } from './patient.commands';

const P = PATIENT_ID;
const NOW = at('2026-11-23T07:00:00Z');
const add = (data: Partial<AddFollowUp['data']> = {}): AddFollowUp => ({ type: 'AddFollowUp', data: { patientId: P, purpose: 'Check the new crown', dueAt: '2026-11-25T08:00:00Z', ...data } });
const move = (data: Partial<MoveFollowUp['data']> = {}): MoveFollowUp => ({ type: 'MoveFollowUp', data: { patientId: P, followUpId: `${P}.fu1`, dueAt: '2026-11-24T08:00:00Z', reason: 'in a meeting all morning', ...data } });
const cancel = (reason = 'moved to another city'): CancelFollowUp => ({ type: 'CancelFollowUp', data: { patientId: P, followUpId: `${P}.fu1`, reason } });
const added = (n: number, dueAt: string, purpose: string, extra = {}): PatientEvent => ({
  type: 'FollowUpAdded',
  data: { followUpId: `${P}.fu${n}`, patientId: P, clinicId: CLINIC_ID, kind: 'added', purpose, dueAt, urgent: false, origin: { protocolVersion: 1, ruleId: 'staff', stepId: 'added' }, ...extra },
});

describe('steering one patient', () => {
  it('adds a follow-up by hand, into the callers’ queue or a named doctor’s, with its note', () => {
    spec(TREATED).when(add({ note: 'she asked' }), NOW).then([added(6, '2026-11-25T08:00:00Z', 'Check the new crown', { note: 'she asked' })]);
    spec(TREATED).when(add({ assigneeId: 'dr-li' }), NOW).then([added(6, '2026-11-25T08:00:00Z', 'Check the new crown', { assignee: { role: 'doctor', doctorId: 'dr-li' } })]);
  });

  it('moves an open follow-up, with the reason; the same time again records nothing', () => {
    spec(TREATED).when(move(), NOW).then([{ type: 'FollowUpMoved', data: { followUpId: `${P}.fu1`, patientId: P, clinicId: CLINIC_ID, dueAt: '2026-11-24T08:00:00Z', reason: 'in a meeting all morning' } }]);
    spec(TREATED).when(move({ dueAt: '2026-11-24T02:30:00Z' }), NOW).thenNothing();
  });

  it('cancels an open follow-up, with the reason; a closed one cannot be moved or cancelled', () => {
    spec(TREATED).when(cancel(), NOW).then([{ type: 'FollowUpCancelled', data: { followUpId: `${P}.fu1`, patientId: P, clinicId: CLINIC_ID, reason: 'moved to another city' } }]);
    const done = [...TREATED, attempted(P, 6, 'reached', '2026-11-24T02:35:00Z', { followUpId: `${P}.fu1` }), closed(`${P}.fu1`, 'completed', 1, { callId: `${P}.call6` })];
    spec(done).when(cancel(), NOW).thenRefuses('follow_up_closed');
    spec(done).when(move(), NOW).thenRefuses('follow_up_closed');
  });

  it('refuses a time in the past', () => {
    spec(TREATED).when(add({ dueAt: '2026-11-22T00:00:00Z' }), NOW).thenRefuses('due_in_past');
    spec(TREATED).when(move({ dueAt: '2026-11-22T00:00:00Z' }), NOW).thenRefuses('due_in_past');
  });

  it('the next contact set on a reached call is added with the call that set it; a call that reached nobody cannot set one', () => {
    const nextContact = { at: '2026-11-30T08:00:00Z', purpose: 'Ask whether the swelling has gone' };
    spec(TREATED)
      .when(callCommand(P, 'reached', '2026-11-23T06:50:00Z', { followUpId: `${P}.fu1`, nextContact }), NOW)
      .then([
        attempted(P, 6, 'reached', '2026-11-23T06:50:00Z', { followUpId: `${P}.fu1`, nextContact }),
        closed(`${P}.fu1`, 'completed', 1, { callId: `${P}.call6` }),
        added(7, '2026-11-30T08:00:00Z', 'Ask whether the swelling has gone', { callId: `${P}.call6`, follows: `${P}.fu1` }),
      ]);
    spec(TREATED).when(callCommand(P, 'no_answer', '2026-11-23T06:50:00Z', { followUpId: `${P}.fu1`, nextContact }), NOW).thenRefuses('next_contact_needs_conversation');
  });
});
