import { DomainRefusal } from '../decider';
import type { ClinicEvent, StaffMemberRegistered, StaffRole } from '../events';
import { STAFF_ROLES } from '../events';

/** One entry of the clinic's staff directory. */
export interface StaffMember {
  name: string;
  role: StaffRole;
  active: boolean;
}

export interface RegisterStaffMember {
  type: 'RegisterStaffMember';
  data: { clinicId: string; staffId: string; name: string; role: StaffRole; active?: boolean };
}

/**
 * PUT of one directory entry: a new id registers somebody, a known one records what changed; the
 * same entry again records nothing. Ids are the ones tokens carry (a caller's `userId`), so names
 * can stand in for ids on every screen.
 */
export function registerStaffMember({ data }: RegisterStaffMember, state: { configured: boolean; staff: ReadonlyMap<string, StaffMember> }): ClinicEvent[] {
  if (!state.configured) throw new DomainRefusal('unknown_clinic', `clinic ${data.clinicId} is not configured: PUT /v1/clinics/${data.clinicId} first`, 'not_found');
  if (!(STAFF_ROLES as readonly string[]).includes(data.role)) throw new DomainRefusal('role_unknown', `role must be one of ${STAFF_ROLES.join(', ')}`, 'invalid', ['role']);
  const name = data.name.trim();
  if (name.length === 0) throw new DomainRefusal('name_blank', 'name must not be blank', 'invalid', ['name']);
  const known = state.staff.get(data.staffId);
  const entry: StaffMemberRegistered['data'] = { clinicId: data.clinicId, staffId: data.staffId, name, role: data.role, active: data.active ?? known?.active ?? true };
  if (!known) return [{ type: 'StaffMemberRegistered', data: entry }];
  if (known.name === entry.name && known.role === entry.role && known.active === entry.active) return [];
  return [{ type: 'StaffMemberChanged', data: entry }];
}

export function withStaffMember(staff: ReadonlyMap<string, StaffMember>, entry: StaffMemberRegistered['data']): ReadonlyMap<string, StaffMember> {
  return new Map(staff).set(entry.staffId, { name: entry.name, role: entry.role, active: entry.active });
}
