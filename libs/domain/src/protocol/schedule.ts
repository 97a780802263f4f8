import { Temporal } from 'temporal-polyfill';
import { ClinicClock, firstWindowOn, localDate, nextWindow } from './call-windows';
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
}

/** The follow-ups a treatment triggers under a protocol, in due order. */
export function planFollowUps(treatment: TreatmentFacts, protocol: Protocol, clock: ClinicClock): PlannedFollowUp[] {
  const planned: PlannedFollowUp[] = [];
  for (const rule of rulesFor(protocol, treatment.procedure)) {
    for (const step of rule.steps) {
      if (!applies(step, treatment)) continue;
      const { dueAt, urgent } = dueTime(step, treatment.completedAt, clock);
      planned.push({ ruleId: rule.id, stepId: step.id, protocolVersion: protocol.version, purpose: step.purpose, dueAt, urgent });
    }
  }
  return planned.sort((a, b) => Temporal.Instant.compare(a.dueAt, b.dueAt));
}

function applies(step: ProtocolStep, treatment: TreatmentFacts): boolean {
  if (step.when === 'not_restored') return treatment.restored !== true;
  if (step.when === 'needs_prosthesis') return treatment.needsProsthesis === true;
  return true;
}

function dueTime(step: ProtocolStep, completedAt: Temporal.Instant, clock: ClinicClock): { dueAt: Temporal.Instant; urgent: boolean } {
  const t = step.timing;
  switch (t.kind) {
    case 'urgent':
      return { dueAt: completedAt.add({ minutes: t.afterMinutes }), urgent: true };
    case 'next_window': {
      const from = completedAt.add({ hours: t.afterHours });
      const window = nextWindow(from, clock);
      const sameDay = localDate(window, clock.timeZone).equals(localDate(completedAt, clock.timeZone));
      if (t.sameDay && !sameDay) return { dueAt: from, urgent: true };
      return { dueAt: window, urgent: false };
    }
    case 'day_window': {
      const day = localDate(completedAt, clock.timeZone).add({ days: t.afterDays ?? 0, months: t.afterMonths ?? 0 });
      return { dueAt: firstWindowOn(day, clock), urgent: false };
    }
  }
}
