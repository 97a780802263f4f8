import { DEFAULT_WORK_HOURS, type WorkHours } from '@rapport/domain';
import type { Kysely } from 'kysely';
import type { ReadModelDb } from '../read-store/read-model-db';

export interface ClinicView {
  clinicId: string;
  name?: string;
  timeZone: string;
  callWindows: string[];
  /** When the clinic is at work: "not at work" for a patient who asks for it (issue 15 item 6). */
  workHours: WorkHours;
}

export async function findClinic(db: Kysely<ReadModelDb>, clinicId: string): Promise<ClinicView | undefined> {
  const row = await db.selectFrom('clinics').selectAll().where('clinic_id', '=', clinicId).executeTakeFirst();
  if (!row) return undefined;
  return {
    clinicId: row.clinic_id,
    ...(row.name !== null ? { name: row.name } : {}),
    timeZone: row.time_zone,
    callWindows: JSON.parse(row.call_windows) as string[],
    workHours: row.work_hours ? (JSON.parse(row.work_hours) as WorkHours) : DEFAULT_WORK_HOURS,
  };
}

/** A query about a clinic the read side does not know (not configured, or not projected yet). */
export class UnknownClinicError extends Error {
  constructor(readonly clinicId: string) {
    super(`clinic ${clinicId} is not configured (or not projected yet: pass ?minPosition= from the command's X-Rapport-Position)`);
    this.name = 'UnknownClinicError';
  }
}

export async function requireClinic(db: Kysely<ReadModelDb>, clinicId: string): Promise<ClinicView> {
  const clinic = await findClinic(db, clinicId);
  if (!clinic) throw new UnknownClinicError(clinicId);
  return clinic;
}

export interface StaffMemberView {
  staffId: string;
  name: string;
  role: string;
  active: boolean;
}

/** The clinic's staff directory, by name (inactive ones too: old calls still name them). */
export async function readStaff(db: Kysely<ReadModelDb>, clinicId: string): Promise<{ clinicId: string; staff: StaffMemberView[] }> {
  await requireClinic(db, clinicId);
  const rows = await db.selectFrom('staff').selectAll().where('clinic_id', '=', clinicId).orderBy('name').orderBy('staff_id').execute();
  return { clinicId, staff: rows.map((r) => ({ staffId: r.staff_id, name: r.name, role: r.role, active: r.active === 1 })) };
}

/** Names by id for a clinic's staff: what reports put beside the ids. */
export async function staffNames(db: Kysely<ReadModelDb>, clinicId: string): Promise<Map<string, string>> {
  const rows = await db.selectFrom('staff').select(['staff_id', 'name']).where('clinic_id', '=', clinicId).execute();
  return new Map(rows.map((r) => [r.staff_id, r.name]));
}
