/**
 * Who may do what (issue 6). Every token names its clinics (or '*' for all) and every rule below
 * holds only within them:
 * - caller: records calls, objections, referrals, bookings and treatments, reads patients, queues
 *   and their own metrics;
 * - doctor: the same, plus their own doctor's queue;
 * - manager: records, configures clinics, reads metrics, reports and the audit export, erases;
 * - auditor: reads everything (records, metrics, reports, audit, access log, the event feed) and
 *   writes nothing;
 * - admin: everything;
 * - integration: a downstream system (SMS, CRM, BI): reads the event feed, nothing else.
 */
export const ROLES = ['caller', 'doctor', 'manager', 'auditor', 'admin', 'integration'] as const;
export type Role = (typeof ROLES)[number];

/** Everyone who works calls and records what happened. */
export const RECORDERS: Role[] = ['caller', 'doctor', 'manager', 'admin'];
/** Everyone who may read a patient's record. */
export const READERS: Role[] = ['caller', 'doctor', 'manager', 'auditor', 'admin'];
/** Metrics, reports and exports. */
export const OVERSEERS: Role[] = ['manager', 'auditor', 'admin'];
/** Configuration and erasure. */
export const MANAGERS: Role[] = ['manager', 'admin'];
/** The audit's own views: verification and the access log. */
export const AUDITORS: Role[] = ['auditor', 'admin'];
/** The global event feed. */
export const FEED_READERS: Role[] = ['manager', 'auditor', 'admin', 'integration'];

/** Roles that record only as themselves: a body's callerId must be the token's user. */
export const SELF_RECORDING: Role[] = ['caller', 'doctor'];

export interface Principal {
  userId: string;
  role: Role;
  /** The clinics this token may act for; ['*'] for all. */
  clinics: string[];
}

export const ALL_CLINICS = '*';

export function canActFor(principal: Principal, clinicId: string): boolean {
  return principal.clinics.includes(ALL_CLINICS) || principal.clinics.includes(clinicId);
}

/** The clinics a query must be limited to; undefined when the token covers every clinic. */
export function clinicScope(principal: Principal): readonly string[] | undefined {
  return principal.clinics.includes(ALL_CLINICS) ? undefined : principal.clinics;
}

/**
 * Who a command acts as, as it goes into every event's metadata.actor: the token's user and role
 * (never the clinics, never anything from the body). Scripts that record outside HTTP (the demo
 * month, the bench) name their own.
 */
export type Actor = Pick<Principal, 'userId' | 'role'>;

/** The actor of commands run by local scripts (bench seeding), not by a person over HTTP. */
export const LOCAL_OPERATOR: Actor = { userId: 'local-operator', role: 'admin' };
