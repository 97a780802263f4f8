// Every error the console shows is in the page's language (Chinese first): the server's `rule`
// codes and statuses are translated here, its English messages never shown as they are. A code
// the console does not know still shows, inside a generic sentence, so support can find it.
import { ApiError } from './api.js';
import { formatAt, staffName } from './context.js';
import { t } from './i18n.js';

/** The sentence for an error: the rule's, else the status's, else the generic one with the code. */
export function errorMessage(error) {
  if (!(error instanceof ApiError)) return t('errorGeneric')(String(error?.message ?? error));
  const body = error.body && typeof error.body === 'object' ? error.body : {};
  if (error.status === 0) return t('network');
  if (body.rule === 'follow_up_claimed') {
    const holder = claimHolder(error);
    return holder ? t('claimHeldShort')(staffName(holder.by), formatAt(holder.until, { timeOnly: true })) : t('refusals').follow_up_claimed;
  }
  if (body.rule) return t('refusals')[body.rule] ?? t('errorGeneric')(body.rule);
  return t('httpStatus')[error.status] ?? t('errorGeneric')(`HTTP ${error.status}`);
}

/** Who holds a claimed follow-up, from the 409's message ("nurse-zhang is on this call until …"). */
export function claimHolder(error) {
  const match = /^(\S+) is on this call until (\S+?)\.?$/.exec(error?.body?.message ?? '');
  return match ? { by: match[1], until: match[2] } : null;
}

/**
 * The fields an error names, each with a sentence: the 400's `details` (the server's paths, as
 * `appointment.scheduledFor` or `referrals[0].referred`), or the one field a rule is about.
 */
export function fieldProblems(error) {
  if (!(error instanceof ApiError)) return [];
  const body = error.body && typeof error.body === 'object' ? error.body : {};
  const problems = [];
  for (const detail of body.details ?? []) {
    problems.push({ field: detail.field, text: body.rule && t('refusals')[body.rule] ? t('refusals')[body.rule] : detailText(detail.message) });
  }
  if (!problems.length && body.rule && RULE_FIELDS[body.rule]) problems.push({ field: RULE_FIELDS[body.rule], text: errorMessage(error) });
  return problems;
}

/** The field a refusal is about, when it names none. */
const RULE_FIELDS = {
  appointment_in_past: 'appointment.scheduledFor',
  call_back_time_required: 'callBackAt',
  call_back_time_past: 'callBackAt',
  next_contact_in_past: 'nextContact.at',
  next_contact_needs_conversation: 'outcome',
  complaint_without_conversation: 'complaint',
  preferred_time_invalid: 'preferences.preferredTimes',
  special_date_invalid: 'preferences.specialDates',
  late_entry_needs_reason: 'startedAt',
  claimed_time_in_future: 'startedAt',
  unknown_outcome: 'outcome',
  referral_empty: 'referrals[0].referred',
};

/** A 400 detail's message in the page's words, by what it says. */
function detailText(message = '') {
  const words = t('fieldProblem');
  if (/names nobody/.test(message)) return words.referral;
  if (/instant|RFC 3339|date-time|local time|time zone/i.test(message)) return words.time;
  if (/empty|required|must be a string|should not be null/i.test(message)) return words.empty;
  if (/greater|less|at most|at least|longer|shorter|max|min/i.test(message)) return words.range;
  if (/one of|enum|must be (a boolean|an integer|a number)/i.test(message)) return words.choice;
  if (/should not exist|not allowed|unknown field/i.test(message)) return words.unknown;
  return words.other;
}
