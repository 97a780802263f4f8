import { DomainRefusal } from '../decider';
import { at, PATIENT_ID, spec, TREATED } from '../../test/patient-fixtures';
import type { RecordCall } from './patient.commands';
import { decidePatient } from './patient.decider';
import { evolvePatient, initialPatientState } from './patient.state';

const NOW = at('2026-11-24T03:00:00Z');
const call = (parts: Partial<RecordCall['data']> = {}): RecordCall => ({
  type: 'RecordCall',
  data: { patientId: PATIENT_ID, callerId: 'nurse-zhang', followUpId: `${PATIENT_ID}.fu1`, startedAt: '2026-11-24T02:40:00Z', outcome: 'reached', ...parts },
});
const state = TREATED.reduce(evolvePatient, initialPatientState());

describe('one call, one decision: what the call produced is decided and appended with it (issue 16 item 1)', () => {
  it('records the objection, the referral, the booking and the preference change after the call, ids following on, the booking credited to this call', () => {
    const events = decidePatient(
      call({
        objections: [{ kind: 'sincere', topic: 'cost', method: 'inform', resolved: true }],
        referrals: [{ referred: { name: '李四', relation: 'sister' } }],
        appointment: { scheduledFor: '2026-12-01T02:00:00Z', doctorId: 'dr-li', note: 'crown check' },
        preferences: { preferredTimes: ['12:00-13:00'] },
      }),
      state,
      NOW,
    );
    expect(events.map((e) => e.type)).toEqual(['CallAttempted', 'FollowUpClosed', 'ObjectionRaised', 'ReferralRequested', 'AppointmentBooked', 'ContactPreferencesChanged']);
    const [attempted, , objection, referral, booked] = events;
    expect(attempted!.data).not.toHaveProperty('objections');
    expect(objection!.data).toMatchObject({ objectionId: `${PATIENT_ID}.obj7`, callId: `${PATIENT_ID}.call6`, callerId: 'nurse-zhang' });
    expect(referral!.data).toMatchObject({ referralId: `${PATIENT_ID}.ref8`, callerId: 'nurse-zhang', referred: { name: '李四', relation: 'sister' } });
    expect(booked!.data).toMatchObject({ appointmentId: `${PATIENT_ID}.apt9`, attributedCallId: `${PATIENT_ID}.call6`, followUpId: `${PATIENT_ID}.fu1`, doctorId: 'dr-li', note: 'crown check' });
  });

  it('a part refused refuses the whole call: a booking in the past records nothing', () => {
    spec(TREATED).when(call({ appointment: { scheduledFor: '2026-11-20T02:00:00Z' } }), NOW).thenRefuses('appointment_in_past');
  });

  it('an empty referred person ({}) is refused, naming the part', () => {
    const refusal = spec(TREATED).when(call({ referrals: [{ note: 'ok' }, { referred: {} }] }), NOW).thenRefuses('referral_empty', 'invalid');
    expect((refusal as DomainRefusal).fields).toEqual(['referrals[1].referred']);
  });
});
