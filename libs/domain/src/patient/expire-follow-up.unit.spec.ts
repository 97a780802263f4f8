/**
 * Urgent calls expire (issue 15 item 10; DOMAIN.md "after a day they expire, recorded"): an urgent
 * follow-up still open 24 hours (or the clinic's expiryHours for its rule) after it first fell due
 * closes as `expired`. Shanghai clinic; the urgent call below fell due Tue 2026-11-24 04:00Z.
 */
import { closed, fu } from '../../test/engine-fixtures';
import { at, clinic, PATIENT_ID, spec, TREATED } from '../../test/patient-fixtures';
import type { PatientEvent } from '../events';
import type { ExpireFollowUp } from './patient.commands';

const P = PATIENT_ID;
const URGENT = fu(P, 6, 'post_op_urgent', 'after_2h', '2026-11-24T04:00:00Z', 'post-op check', { urgent: true, deadlineAt: '2026-11-24T05:00:00Z' });
const HISTORY: PatientEvent[] = [...TREATED, URGENT];
const expire = (followUpId: string): ExpireFollowUp => ({ type: 'ExpireFollowUp', data: { patientId: P, followUpId } });

describe('ExpireFollowUp', () => {
  it('closes an urgent call still open a day after it fell due, as expired', () => {
    spec(HISTORY).when(expire(`${P}.fu6`), at('2026-11-25T04:00:00Z')).then([closed(`${P}.fu6`, 'expired', 0)]);
  });

  it('refuses before the expiry, saying when it comes; the clinic may set it per rule', () => {
    const early = spec(HISTORY).when(expire(`${P}.fu6`), at('2026-11-25T03:59:00Z')).thenRefuses('not_expired');
    expect(early.message).toContain('2026-11-25T04:00:00Z');
    const sixHours = clinic({ urgentRules: { post_op_urgent: { expiryHours: 6 } } });
    spec(HISTORY).when(expire(`${P}.fu6`), at('2026-11-24T10:00:00Z', sixHours)).then([closed(`${P}.fu6`, 'expired', 0)]);
  });

  it('does not expire a call that is not urgent; a closed one records nothing; an unknown one is 404', () => {
    spec(HISTORY).when(expire(`${P}.fu1`), at('2026-12-30T00:00:00Z')).thenRefuses('not_urgent');
    spec([...HISTORY, closed(`${P}.fu6`, 'completed', 1, { callId: `${P}.call7` })]).when(expire(`${P}.fu6`), at('2026-11-26T00:00:00Z')).thenNothing();
    spec(HISTORY).when(expire(`${P}.fu99`), at('2026-11-26T00:00:00Z')).thenRefuses('unknown_follow_up', 'not_found');
  });
});
