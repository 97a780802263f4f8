import { attempted } from '../../test/engine-fixtures';
import { at, CLINIC_ID, PATIENT_ID, spec, TREATED } from '../../test/patient-fixtures';
import type { PatientEvent } from '../events';
import type { ClaimFollowUp } from './patient.commands';

const FU = `${PATIENT_ID}.fu1`;
const claim = (claimedBy: string, minutes = 10): ClaimFollowUp => ({ type: 'ClaimFollowUp', data: { patientId: PATIENT_ID, followUpId: FU, claimedBy, minutes } });
const claimed = (claimedBy: string, until: string): PatientEvent => ({ type: 'FollowUpClaimed', data: { followUpId: FU, patientId: PATIENT_ID, clinicId: CLINIC_ID, claimedBy, until } });

describe('ClaimFollowUp (issue 16 item 4: two callers do not dial one patient)', () => {
  it('claims an open follow-up for the minutes asked', () => {
    spec(TREATED).when(claim('nurse-zhang'), at('2026-11-24T02:40:00Z')).then([claimed('nurse-zhang', '2026-11-24T02:50:00Z')]);
  });

  it('refuses another caller while the claim holds, naming who holds it and until when', () => {
    const refusal = spec([...TREATED, claimed('nurse-zhang', '2026-11-24T02:50:00Z')]).when(claim('nurse-li'), at('2026-11-24T02:45:00Z')).thenRefuses('follow_up_claimed', 'conflict');
    expect(refusal.message).toContain('nurse-zhang');
    expect(refusal.message).toContain('2026-11-24T02:50:00Z');
  });

  it('lets another caller take it once the claim has lapsed, or once a call on it released it; the holder renews their own', () => {
    spec([...TREATED, claimed('nurse-zhang', '2026-11-24T02:50:00Z')]).when(claim('nurse-li'), at('2026-11-24T02:50:01Z')).then([claimed('nurse-li', '2026-11-24T03:00:01Z')]);
    const released = [...TREATED, claimed('nurse-zhang', '2026-11-24T02:50:00Z'), attempted(PATIENT_ID, 6, 'no_answer', '2026-11-24T02:41:00Z', { followUpId: FU })];
    spec(released).when(claim('nurse-li', 5), at('2026-11-24T02:45:00Z')).then([claimed('nurse-li', '2026-11-24T02:50:00Z')]);
    spec([...TREATED, claimed('nurse-zhang', '2026-11-24T02:50:00Z')]).when(claim('nurse-zhang'), at('2026-11-24T02:45:00Z')).then([claimed('nurse-zhang', '2026-11-24T02:55:00Z')]);
  });

  it('refuses a claim of a closed follow-up and minutes out of 1–60', () => {
    spec([...TREATED, { type: 'FollowUpCancelled', data: { followUpId: FU, patientId: PATIENT_ID, clinicId: CLINIC_ID, reason: 'moved away' } }])
      .when(claim('nurse-zhang'), at('2026-11-24T02:40:00Z'))
      .thenRefuses('follow_up_closed');
    spec(TREATED).when(claim('nurse-zhang', 0), at('2026-11-24T02:40:00Z')).thenRefuses('claim_minutes_invalid', 'invalid');
    spec(TREATED).when(claim('nurse-zhang', 61), at('2026-11-24T02:40:00Z')).thenRefuses('claim_minutes_invalid', 'invalid');
  });
});
