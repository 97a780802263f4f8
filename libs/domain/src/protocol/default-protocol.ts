import type { Protocol } from './protocol';

/**
 * The default protocol, from the dental clinic playbook (seed 000, section 4; DOMAIN.md's table).
 * Where the seed gives a range ("2–3 hours", "1–2 weeks", "6–12 months") the step takes its start
 * or middle; a clinic that wants otherwise overrides the protocol.
 */
export const DEFAULT_PROTOCOL: Protocol = {
  version: 1,
  rules: [
    {
      id: 'post_op_urgent',
      procedures: ['extraction', 'root_canal_filling', 'ortho_first_fitting', 'ortho_adjustment'],
      steps: [
        { id: 'after_2h', timing: { kind: 'urgent', afterMinutes: 120 }, purpose: 'Check pain, bleeding or discomfort 2–3 hours after the procedure; repeat the aftercare advice' },
        { id: 'week_1', timing: { kind: 'day_window', afterDays: 7 }, purpose: 'One-week check: healing, comfort, any questions' },
      ],
    },
    {
      id: 'prosthesis_invitation',
      procedures: ['extraction'],
      steps: [
        { id: 'month_2', timing: { kind: 'day_window', afterMonths: 2 }, purpose: 'Invite back for the prosthesis now that the extraction has healed', when: 'needs_prosthesis' },
      ],
    },
    {
      id: 'next_day',
      procedures: ['prosthesis_fitting', 'scaling'],
      steps: [{ id: 'day_1', timing: { kind: 'day_window', afterDays: 1 }, purpose: 'Next-day check: comfort, bite, sensitivity' }],
    },
    {
      id: 'root_canal',
      procedures: ['root_canal_treatment'],
      steps: [
        { id: 'same_day', timing: { kind: 'next_window', afterHours: 0, sameDay: true }, purpose: 'Same-day check after root-canal treatment: pain and swelling' },
        { id: 'restore_reminder', timing: { kind: 'day_window', afterDays: 10 }, purpose: 'Tooth not yet restored: remind and book the restoration', when: 'not_restored' },
      ],
    },
    {
      id: 'ortho_retainer',
      procedures: ['ortho_retainer'],
      steps: [
        { id: 'week_1', timing: { kind: 'day_window', afterDays: 7 }, purpose: 'One week with the retainer: fit and wearing habits' },
        { id: 'month_1', timing: { kind: 'day_window', afterMonths: 1 }, purpose: 'One-month retainer check-up: invite back' },
        { id: 'month_9', timing: { kind: 'day_window', afterMonths: 9 }, purpose: 'Retainer review (6–12 months): stability, invite back' },
      ],
    },
    {
      id: 'implant',
      procedures: ['implant_surgery'],
      steps: [
        { id: 'within_24h', timing: { kind: 'next_window', afterHours: 2 }, purpose: 'Within 24 hours of implant surgery: pain, swelling, bleeding, medication' },
        { id: 'month_3', timing: { kind: 'day_window', afterMonths: 3 }, purpose: 'Three months after the implant: healing, invite for the check-up' },
        { id: 'month_6', timing: { kind: 'day_window', afterMonths: 6 }, purpose: 'Six months after the implant: function and hygiene' },
        { id: 'year_1', timing: { kind: 'day_window', afterMonths: 12 }, purpose: 'Yearly implant check-up: invite back' },
      ],
    },
    {
      id: 'within_24h',
      procedures: ['pulp_opening', 'canal_enlargement_reaction', 'infusion'],
      steps: [{ id: 'within_24h', timing: { kind: 'next_window', afterHours: 2 }, purpose: 'Within 24 hours: reaction, pain, swelling' }],
    },
    {
      id: 'general',
      procedures: ['*'],
      steps: [
        { id: 'day_1', timing: { kind: 'day_window', afterDays: 1 }, purpose: 'Day 1: post-treatment reaction and symptoms' },
        { id: 'day_3', timing: { kind: 'day_window', afterDays: 3 }, purpose: 'Day 3: recovery, answer questions' },
        { id: 'day_7', timing: { kind: 'day_window', afterDays: 7 }, purpose: 'Day 7: recovery and satisfaction' },
        { id: 'month_1', timing: { kind: 'day_window', afterMonths: 1 }, purpose: 'One month: relationship, invitation back' },
        { id: 'month_3', timing: { kind: 'day_window', afterMonths: 3 }, purpose: 'Three months: relationship, check-up invitation, referrals' },
      ],
    },
  ],
};

/** Procedure codes the default protocol knows; a clinic's own codes fall under the general rule. */
export const KNOWN_PROCEDURES = [
  'extraction',
  'root_canal_filling',
  'root_canal_treatment',
  'ortho_first_fitting',
  'ortho_adjustment',
  'ortho_retainer',
  'prosthesis_fitting',
  'scaling',
  'implant_surgery',
  'pulp_opening',
  'canal_enlargement_reaction',
  'infusion',
  'other',
] as const;
