import { Temporal } from 'temporal-polyfill';
import { ClinicClock, firstWindowOn, localDate, nextWindow, urgentDue } from './call-windows';
import { urgentDeadlineMinutes } from './urgent-deadlines';
import { Protocol, ProtocolStep, rulesFor } from './protocol';

/** The facts about a treatment that decide its follow-ups. */
export interface TreatmentFacts {
  procedure: string;
  completedAt: Temporal.Instant;
  restored?: boolean;
  needsProsthesis?: boolean;
}

export interface PlannedFollowUp {
  ruleId: string;
  stepId: string;
  protocolVersion: number;
  purpose: string;
  dueAt: Temporal.Instant;
  urgent: boolean;
  /** An urgent call that fell on a closed day, moved to the next open window. */
  movedFromClosedDay?: true;
  /** An urgent call: made by then, it was in time (the rule's deadline after it fell due). */
  deadlineAt?: Temporal.Instant;
}

/** The follow-ups a treatment triggers under a protocol, in due order. */
export function planFollowUps(treatment: TreatmentFacts, protocol: Protocol, clock: ClinicClock): PlannedFollowUp[] {
  const planned: PlannedFollowUp[] = [];
  for (const rule of rulesFor(protocol, treatment.procedure)) {
    for (const step of rule.steps) {
      if (!applies(step, treatment)) continue;
      planned.push(planStep(rule.id, step, protocol.version, treatment.completedAt, clock));
    }
  }
  return planned.sort((a, b) => Temporal.Instant.compare(a.dueAt, b.dueAt));
}

/** One step of a rule, counted from `from` (a completion, an inquiry, the call that closed the step before). */
export function planStep(ruleId: string, step: ProtocolStep, protocolVersion: number, from: Temporal.Instant, clock: ClinicClock): PlannedFollowUp {
  const { dueAt, urgent, movedFromClosedDay } = dueTime(step, from, clock);
  const deadlineAt = urgent ? dueAt.add({ minutes: urgentDeadlineMinutes({ ruleId, stepId: step.id }, clock.urgentRules) }) : undefined;
  return { ruleId, stepId: step.id, protocolVersion, purpose: step.purpose, dueAt, urgent, ...(movedFromClosedDay ? { movedFromClosedDay } : {}), ...(deadlineAt ? { deadlineAt } : {}) };
}

function applies(step: ProtocolStep, treatment: TreatmentFacts): boolean {
  if (step.when === 'not_restored') return treatment.restored !== true;
  if (step.when === 'needs_prosthesis') return treatment.needsProsthesis === true;
  return true;
}

/** When a step falls due, counted from `from`; urgent ones ignore the windows. */
export function dueTime(step: ProtocolStep, from: Temporal.Instant, clock: ClinicClock): { dueAt: Temporal.Instant; urgent: boolean; movedFromClosedDay?: true } {
  const t = step.timing;
  switch (t.kind) {
    case 'urgent':
      return { ...urgentDue(from.add({ minutes: t.afterMinutes }), clock), urgent: true };
    case 'next_window': {
      const earliest = from.add({ hours: t.afterHours });
      const window = nextWindow(earliest, clock);
      const sameDay = localDate(window, clock.timeZone).equals(localDate(from, clock.timeZone));
      if (t.sameDay && !sameDay) return { ...urgentDue(earliest, clock), urgent: true };
      if (t.withinHours !== undefined && Temporal.Instant.compare(window, from.add({ hours: t.withinHours })) > 0) return { ...urgentDue(earliest, clock), urgent: true };
      return { dueAt: window, urgent: false };
    }
    case 'day_window': {
      const day = localDate(from, clock.timeZone).add({ days: t.afterDays ?? 0, months: t.afterMonths ?? 0 });
      return { dueAt: firstWindowOn(day, clock), urgent: false };
    }
  }
}

/**
 * The next occurrence of a recurring step: `everyMonths` after the local day the previous one was
 * first due, at that day's first window, and after `notBefore` (a check-up closed very late does not
 * schedule one in the past). Counting from the first due day, not from retries, keeps the yearly
 * call on the same day of the year.
 */
export function nextRecurrence(previousDueAt: Temporal.Instant, everyMonths: number, notBefore: Temporal.Instant, clock: ClinicClock): Temporal.Instant {
  const first = localDate(previousDueAt, clock.timeZone);
  for (let n = 1; ; n++) {
    const due = firstWindowOn(first.add({ months: everyMonths * n }), clock);
    if (Temporal.Instant.compare(due, notBefore) > 0) return due;
  }
}
