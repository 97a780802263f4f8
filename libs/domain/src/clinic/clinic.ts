import { Temporal } from 'temporal-polyfill';
import { DomainRefusal, Decider } from '../decider';
import type { ClinicConfigured, ClinicEvent } from '../events';
import { canonicalJson } from '../canonical-json';
import { isCallWindow, isTimeZone } from '../protocol/call-windows';
import { DEFAULT_PROTOCOL } from '../protocol/default-protocol';
import { Protocol, protocolProblems } from '../protocol/protocol';
import { effectiveProtocol } from '../protocol/protocol-sections';
import { DEFAULT_WORK_HOURS, WorkHours, workHoursProblems } from '../protocol/work-hours';
import type { InquiryChannel } from '../events';
import { RegisterStaffMember, registerStaffMember, StaffMember, withStaffMember } from './staff';

/** A clinic: its time zone, call windows, retry limit and follow-up protocol. */
export interface ClinicState {
  configured: boolean;
  clinicId?: string;
  name?: string;
  timeZone: string;
  callWindows: string[];
  maxAttempts: number;
  protocol: Protocol;
  prospectMaxAttempts: number;
  seniorDoctorIds: string[];
  workHours: WorkHours;
  inquiryFirstCallMinutes: InquiryFirstCallMinutes;
  /** The calendar (call-windows.ts ClinicClock): nothing falls due on a closed day. */
  windowsByWeekday?: Record<string, string[]>;
  closedWeekdays?: number[];
  closedDates?: string[];
  /** The clinic's own deadline and expiry per urgent rule (urgent-deadlines.ts has the defaults). */
  urgentRules?: Record<string, { deadlineMinutes?: number; expiryHours?: number }>;
  /** The staff directory, by the ids tokens carry. */
  staff: ReadonlyMap<string, StaffMember>;
}

/** Minutes from an inquiry to its first call, per channel (seed 002 §六: while the need is strongest). */
export type InquiryFirstCallMinutes = Record<InquiryChannel, number>;
export const DEFAULT_INQUIRY_FIRST_CALL_MINUTES: InquiryFirstCallMinutes = { phone: 30, web: 30, wechat: 30 };

export interface ConfigureClinic {
  type: 'ConfigureClinic';
  data: {
    clinicId: string;
    timeZone: string;
    callWindows: string[];
    name?: string;
    maxAttempts?: number;
    prospectMaxAttempts?: number;
    seniorDoctorIds?: string[];
    workHours?: WorkHours;
    inquiryFirstCallMinutes?: Partial<InquiryFirstCallMinutes>;
    windowsByWeekday?: Record<string, string[]>;
    closedWeekdays?: number[];
    closedDates?: string[];
    urgentRules?: Record<string, { deadlineMinutes?: number; expiryHours?: number }>;
    /** A protocol override; its version is assigned here. Omitted: keep the current one. */
    protocol?: Omit<Protocol, 'version'> & { version?: number };
  };
}

export type ClinicCommand = ConfigureClinic | RegisterStaffMember;

export const DEFAULT_MAX_ATTEMPTS = 3;
/** Seed 002, "对方不在的电话均不能放弃": a prospect call is tried this many times before the next call takes over. */
export const DEFAULT_PROSPECT_MAX_ATTEMPTS = 6;

export function initialClinicState(): ClinicState {
  return {
    configured: false,
    timeZone: 'UTC',
    callWindows: ['10:30', '16:00'],
    maxAttempts: DEFAULT_MAX_ATTEMPTS,
    protocol: DEFAULT_PROTOCOL,
    prospectMaxAttempts: DEFAULT_PROSPECT_MAX_ATTEMPTS,
    seniorDoctorIds: [],
    workHours: DEFAULT_WORK_HOURS,
    inquiryFirstCallMinutes: DEFAULT_INQUIRY_FIRST_CALL_MINUTES,
    staff: new Map(),
  };
}

export function evolveClinic(state: ClinicState, event: ClinicEvent): ClinicState {
  switch (event.type) {
    case 'StaffMemberRegistered':
    case 'StaffMemberChanged':
      return { ...state, staff: withStaffMember(state.staff, event.data) };
    case 'ClinicConfigured': {
      const d = event.data;
      return {
        staff: state.staff,
        configured: true,
        clinicId: d.clinicId,
        name: d.name,
        timeZone: d.timeZone,
        callWindows: d.callWindows,
        maxAttempts: d.maxAttempts,
        protocol: d.protocol,
        prospectMaxAttempts: d.prospectMaxAttempts ?? DEFAULT_PROSPECT_MAX_ATTEMPTS,
        seniorDoctorIds: d.seniorDoctorIds ?? [],
        workHours: d.workHours ?? DEFAULT_WORK_HOURS,
        inquiryFirstCallMinutes: { ...DEFAULT_INQUIRY_FIRST_CALL_MINUTES, ...d.inquiryFirstCallMinutes },
        ...optional('windowsByWeekday', d.windowsByWeekday),
        ...optional('closedWeekdays', d.closedWeekdays),
        ...optional('closedDates', d.closedDates),
        ...optional('urgentRules', d.urgentRules),
      };
    }
  }
}

export function decideClinic(command: ClinicCommand, state: ClinicState): ClinicEvent[] {
  if (command.type === 'RegisterStaffMember') return registerStaffMember(command, state);
  const d = command.data;
  if (!isTimeZone(d.timeZone)) throw new DomainRefusal('time_zone_unknown', `timeZone ${d.timeZone} is not an IANA time zone`);
  if (d.callWindows.length === 0 || !d.callWindows.every(isCallWindow)) {
    throw new DomainRefusal('call_windows_invalid', 'callWindows must list at least one local time "HH:MM"');
  }
  const callWindows = [...new Set(d.callWindows)].sort();
  const workHours = d.workHours ? { ...d.workHours, days: [...d.workHours.days].sort() } : undefined;
  const hoursProblems = workHours ? workHoursProblems(workHours) : [];
  if (hoursProblems.length > 0) throw new DomainRefusal('work_hours_invalid', hoursProblems.join('; '));
  const calendar = calendarOf(d, state);
  const firstCall = d.inquiryFirstCallMinutes ? { ...state.inquiryFirstCallMinutes, ...d.inquiryFirstCallMinutes } : undefined;
  const protocol = nextProtocol(state, d.protocol);
  const configured: ClinicConfigured = {
    type: 'ClinicConfigured',
    data: {
      clinicId: d.clinicId,
      ...(d.name !== undefined ? { name: d.name } : state.name !== undefined ? { name: state.name } : {}),
      timeZone: d.timeZone,
      callWindows,
      maxAttempts: d.maxAttempts ?? state.maxAttempts,
      protocol,
      // Written only once set, so a clinic that never names them records what it always did.
      ...optional('prospectMaxAttempts', d.prospectMaxAttempts ?? (state.prospectMaxAttempts !== DEFAULT_PROSPECT_MAX_ATTEMPTS ? state.prospectMaxAttempts : undefined)),
      ...optional('seniorDoctorIds', d.seniorDoctorIds !== undefined ? [...new Set(d.seniorDoctorIds)] : state.seniorDoctorIds.length > 0 ? state.seniorDoctorIds : undefined),
      ...optional('workHours', workHours ?? (sameJson(state.workHours, DEFAULT_WORK_HOURS) ? undefined : state.workHours)),
      ...optional('inquiryFirstCallMinutes', firstCall ?? (sameJson(state.inquiryFirstCallMinutes, DEFAULT_INQUIRY_FIRST_CALL_MINUTES) ? undefined : state.inquiryFirstCallMinutes)),
      ...calendar,
      ...optional('urgentRules', urgentRulesOf(d.urgentRules ?? state.urgentRules)),
    },
  };
  // PUT is idempotent: the same configuration again records nothing.
  if (state.configured && sameJson(evolveClinic(state, configured), state)) return [];
  return [configured];
}

/**
 * A changed protocol gets the next version, so scheduled follow-ups can say which one made them.
 * Sections the submission leaves out mean the default's; the same meaning again is no change.
 */
function nextProtocol(state: ClinicState, submitted: ConfigureClinic['data']['protocol']): Protocol {
  if (!submitted) return state.protocol;
  const { version: _ignored, ...content } = submitted;
  const candidate: Protocol = { ...content, version: state.protocol.version };
  const problems = protocolProblems(candidate);
  if (problems.length > 0) throw new DomainRefusal('protocol_invalid', `protocol refused: ${problems.join('; ')}`);
  if (sameJson(effectiveProtocol(candidate), effectiveProtocol(state.protocol))) return state.protocol;
  return { ...content, version: state.protocol.version + 1 };
}

/**
 * The calendar as submitted (each part kept from before when not sent; an empty list or object
 * clears it), checked: windows are local "HH:MM" times on weekdays 1–7, some weekday stays open,
 * holidays are real dates.
 */
function calendarOf(d: ConfigureClinic['data'], state: ClinicState): Pick<ClinicState, 'windowsByWeekday' | 'closedWeekdays' | 'closedDates'> {
  const windowsByWeekday = d.windowsByWeekday ?? state.windowsByWeekday;
  const closedWeekdays = d.closedWeekdays ?? state.closedWeekdays;
  const closedDates = d.closedDates ?? state.closedDates;
  const problems: string[] = [];
  for (const [day, windows] of Object.entries(windowsByWeekday ?? {})) {
    if (!/^[1-7]$/.test(day)) problems.push(`windowsByWeekday has a key ${day}: weekdays are 1 (Monday) to 7`);
    if (windows.length === 0 || !windows.every(isCallWindow)) problems.push(`windowsByWeekday.${day} must list local times "HH:MM"`);
  }
  if (closedWeekdays && (closedWeekdays.some((w) => !Number.isInteger(w) || w < 1 || w > 7) || new Set(closedWeekdays).size >= 7)) {
    problems.push('closedWeekdays must be weekdays 1–7, and some weekday must stay open');
  }
  for (const date of closedDates ?? []) {
    if (!isPlainDate(date)) problems.push(`closedDates has ${date}: a date is "YYYY-MM-DD"`);
  }
  if (problems.length > 0) throw new DomainRefusal('calendar_invalid', problems.join('; '));
  const sortedWindows = windowsByWeekday && Object.keys(windowsByWeekday).length > 0
    ? Object.fromEntries(Object.entries(windowsByWeekday).sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, w]) => [day, [...new Set(w)].sort()]))
    : undefined;
  return {
    ...optional('windowsByWeekday', sortedWindows),
    ...optional('closedWeekdays', closedWeekdays && closedWeekdays.length > 0 ? [...new Set(closedWeekdays)].sort() : undefined),
    ...optional('closedDates', closedDates && closedDates.length > 0 ? [...new Set(closedDates)].sort() : undefined),
  };
}

/** Each rule's deadline 1–1440 minutes and expiry 1–720 hours, whole numbers; {} clears them. */
function urgentRulesOf(rules: ClinicState['urgentRules']): ClinicState['urgentRules'] {
  if (!rules || Object.keys(rules).length === 0) return undefined;
  const problems: string[] = [];
  for (const [rule, settings] of Object.entries(rules)) {
    if (typeof settings !== 'object' || settings === null || Array.isArray(settings) || Object.keys(settings).some((k) => k !== 'deadlineMinutes' && k !== 'expiryHours')) {
      problems.push(`urgentRules.${rule} must be { deadlineMinutes?, expiryHours? }`);
      continue;
    }
    const { deadlineMinutes, expiryHours } = settings;
    if (deadlineMinutes !== undefined && (!Number.isInteger(deadlineMinutes) || deadlineMinutes < 1 || deadlineMinutes > 1440)) problems.push(`urgentRules.${rule}.deadlineMinutes must be 1–1440`);
    if (expiryHours !== undefined && (!Number.isInteger(expiryHours) || expiryHours < 1 || expiryHours > 720)) problems.push(`urgentRules.${rule}.expiryHours must be 1–720`);
  }
  if (problems.length > 0) throw new DomainRefusal('urgent_rules_invalid', problems.join('; '));
  return rules;
}

function isPlainDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  try {
    return Temporal.PlainDate.from(value, { overflow: 'reject' }).toString() === value;
  } catch {
    return false;
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** Equal as JSON whatever the key order (a protocol sent over HTTP need not list keys as the default does). */
function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}


export const clinicDecider: Decider<ClinicCommand, ClinicEvent, ClinicState, unknown> = {
  decide: (command, state) => decideClinic(command, state),
  evolve: evolveClinic,
  initialState: initialClinicState,
};
