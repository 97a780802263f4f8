import { Temporal } from 'temporal-polyfill';
import type { ClinicState } from '../clinic/clinic';
import { DomainRefusal } from '../decider';
import type { CallAttempted, ContactPreferencesChanged, ContactPreferencesSet, FollowUpClosedReason, PatientEvent, SpecialDate } from '../events';
import { localDate } from '../protocol/call-windows';
import { greetingRule } from '../protocol/protocol-sections';
import { isSpecialDate, planGreeting } from '../protocol/special-dates';
import { followUpClosed, followUpScheduled, idSequence, NextId } from './follow-up-scheduled';
import type { PatientContext } from './patient-context';
import type { ChangeContactPreferences, SetContactPreferences } from './patient.commands';
import { ContactPreferences, FollowUpState, openFollowUps, PatientState } from './patient.state';
import { requireExistingPatient } from './preconditions';

/**
 * Contact preferences (seed 002, "autonomy"): recorded as a whole, honoured when the queue is read
 * (preferred times, work hours, do-not-call, VIP order are the projection's to apply). Here they
 * decide greetings: each special date gets a greeting on its next occurrence, and the next year's
 * when that one closes; none is scheduled while the patient asks not to be called.
 */
const TIME_RANGE = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;

export function setContactPreferences({ data }: SetContactPreferences, state: PatientState, context: PatientContext): PatientEvent[] {
  const { patientId, ...given } = data;
  return decidePreferences(patientId, given, state, context, (clinicId, preferences): ContactPreferencesSet => ({ type: 'ContactPreferencesSet', data: { patientId, clinicId, ...preferences } }));
}

/** PATCH: the fields given change (null clears one), the others stay; recorded with what was sent. */
export function changeContactPreferences({ data }: ChangeContactPreferences, state: PatientState, context: PatientContext): PatientEvent[] {
  const merged: Record<string, unknown> = { ...state.preferences };
  for (const [field, value] of Object.entries(data.changes)) {
    if (value === null) delete merged[field];
    else if (value !== undefined) merged[field] = value;
  }
  return decidePreferences(data.patientId, merged as ContactPreferences, state, context, (clinicId, preferences): ContactPreferencesChanged => ({
    type: 'ContactPreferencesChanged',
    data: { patientId: data.patientId, clinicId, ...preferences, changed: data.changes },
  }));
}

function decidePreferences(
  patientId: string,
  given: ContactPreferences,
  state: PatientState,
  { now, clinic }: PatientContext,
  record: (clinicId: string, preferences: ContactPreferences) => PatientEvent,
): PatientEvent[] {
  const clinicId = requireExistingPatient(state, patientId);
  const preferences = normalized(given);
  if (JSON.stringify(sorted(preferences)) === JSON.stringify(sorted(state.preferences))) return [];
  const set = record(clinicId, preferences);

  const wanted = preferences.specialDates ?? [];
  const open = openFollowUps(state, ['greeting']);
  const withdrawn = open.filter((f) => !wanted.some((d) => sameDate(d, f.specialDate))).map((f) => followUpClosed(f, patientId, clinicId, 'withdrawn'));
  if (preferences.doNotCall) return [set, ...withdrawn];
  const nextId = idSequence(patientId, state);
  const today = localDate(now, clinic.timeZone);
  const greetings = wanted
    .filter((d) => !open.some((f) => sameDate(d, f.specialDate)))
    .map((d) => greeting(d, today, now, clinic, patientId, clinicId, nextId));
  return [set, ...withdrawn, ...greetings];
}

/** A greeting that closed schedules the same date's next year, while the date is still wanted and calls are allowed. */
export function nextGreeting(closed: FollowUpState, reason: FollowUpClosedReason, call: CallAttempted['data'], state: PatientState, clinic: ClinicState, nextId: NextId): PatientEvent[] {
  const date = closed.specialDate;
  if (!date || reason === 'wrong_number' || state.preferences.doNotCall) return [];
  if (!(state.preferences.specialDates ?? []).some((d) => sameDate(d, date))) return [];
  const at = Temporal.Instant.from(call.startedAt);
  const dueDay = localDate(Temporal.Instant.from(closed.scheduledDueAt), clinic.timeZone).add({ days: 1 });
  const callDay = localDate(at, clinic.timeZone).add({ days: 1 });
  const earliest = Temporal.PlainDate.compare(dueDay, callDay) >= 0 ? dueDay : callDay;
  return [greeting(date, earliest, at, clinic, call.patientId, call.clinicId, nextId, closed.followUpId)];
}

function greeting(date: SpecialDate, earliestDay: Temporal.PlainDate, now: Temporal.Instant, clinic: ClinicState, patientId: string, clinicId: string, nextId: NextId, follows?: string) {
  const rule = greetingRule(clinic.protocol);
  const plan = planGreeting(rule, clinic.protocol.version, date.date, earliestDay, now, clinic);
  return followUpScheduled(nextId('fu'), patientId, clinicId, { ...plan, purpose: `${plan.purpose} (${date.kind})` }, {
    kind: 'greeting',
    specialDate: date,
    ...(follows ? { follows } : {}),
  });
}

/** Refuses what the DTO cannot see (an impossible date, a range that ends before it starts); drops repeated dates. */
function normalized(given: ContactPreferences): ContactPreferences {
  for (const range of given.preferredTimes ?? []) {
    const match = TIME_RANGE.exec(range);
    // "22:00-07:00" runs overnight (issue 15): only an empty range is refused.
    if (!match || `${match[1]}:${match[2]}` === `${match[3]}:${match[4]}`) {
      throw new DomainRefusal('preferred_time_invalid', `preferred time ${range} must be "HH:MM-HH:MM" with different start and end (an overnight range like 22:00-07:00 is fine), in the clinic's local time`);
    }
  }
  const dates: SpecialDate[] = [];
  for (const d of given.specialDates ?? []) {
    if (!isSpecialDate(d.date)) throw new DomainRefusal('special_date_invalid', `special date ${d.date} (${d.kind}) must be a real "MM-DD" or "YYYY-MM-DD"`);
    if (!dates.some((seen) => sameDate(seen, d))) dates.push({ kind: d.kind, date: d.date });
  }
  return { ...given, ...(given.specialDates ? { specialDates: dates } : {}) };
}

function sameDate(a: SpecialDate, b: SpecialDate | undefined): boolean {
  return b !== undefined && a.kind === b.kind && a.date === b.date;
}

function sorted(value: object): unknown {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)));
}
