/**
 * Recurring steps: the implant's yearly check-up (seed 000: 种植术后…间隔一年后回访). The next year's
 * call is scheduled on the call that closes this year's, a year after the day this year's was first
 * due, at the first window. Shanghai: 10:30 local = 02:30Z, 16:00 local = 08:00Z.
 */
import { attempted, reportedWrong, callCommand, closed, fu, PURPOSE, retried, treated } from '../../test/engine-fixtures';
import { at, clinic, spec } from '../../test/patient-fixtures';
import type { PatientEvent } from '../events';
import { DEFAULT_PROTOCOL } from '../protocol/default-protocol';
import type { Protocol } from '../protocol/protocol';

const P = 'p1';
const implant = (n: number, stepId: string, dueAt: string, purpose: string, extra = {}) => fu(P, n, 'implant', stepId, dueAt, purpose, { treatmentId: 't1', ...extra });

const IMPLANT = treated(P, 't1', 'implant_surgery', '2026-11-23T06:00:00Z');
/** Implant surgery on Mon 2026-11-23 14:00 local (06:00Z): +2 h is the 16:00 window; months count from 11-23. */
const IMPLANTED: PatientEvent[] = [
  IMPLANT,
  implant(1, 'within_24h', '2026-11-23T08:00:00Z', 'Within 24 hours of implant surgery: pain, swelling, bleeding, medication'),
  implant(2, 'month_3', '2027-02-23T02:30:00Z', 'Three months after the implant: healing, invite for the check-up'),
  implant(3, 'month_6', '2027-05-23T02:30:00Z', 'Six months after the implant: function and hygiene'),
  implant(4, 'yearly', '2027-11-23T02:30:00Z', PURPOSE.yearly),
];
const YEARLY = `${P}.fu4`;
const CALL = '2027-11-23T02:40:00Z';
const NOW = at('2027-11-23T03:00:00Z');

describe('the implant’s yearly check-up recurs', () => {
  it('the fixture is what the default protocol schedules for an implant (24 h, 3 months, 6 months, a year)', () => {
    spec([])
      .when({ type: 'CompleteTreatment', data: IMPLANT.data })
      .then(IMPLANTED);
  });

  it('reached: closes this year’s and schedules the next, 2028-11-23 10:30 local, following it', () => {
    spec(IMPLANTED)
      .when(callCommand(P, 'reached', CALL, { followUpId: YEARLY }), NOW)
      .then([
        attempted(P, 5, 'reached', CALL, { followUpId: YEARLY }),
        closed(YEARLY, 'completed', 1, { callId: `${P}.call5` }),
        implant(6, 'yearly', '2028-11-23T02:30:00Z', PURPOSE.yearly, { follows: YEARLY }),
      ]);
  });

  it('keeps recurring: the second year’s call, when it closes, schedules the third', () => {
    const secondYear: PatientEvent[] = [
      ...IMPLANTED,
      attempted(P, 5, 'reached', CALL, { followUpId: YEARLY }),
      closed(YEARLY, 'completed', 1, { callId: `${P}.call5` }),
      implant(6, 'yearly', '2028-11-23T02:30:00Z', PURPOSE.yearly, { follows: YEARLY }),
    ];
    spec(secondYear)
      .when(callCommand(P, 'reached', '2028-11-23T02:35:00Z', { followUpId: `${P}.fu6` }), at('2028-11-23T02:50:00Z'))
      .then([
        attempted(P, 7, 'reached', '2028-11-23T02:35:00Z', { followUpId: `${P}.fu6` }),
        closed(`${P}.fu6`, 'completed', 1, { callId: `${P}.call7` }),
        implant(8, 'yearly', '2029-11-23T02:30:00Z', PURPOSE.yearly, { follows: `${P}.fu6` }),
      ]);
  });

  it('a failed attempt only moves it to the next window; nothing is scheduled until it closes', () => {
    spec(IMPLANTED)
      .when(callCommand(P, 'no_answer', CALL, { followUpId: YEARLY }), NOW)
      .then([attempted(P, 5, 'no_answer', CALL, { followUpId: YEARLY }), retried(YEARLY, 5, 1, '2027-11-23T08:00:00Z')]);
  });

  it('counts from the day it was first due, not from the retry that closed it (retried into the next day)', () => {
    const history: PatientEvent[] = [
      ...IMPLANTED,
      attempted(P, 5, 'busy', '2027-11-23T08:05:00Z', { followUpId: YEARLY }),
      retried(YEARLY, 5, 1, '2027-11-24T02:30:00Z'),
    ];
    spec(history)
      .when(callCommand(P, 'reached', '2027-11-24T02:31:00Z', { followUpId: YEARLY }), at('2027-11-24T02:40:00Z'))
      .then([
        attempted(P, 6, 'reached', '2027-11-24T02:31:00Z', { followUpId: YEARLY }),
        closed(YEARLY, 'completed', 2, { callId: `${P}.call6` }),
        implant(7, 'yearly', '2028-11-23T02:30:00Z', PURPOSE.yearly, { follows: YEARLY }),
      ]);
  });

  it.each([
    ['declined', 'declined'],
    ['unreachable after the last attempt', 'unreachable'],
  ] as const)('closed as %s: next year’s call is still scheduled (the implant still needs its check-up)', (_, reason) => {
    const outcome = reason === 'declined' ? 'declined' : 'powered_off';
    const context = reason === 'declined' ? NOW : at('2027-11-23T03:00:00Z', clinic({ maxAttempts: 1 }));
    spec(IMPLANTED)
      .when(callCommand(P, outcome, CALL, { followUpId: YEARLY }), context)
      .then([
        attempted(P, 5, outcome, CALL, { followUpId: YEARLY }),
        closed(YEARLY, reason, 1, { callId: `${P}.call5` }),
        implant(6, 'yearly', '2028-11-23T02:30:00Z', PURPOSE.yearly, { follows: YEARLY }),
      ]);
  });

  it('a wrong number neither closes the yearly call nor schedules the next: it waits for the right number', () => {
    spec(IMPLANTED)
      .when(callCommand(P, 'wrong_number', CALL, { followUpId: YEARLY }), NOW)
      .then([attempted(P, 5, 'wrong_number', CALL, { followUpId: YEARLY }), reportedWrong(P, 5)]);
  });

  it('the non-recurring steps schedule nothing when they close (the 6-month call)', () => {
    spec(IMPLANTED)
      .when(callCommand(P, 'reached', '2027-05-23T02:40:00Z', { followUpId: `${P}.fu3` }), at('2027-05-23T03:00:00Z'))
      .then([attempted(P, 5, 'reached', '2027-05-23T02:40:00Z', { followUpId: `${P}.fu3` }), closed(`${P}.fu3`, 'completed', 1, { callId: `${P}.call5` })]);
  });

  it('a check-up closed more than a year late schedules the next one after the call, not in the past', () => {
    // Closed on 2028-12-01 (a late entry): 2028-11-23 has passed, so 2029-11-23.
    spec(IMPLANTED)
      .when(callCommand(P, 'reached', '2028-12-01T02:00:00Z', { followUpId: YEARLY }), at('2028-12-01T03:00:00Z'))
      .then([
        attempted(P, 5, 'reached', '2028-12-01T02:00:00Z', { followUpId: YEARLY }),
        closed(YEARLY, 'completed', 1, { callId: `${P}.call5` }),
        implant(6, 'yearly', '2029-11-23T02:30:00Z', PURPOSE.yearly, { follows: YEARLY }),
      ]);
  });

  describe('under a changed protocol', () => {
    const withYearly = (step: Protocol['rules'][number]['steps'][number] | undefined): Protocol => ({
      version: 2,
      rules: DEFAULT_PROTOCOL.rules.map((r) => (r.id === 'implant' ? { ...r, steps: [...r.steps.filter((s) => s.id !== 'yearly'), ...(step ? [step] : [])] } : r)),
    });

    it('the next occurrence follows the clinic’s current protocol and names its version (every 2 years here)', () => {
      const v2 = withYearly({ id: 'yearly', timing: { kind: 'day_window', afterMonths: 12 }, repeatEveryMonths: 24, purpose: 'Biennial implant review' });
      spec(IMPLANTED)
        .when(callCommand(P, 'reached', CALL, { followUpId: YEARLY }), at('2027-11-23T03:00:00Z', clinic({ protocol: v2 })))
        .then([
          attempted(P, 5, 'reached', CALL, { followUpId: YEARLY }),
          closed(YEARLY, 'completed', 1, { callId: `${P}.call5` }),
          implant(6, 'yearly', '2029-11-23T02:30:00Z', 'Biennial implant review', { follows: YEARLY, origin: { protocolVersion: 2, ruleId: 'implant', stepId: 'yearly' } }),
        ]);
    });

    it('a clinic that dropped the recurring step ends the chain', () => {
      spec(IMPLANTED)
        .when(callCommand(P, 'reached', CALL, { followUpId: YEARLY }), at('2027-11-23T03:00:00Z', clinic({ protocol: withYearly(undefined) })))
        .then([attempted(P, 5, 'reached', CALL, { followUpId: YEARLY }), closed(YEARLY, 'completed', 1, { callId: `${P}.call5` })]);
    });
  });

  it('keeps the local time of day across DST: a 6-monthly review at 09:00 New York, EST in March, EDT in September', () => {
    // Own protocol: procedure 'review' → 6 months on, then every 6 months. Windows 09:00 and 15:00.
    // Completed 2026-09-01 12:00 EDT (16:00Z). First due 2027-03-01 09:00 EST = 14:00Z.
    // Closed 2027-03-01 09:10 EST (14:10Z) → 2027-09-01 09:00 EDT = 13:00Z.
    const own: Protocol = {
      version: 3,
      rules: [{ id: 'review', procedures: ['*'], steps: [{ id: 'six_monthly', timing: { kind: 'day_window', afterMonths: 6 }, repeatEveryMonths: 6, purpose: 'Six-monthly review' }] }],
    };
    const ny = clinic({ timeZone: 'America/New_York', callWindows: ['09:00', '15:00'], protocol: own });
    const review = (n: number, dueAt: string, extra = {}) => fu(P, n, 'review', 'six_monthly', dueAt, 'Six-monthly review', { treatmentId: 't1', origin: { protocolVersion: 3, ruleId: 'review', stepId: 'six_monthly' }, ...extra });
    const history = spec([]).when({ type: 'CompleteTreatment', data: treated(P, 't1', 'review', '2026-09-01T16:00:00Z').data }, at('2026-09-01T17:00:00Z', ny)).then([
      treated(P, 't1', 'review', '2026-09-01T16:00:00Z'),
      review(1, '2027-03-01T14:00:00Z'),
    ]);
    spec(history)
      .when(callCommand(P, 'reached', '2027-03-01T14:10:00Z', { followUpId: `${P}.fu1` }), at('2027-03-01T14:20:00Z', ny))
      .then([
        attempted(P, 2, 'reached', '2027-03-01T14:10:00Z', { followUpId: `${P}.fu1` }),
        closed(`${P}.fu1`, 'completed', 1, { callId: `${P}.call2` }),
        review(3, '2027-09-01T13:00:00Z', { follows: `${P}.fu1` }),
      ]);
  });
});
