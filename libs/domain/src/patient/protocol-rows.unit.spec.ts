/**
 * The rows of DOMAIN.md's table not already covered in complete-treatment.unit.spec.ts, through the
 * decider: a reaction during canal enlargement and an infusion (within 24 hours), and the 24-hour
 * bound itself. Shanghai clinic, 10:30 local = 02:30Z, 16:00 local = 08:00Z.
 */
import { fu, treated } from '../../test/engine-fixtures';
import { at, clinic, PATIENT_ID, spec } from '../../test/patient-fixtures';

const P = PATIENT_ID;
const WITHIN_24H = 'Within 24 hours: reaction, pain, swelling';
const complete = (procedure: string, completedAt: string) => ({ type: 'CompleteTreatment' as const, data: treated(P, 't1', procedure, completedAt).data });

describe('pulp opening, a reaction during canal enlargement, an infusion: within 24 hours', () => {
  it.each(['pulp_opening', 'canal_enlargement_reaction', 'infusion'])('%s at 09:00 local: the first window 2 hours on, 16:00 the same day', (procedure) => {
    // 09:00 local = 01:00Z; +2 h = 11:00 → 16:00 (08:00Z).
    spec([])
      .when(complete(procedure, '2026-11-23T01:00:00Z'), at('2026-11-23T01:30:00Z'))
      .then([treated(P, 't1', procedure, '2026-11-23T01:00:00Z'), fu(P, 1, 'within_24h', 'within_24h', '2026-11-23T08:00:00Z', WITHIN_24H, { treatmentId: 't1' })]);
  });

  it('with one window at 09:00: an infusion at 09:30 local is called at 09:00 the next day (23.5 h, within 24 h)', () => {
    // 09:30 local = 01:30Z; next window 11-24 09:00 local = 01:00Z.
    const oneWindow = clinic({ callWindows: ['09:00'] });
    spec([])
      .when(complete('infusion', '2026-11-23T01:30:00Z'), at('2026-11-23T02:00:00Z', oneWindow))
      .then([treated(P, 't1', 'infusion', '2026-11-23T01:30:00Z'), fu(P, 1, 'within_24h', 'within_24h', '2026-11-24T01:00:00Z', WITHIN_24H, { treatmentId: 't1' })]);
  });

  it('with one window at 09:00: an infusion at 08:40 local would wait 24 h 20 min, so it is urgent 2 hours on (10:40 local)', () => {
    // 08:40 local = 00:40Z; +2 h = 02:40Z; the next window (11-24 01:00Z) is past the 24 hours.
    const oneWindow = clinic({ callWindows: ['09:00'] });
    spec([])
      .when(complete('infusion', '2026-11-23T00:40:00Z'), at('2026-11-23T01:00:00Z', oneWindow))
      .then([treated(P, 't1', 'infusion', '2026-11-23T00:40:00Z'), fu(P, 1, 'within_24h', 'within_24h', '2026-11-23T02:40:00Z', WITHIN_24H, { treatmentId: 't1', urgent: true })]);
  });

  it('implant surgery at 17:00 local: the within-24-hours call is the next morning’s 10:30 window', () => {
    // 17:00 local = 09:00Z; next window 11-24 10:30 local = 02:30Z (17.5 h on).
    const events = spec([]).when(complete('implant_surgery', '2026-11-23T09:00:00Z'), at('2026-11-23T09:30:00Z')).then([
      treated(P, 't1', 'implant_surgery', '2026-11-23T09:00:00Z'),
      fu(P, 1, 'implant', 'within_24h', '2026-11-24T02:30:00Z', 'Within 24 hours of implant surgery: pain, swelling, bleeding, medication', { treatmentId: 't1' }),
      fu(P, 2, 'implant', 'month_3', '2027-02-23T02:30:00Z', 'Three months after the implant: healing, invite for the check-up', { treatmentId: 't1' }),
      fu(P, 3, 'implant', 'month_6', '2027-05-23T02:30:00Z', 'Six months after the implant: function and hygiene', { treatmentId: 't1' }),
      fu(P, 4, 'implant', 'yearly', '2027-11-23T02:30:00Z', 'Yearly implant check-up: invite back', { treatmentId: 't1' }),
    ]);
    expect(events).toHaveLength(5);
  });
});
