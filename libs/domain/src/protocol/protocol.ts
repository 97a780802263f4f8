/**
 * The follow-up protocol as data: which calls a treatment triggers, when, and why. A clinic may
 * replace the default; every scheduled follow-up records the rule, step and version it came from.
 */

/** When a step falls due, counted from what triggered it (a treatment's completion, an inquiry, a call). */
export type StepTiming =
  /** Urgent (⚡): due at once, this many minutes after, whatever the call windows. */
  | { kind: 'urgent'; afterMinutes: number }
  /**
   * The first call window at or after this many hours. `sameDay`: urgent (due at those hours) if no
   * window is left that local day; `withinHours`: urgent likewise if the window would come later than that.
   */
  | { kind: 'next_window'; afterHours: number; sameDay?: boolean; withinHours?: number }
  /** The first call window of the local day this many days / months later. */
  | { kind: 'day_window'; afterDays?: number; afterMonths?: number };

/** A step that applies only to some treatments. */
export type StepCondition = 'not_restored' | 'needs_prosthesis';

export interface ProtocolStep {
  id: string;
  timing: StepTiming;
  /** What the caller should ask about on this call. */
  purpose: string;
  when?: StepCondition;
  /**
   * Recurring (day_window steps only): when the follow-up this step made closes, the next one falls
   * due this many months after it, at the first window of that day (the implant's yearly check-up).
   */
  repeatEveryMonths?: number;
}

export interface ProtocolRule {
  id: string;
  /** Procedure codes this rule applies to; '*' is the general rule for anything no other rule names. */
  procedures: string[];
  steps: ProtocolStep[];
}

/** A rule triggered by a fact other than a treatment (a missed visit, a complaint, a special date): one step. */
export interface EventRule {
  id: string;
  step: ProtocolStep;
}

/** Seed 002's calls to a person who asked but has not come. */
export interface ProspectRule {
  id: string;
  /**
   * The calls in order, each with its purpose (care and greeting; persuade; what holds them back).
   * Call 1 counts from the inquiry; each next call from the call that closed the one before.
   */
  calls: ProtocolStep[];
  /** After the last call without a booking: an experienced (senior) doctor calls back. */
  escalation: ProtocolStep;
  /** After the escalation, keep-in-touch calls at this step's timing until a booking or the refusal limit; absent: none. */
  keepInTouch?: ProtocolStep;
  /** Consecutive refusals that stop all persuasion (seed 002: "don't give up before seven no's"). */
  stopAfterRefusals: number;
}

/**
 * A clinic's whole protocol. `rules` are per procedure; the optional sections govern the other
 * triggers, and a protocol that leaves one out uses the default's (see protocol-sections.ts).
 */
export interface Protocol {
  version: number;
  rules: ProtocolRule[];
  /** A patient missed a scheduled visit (seed 000: call within 1 hour, ask why, book again). */
  missedAppointment?: EventRule;
  /** A call reported a complaint or discomfort: the attending doctor calls back. */
  complaintCallback?: EventRule;
  /** A special date (birthday, wedding anniversary): a greeting, counted from the date's local midnight. */
  greeting?: EventRule;
  prospect?: ProspectRule;
}

export const GENERAL_PROCEDURE = '*';

/** The rules that apply to a procedure: every rule naming it, else the general rule. */
export function rulesFor(protocol: Protocol, procedure: string): ProtocolRule[] {
  const named = protocol.rules.filter((rule) => rule.procedures.includes(procedure));
  if (named.length > 0) return named;
  return protocol.rules.filter((rule) => rule.procedures.includes(GENERAL_PROCEDURE));
}

/** Problems with a protocol a clinic submits, as readable sentences (empty when valid). */
export function protocolProblems(protocol: Protocol): string[] {
  const problems: string[] = [];
  const ruleIds = new Set<string>();
  if (!Array.isArray(protocol.rules) || protocol.rules.length === 0) return ['protocol.rules must list at least one rule'];
  for (const rule of protocol.rules) {
    if (ruleIds.has(rule.id)) problems.push(`rule id ${rule.id} appears twice`);
    ruleIds.add(rule.id);
    if (rule.procedures.length === 0) problems.push(`rule ${rule.id} names no procedure`);
    if (rule.steps.length === 0) problems.push(`rule ${rule.id} has no step`);
    problems.push(...stepsProblems(`rule ${rule.id}`, rule.steps));
  }
  for (const section of ['missedAppointment', 'complaintCallback', 'greeting'] as const) {
    const rule = protocol[section];
    if (rule) problems.push(...stepsProblems(`${section} ${rule.id}`, [rule.step], false));
  }
  if (protocol.prospect) problems.push(...prospectProblems(protocol.prospect));
  return problems;
}

function prospectProblems(prospect: ProspectRule): string[] {
  const where = `prospect ${prospect.id}`;
  const problems: string[] = [];
  if (prospect.calls.length === 0) problems.push(`${where} lists no call`);
  const steps = [...prospect.calls, prospect.escalation, ...(prospect.keepInTouch ? [prospect.keepInTouch] : [])];
  problems.push(...stepsProblems(where, steps, false));
  if (!Number.isInteger(prospect.stopAfterRefusals) || prospect.stopAfterRefusals < 1 || prospect.stopAfterRefusals > 100) {
    problems.push(`${where}: stopAfterRefusals must be a whole number from 1 to 100`);
  }
  return problems;
}

/** Step ids unique within their rule, timings sound; conditions and recurrence only where they mean something. */
function stepsProblems(where: string, steps: ProtocolStep[], treatmentRule = true): string[] {
  const problems: string[] = [];
  const stepIds = new Set<string>();
  for (const step of steps) {
    if (stepIds.has(step.id)) problems.push(`${where}: step id ${step.id} appears twice`);
    stepIds.add(step.id);
    problems.push(...timingProblems(`${where}, step ${step.id}`, step));
    if (step.when !== undefined && !treatmentRule) problems.push(`${where}, step ${step.id}: a condition (when) applies only to treatment rules`);
    if (step.repeatEveryMonths !== undefined) {
      if (!treatmentRule) problems.push(`${where}, step ${step.id}: repeatEveryMonths applies only to treatment rules`);
      else if (step.timing.kind !== 'day_window') problems.push(`${where}, step ${step.id}: repeatEveryMonths needs a day_window timing`);
      else if (!Number.isInteger(step.repeatEveryMonths) || step.repeatEveryMonths < 1 || step.repeatEveryMonths > 120) {
        problems.push(`${where}, step ${step.id}: repeatEveryMonths must be a whole number from 1 to 120`);
      }
    }
  }
  return problems;
}

function timingProblems(where: string, step: ProtocolStep): string[] {
  const t = step.timing;
  const nonNegative = (n: number | undefined) => n === undefined || (Number.isInteger(n) && n >= 0 && n <= 1440);
  const given = (n: number | undefined) => n !== undefined && nonNegative(n);
  switch (t.kind) {
    case 'urgent':
      return given(t.afterMinutes) ? [] : [`${where}: afterMinutes must be a whole number from 0`];
    case 'next_window':
      if (!given(t.afterHours)) return [`${where}: afterHours must be a whole number from 0`];
      if (t.withinHours !== undefined && (!given(t.withinHours) || t.withinHours < t.afterHours)) {
        return [`${where}: withinHours must be a whole number no smaller than afterHours`];
      }
      return [];
    case 'day_window':
      if (!nonNegative(t.afterDays) || !nonNegative(t.afterMonths)) return [`${where}: afterDays/afterMonths must be whole numbers from 0`];
      return t.afterDays === undefined && t.afterMonths === undefined ? [`${where}: give afterDays or afterMonths`] : [];
    default:
      return [`${where}: timing.kind must be urgent, next_window or day_window`];
  }
}
