import type { Protocol } from './protocol';

/**
 * The default protocol, from the dental clinic playbook (seed 000, section 4; DOMAIN.md's table)
 * and, for prospects, the hospital's phone training (seed 002). Where a seed gives a range
 * ("2–3 hours", "1–2 weeks", "6–12 months") the step takes its start or middle; "within 24 hours"
 * is the first window at least 2 hours on (the anaesthetic has worn off), urgent if none comes
 * within the 24 hours. A clinic that wants otherwise overrides the protocol.
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
        // 根管治疗后当天回访: the same day, at a window at least 2 hours on; urgent at +2 h if none is left that day.
        { id: 'same_day', timing: { kind: 'next_window', afterHours: 2, sameDay: true }, purpose: 'Same-day check after root-canal treatment: pain and swelling' },
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
        { id: 'within_24h', timing: { kind: 'next_window', afterHours: 2, withinHours: 24 }, purpose: 'Within 24 hours of implant surgery: pain, swelling, bleeding, medication' },
        { id: 'month_3', timing: { kind: 'day_window', afterMonths: 3 }, purpose: 'Three months after the implant: healing, invite for the check-up' },
        { id: 'month_6', timing: { kind: 'day_window', afterMonths: 6 }, purpose: 'Six months after the implant: function and hygiene' },
        // 间隔一年后回访: a year after the surgery, then every year (the next is scheduled when this one closes).
        { id: 'yearly', timing: { kind: 'day_window', afterMonths: 12 }, repeatEveryMonths: 12, purpose: 'Yearly implant check-up: invite back' },
      ],
    },
    {
      id: 'within_24h',
      procedures: ['pulp_opening', 'canal_enlargement_reaction', 'infusion'],
      steps: [{ id: 'within_24h', timing: { kind: 'next_window', afterHours: 2, withinHours: 24 }, purpose: 'Within 24 hours: reaction, pain, swelling' }],
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
  // 治疗中未按预约时间复诊的患者,一小时内致电患者: due at once, to be made within the hour.
  missedAppointment: {
    id: 'missed_appointment',
    step: { id: 'within_1h', timing: { kind: 'urgent', afterMinutes: 0 }, purpose: 'Missed a scheduled visit: ask why, without blame, and book a new time' },
  },
  // 患者反应有不适…反馈给医生,由医生致电了解情况: the attending doctor calls back at once.
  complaintCallback: {
    id: 'complaint_callback',
    step: { id: 'doctor_calls_back', timing: { kind: 'urgent', afterMinutes: 0 }, purpose: 'Complaint or discomfort reported on a follow-up call: apologise, find the cause, book a visit if needed' },
  },
  // 收集患者生日,结婚纪念日…: a greeting at the first window of the day itself.
  greeting: {
    id: 'special_date',
    step: { id: 'greeting', timing: { kind: 'day_window', afterDays: 0 }, purpose: 'Greeting for a special date; mention the small gift' },
  },
  // Seed 002, 拔打回访电话的规范: three calls with their own purposes, then a senior doctor, then keep in touch
  // until a booking or seven consecutive no's (除非对方连续七次说"不",否则不可轻易放弃).
  prospect: {
    id: 'prospect',
    calls: [
      { id: 'call_1', timing: { kind: 'day_window', afterDays: 1 }, purpose: 'Care and greeting: recall the inquiry, ask about the condition, give advice; leave a reason for the next call' },
      { id: 'call_2', timing: { kind: 'day_window', afterDays: 3 }, purpose: 'Persuade to visit: tell of a similar patient’s progress, ask how the condition is now, answer doubts' },
      { id: 'call_3', timing: { kind: 'day_window', afterDays: 7 }, purpose: 'Ask what holds them back and address it; invite to visit' },
    ],
    escalation: { id: 'senior_doctor', timing: { kind: 'next_window', afterHours: 0 }, purpose: 'Not persuaded after three calls: an experienced doctor calls back to go through the condition' },
    keepInTouch: { id: 'keep_in_touch', timing: { kind: 'day_window', afterDays: 30 }, purpose: 'Keep in touch: how is the condition, any new doubts, invite to visit; leave a reason for the next contact' },
    stopAfterRefusals: 7,
  },
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
