import type { AppointmentBooked, CallOutcome, CorrectableCallFields, ObjectionRecordCorrected } from '@rapport/domain';
import { GivenEvent, projected, projectionSpec } from '../../test/projection-spec';
import { RowBatch } from '../runtime/row-batch';
import { callerMetricsProjection } from './caller-metrics.projection';
import type { CallerFact } from './caller-metrics.tables';

const spec = projectionSpec(callerMetricsProjection);
const ms = (iso: string) => Date.parse(iso);
const ZHANG = 'nurse-zhang';
const LI = 'desk-li';

const call = (callId: string, outcome: CallOutcome, startedAt: string): GivenEvent => ({
  type: 'CallAttempted',
  data: { callId, patientId: 'p1', clinicId: 'c1', callerId: ZHANG, startedAt, outcome },
  recordedAt: '2026-11-23T06:00:00Z',
});
const callCorrected = (callId: string, corrected: Partial<CorrectableCallFields>): GivenEvent => ({
  type: 'CallRecordCorrected',
  // The correction is typed in by li: the facts stay the caller's who made the call.
  data: { callId, callerId: LI, correctionId: `fix-${callId}`, patientId: 'p1', clinicId: 'c1', correctsEventId: 'event-1', reason: 'typo', corrected, previous: {} },
});
const booked = (appointmentId: string, data: Partial<AppointmentBooked['data']>, recordedAt: string): GivenEvent => ({
  type: 'AppointmentBooked',
  data: { appointmentId, patientId: 'p1', clinicId: 'c1', scheduledFor: '2026-12-01T02:00:00Z', ...data },
  recordedAt,
});
const raised = (objectionId: string, resolved: boolean, recordedAt: string): GivenEvent => ({
  type: 'ObjectionRaised',
  data: { objectionId, patientId: 'p1', clinicId: 'c1', callerId: ZHANG, kind: 'sincere', topic: 'cost', method: 'inform', resolved },
  recordedAt,
});
const objectionCorrected = (objectionId: string, corrected: ObjectionRecordCorrected['data']['corrected']): GivenEvent => ({
  type: 'ObjectionRecordCorrected',
  data: { objectionId, callerId: LI, correctionId: `fix-${objectionId}`, patientId: 'p1', clinicId: 'c1', correctsEventId: 'event-1', reason: 'typo', corrected, previous: {} },
});
/** A fact row as stored (rows are listed in key order: by position, then fact). */
const fact = (position: number, fact: CallerFact, callerId: string | null, at: string, outcome: string | null = null, subjectId: string | null = null) => ({
  position,
  fact,
  clinic_id: 'c1',
  caller_id: callerId,
  outcome,
  subject_id: subjectId,
  at_ms: ms(at),
});

describe('caller metrics projection', () => {
  it('counts calls when they were made, a booking for the reached call it is credited to, and corrected calls as corrected', () =>
    spec
      .given(
        call('k1', 'no_answer', '2026-11-23T02:35:00Z'),
        call('k2', 'reached', '2026-11-23T03:00:00Z'),
        // Typed in by li, credited to k2, zhang's reached call, at k2's time.
        booked('a1', { callerId: LI, attributedCallId: 'k2' }, '2026-11-23T03:10:00Z'),
        // k2 was made five minutes earlier: its attempt, its reached fact and the booking credited to it move.
        callCorrected('k2', { startedAt: '2026-11-23T02:55:00Z' }),
        // k1 did reach the patient: one attempt still, now reached, when it was made.
        callCorrected('k1', { outcome: 'reached', satisfaction: 4 }),
      )
      .then({
        caller_facts: [
          fact(1, 'attempt', ZHANG, '2026-11-23T02:35:00Z', 'reached', 'k1'),
          fact(1, 'reached', ZHANG, '2026-11-23T02:35:00Z', null, 'k1'),
          fact(2, 'attempt', ZHANG, '2026-11-23T02:55:00Z', 'reached', 'k2'),
          fact(2, 'reached', ZHANG, '2026-11-23T02:55:00Z', null, 'k2'),
          fact(3, 'booked', LI, '2026-11-23T03:10:00Z'),
          fact(3, 'credited_booking', ZHANG, '2026-11-23T02:55:00Z', null, 'k2'),
        ],
        caller_referrals: [],
      }));

  it('a reached call corrected to another outcome is no longer reached and its booking’s credit is withheld; corrections of unknown calls change nothing', () =>
    spec
      .given(
        call('k1', 'reached', '2026-11-23T02:35:00Z'),
        booked('a1', { attributedCallId: 'k1' }, '2026-11-23T03:10:00Z'),
        callCorrected('k1', { outcome: 'busy', startedAt: '2026-11-23T02:30:00Z' }),
        callCorrected('k9', { outcome: 'reached' }),
      )
      .then({
        caller_facts: [
          fact(1, 'attempt', ZHANG, '2026-11-23T02:30:00Z', 'busy', 'k1'),
          // A booking nobody typed in counts for the clinic, with no caller.
          fact(2, 'booked', null, '2026-11-23T03:10:00Z'),
          fact(2, 'credit_withheld', ZHANG, '2026-11-23T02:30:00Z', null, 'k1'),
        ],
      }));

  it('corrected back to reached, the booking is credited again', () =>
    spec
      .given(
        call('k1', 'reached', '2026-11-23T02:35:00Z'),
        booked('a1', { attributedCallId: 'k1' }, '2026-11-23T03:10:00Z'),
        callCorrected('k1', { outcome: 'no_answer' }),
        callCorrected('k1', { outcome: 'reached' }),
      )
      .then({
        caller_facts: [
          fact(1, 'attempt', ZHANG, '2026-11-23T02:35:00Z', 'reached', 'k1'),
          fact(1, 'reached', ZHANG, '2026-11-23T02:35:00Z', null, 'k1'),
          fact(2, 'booked', null, '2026-11-23T03:10:00Z'),
          fact(2, 'credited_booking', ZHANG, '2026-11-23T02:35:00Z', null, 'k1'),
        ],
      }));

  it('a booking credited to a call it never saw counts as booked, credited to nobody', () =>
    spec.given(booked('a1', { callerId: LI, attributedCallId: 'k9' }, '2026-11-23T03:10:00Z')).then({ caller_facts: [fact(1, 'booked', LI, '2026-11-23T03:10:00Z')] }));

  it('credits a referral’s conversion to the caller who asked for it, once, at the first booking that carries it', () =>
    spec
      .given(
        { type: 'ReferralRequested', data: { referralId: 'r1', patientId: 'p1', clinicId: 'c1', callerId: ZHANG }, recordedAt: '2026-11-23T03:00:00Z' },
        booked('a1', { patientId: 'p7', callerId: LI, referralId: 'r1', referrerPatientId: 'p1' }, '2026-11-24T03:00:00Z'),
        booked('a2', { patientId: 'p7', referralId: 'r1', referrerPatientId: 'p1' }, '2026-11-25T03:00:00Z'),
        booked('a3', { patientId: 'p8', callerId: LI, referralId: 'r9', referrerPatientId: 'p1' }, '2026-11-26T03:00:00Z'),
      )
      .then({
        caller_facts: [
          fact(1, 'referral_requested', ZHANG, '2026-11-23T03:00:00Z'),
          fact(2, 'booked', LI, '2026-11-24T03:00:00Z'),
          fact(2, 'referral_converted', ZHANG, '2026-11-24T03:00:00Z'),
          fact(3, 'booked', null, '2026-11-25T03:00:00Z'),
          fact(4, 'booked', LI, '2026-11-26T03:00:00Z'),
        ],
        caller_referrals: [{ referral_id: 'r1', caller_id: ZHANG, clinic_id: 'c1', converted: 1 }],
      }));

  it('a second request under the same referral id counts as asked again; the first asker keeps the credit', () =>
    spec
      .given(
        { type: 'ReferralRequested', data: { referralId: 'r1', patientId: 'p1', clinicId: 'c1', callerId: ZHANG }, recordedAt: '2026-11-23T03:00:00Z' },
        booked('a1', { patientId: 'p7', referralId: 'r1', referrerPatientId: 'p1' }, '2026-11-24T03:00:00Z'),
        { type: 'ReferralRequested', data: { referralId: 'r1', patientId: 'p1', clinicId: 'c1', callerId: LI }, recordedAt: '2026-11-25T03:00:00Z' },
      )
      .then({
        caller_facts: [
          fact(1, 'referral_requested', ZHANG, '2026-11-23T03:00:00Z'),
          fact(2, 'booked', null, '2026-11-24T03:00:00Z'),
          fact(2, 'referral_converted', ZHANG, '2026-11-24T03:00:00Z'),
          fact(3, 'referral_requested', LI, '2026-11-25T03:00:00Z'),
        ],
        caller_referrals: [{ referral_id: 'r1', caller_id: ZHANG, converted: 1 }],
      }));

  it('counts objections raised and resolved when raised, and corrected resolutions as corrected', () =>
    spec
      .given(
        raised('o1', false, '2026-11-23T03:00:00Z'),
        raised('o2', true, '2026-11-23T04:00:00Z'),
        objectionCorrected('o1', { resolved: true }),
        objectionCorrected('o2', { resolved: false }),
        // Corrections that leave the resolution alone, or of unknown objections, change nothing.
        objectionCorrected('o1', { topic: 'price' }),
        objectionCorrected('o9', { resolved: true }),
      )
      .then({
        caller_facts: [
          fact(1, 'objection_raised', ZHANG, '2026-11-23T03:00:00Z', null, 'o1'),
          fact(1, 'objection_resolved', ZHANG, '2026-11-23T03:00:00Z', null, 'o1'),
          fact(2, 'objection_raised', ZHANG, '2026-11-23T04:00:00Z', null, 'o2'),
        ],
      }));

  it('an event delivered again after later ones changes nothing: a call or objection does not undo its correction', async () => {
    // Not a given list (that gives each event a position of its own): the same events, at the same
    // positions, each applied once more after the whole history, as a redelivery would.
    const events = projected([
      call('k1', 'reached', '2026-11-23T02:35:00Z'),
      raised('o1', true, '2026-11-23T03:00:00Z'),
      { type: 'ReferralRequested', data: { referralId: 'r1', patientId: 'p1', clinicId: 'c1', callerId: ZHANG } },
      booked('a1', { attributedCallId: 'k1', referralId: 'r1', referrerPatientId: 'p1' }, '2026-11-23T03:10:00Z'),
      callCorrected('k1', { outcome: 'busy', startedAt: '2026-11-23T02:30:00Z' }),
      objectionCorrected('o1', { resolved: false }),
    ]);
    const batch = new RowBatch(callerMetricsProjection.schema);
    const rows = () => ({ caller_facts: batch.rows('caller_facts'), caller_referrals: batch.rows('caller_referrals') });
    expect(await batch.apply(callerMetricsProjection, events)).toBeUndefined();
    batch.settle();
    const once = rows();
    expect(once).toEqual({
      caller_facts: [
        fact(1, 'attempt', ZHANG, '2026-11-23T02:30:00Z', 'busy', 'k1'),
        fact(2, 'objection_raised', ZHANG, '2026-11-23T03:00:00Z', null, 'o1'),
        fact(3, 'referral_requested', ZHANG, '2026-11-23T02:02:00Z'),
        fact(4, 'booked', null, '2026-11-23T03:10:00Z'),
        // The call was corrected to busy: the booking's credit is withheld (conversion never above reached).
        fact(4, 'credit_withheld', ZHANG, '2026-11-23T02:30:00Z', null, 'k1'),
        fact(4, 'referral_converted', ZHANG, '2026-11-23T03:10:00Z'),
      ],
      caller_referrals: [{ referral_id: 'r1', caller_id: ZHANG, clinic_id: 'c1', converted: 1 }],
    });
    for (const event of events) {
      expect(await batch.apply(callerMetricsProjection, [event])).toBeUndefined();
      batch.settle();
      expect({ redelivered: event.position, ...rows() }).toEqual({ redelivered: event.position, ...once });
    }
  });

  it('ignores events it does not count', () =>
    spec
      .given({ type: 'AppointmentMissed', data: { appointmentId: 'a1', patientId: 'p1', clinicId: 'c1', at: '2026-11-23T03:00:00Z' } })
      .then({ caller_facts: [], caller_referrals: [] }));

  it('stops at a call whose start cannot be read', () => spec.given(call('k1', 'no_answer', 'this morning')).thenFailsAt(1, /startedAt is not an instant/));

  it('stops at a correction of a known call whose new start cannot be read', () =>
    spec.given(call('k1', 'no_answer', '2026-11-23T02:35:00Z'), callCorrected('k1', { startedAt: '2026-11-23 02:40' })).thenFailsAt(2, /corrected\.startedAt is not an instant/));
});
