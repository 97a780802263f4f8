/**
 * The follow-up protocol as data: which calls a treatment triggers, when, and why. A clinic may
 * replace the default; every scheduled follow-up records the rule, step and version it came from.
 */

/** When a step falls due, counted from the treatment's completion. */
export type StepTiming =
  /** Urgent (⚡): due at once, this many minutes after, whatever the call windows. */
  | { kind: 'urgent'; afterMinutes: number }
  /** The first call window at or after this many hours; `sameDay` makes it urgent if none is left that day. */
  | { kind: 'next_window'; afterHours: number; sameDay?: boolean }
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
}

export interface ProtocolRule {
  id: string;
  /** Procedure codes this rule applies to; '*' is the general rule for anything no other rule names. */
  procedures: string[];
  steps: ProtocolStep[];
}

export interface Protocol {
  version: number;
  rules: ProtocolRule[];
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
    const stepIds = new Set<string>();
    for (const step of rule.steps) {
      if (stepIds.has(step.id)) problems.push(`rule ${rule.id}: step id ${step.id} appears twice`);
      stepIds.add(step.id);
      problems.push(...timingProblems(rule.id, step));
    }
  }
  return problems;
}

function timingProblems(ruleId: string, step: ProtocolStep): string[] {
  const where = `rule ${ruleId}, step ${step.id}`;
  const t = step.timing;
  const nonNegative = (n: number | undefined) => n === undefined || (Number.isInteger(n) && n >= 0 && n <= 1440);
  const given = (n: number | undefined) => n !== undefined && nonNegative(n);
  switch (t.kind) {
    case 'urgent':
      return given(t.afterMinutes) ? [] : [`${where}: afterMinutes must be a whole number from 0`];
    case 'next_window':
      return given(t.afterHours) ? [] : [`${where}: afterHours must be a whole number from 0`];
    case 'day_window':
      if (!nonNegative(t.afterDays) || !nonNegative(t.afterMonths)) return [`${where}: afterDays/afterMonths must be whole numbers from 0`];
      return t.afterDays === undefined && t.afterMonths === undefined ? [`${where}: give afterDays or afterMonths`] : [];
    default:
      return [`${where}: timing.kind must be urgent, next_window or day_window`];
  }
}
