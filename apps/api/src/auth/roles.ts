/** Who may do what (issue 6): callers record and read for their clinics, auditors read and never write. */
export const ROLES = ['caller', 'doctor', 'manager', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Everyone who works calls and records what happened. */
export const RECORDERS: Role[] = ['caller', 'doctor', 'manager', 'admin'];
/** Everyone who may read a patient's record. */
export const READERS: Role[] = ['caller', 'doctor', 'manager', 'auditor', 'admin'];
/** Metrics, reports and exports. */
export const OVERSEERS: Role[] = ['manager', 'auditor', 'admin'];

export interface Principal {
  userId: string;
  role: Role;
  /** The clinics this token may act for; ['*'] for all. */
  clinics: string[];
}

export function canActFor(principal: Principal, clinicId: string): boolean {
  return principal.clinics.includes('*') || principal.clinics.includes(clinicId);
}
