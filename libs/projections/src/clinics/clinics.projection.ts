import type { ProjectedEvent } from '../runtime/projection';
import { put, RowChange, Projection, tableSpec } from '../runtime/row-projection';

/**
 * The clinics as last configured: their time zone above all, which the queue and the reports read
 * in; and each clinic's staff directory (names for the ids on every screen).
 */
export const clinicsProjection: Projection = {
  name: 'clinics',
  version: 3,
  tables: ['clinics', 'staff'],
  schema: [
    tableSpec({
      name: 'clinics',
      columns: { clinic_id: 'text', name: 'text?', time_zone: 'text', call_windows: 'text', max_attempts: 'integer', work_hours: 'text?', configured_at: 'text' },
      key: ['clinic_id'],
    }),
    tableSpec({
      name: 'staff',
      columns: { clinic_id: 'text', staff_id: 'text', name: 'text', role: 'text', active: 'integer', changed_at: 'text' },
      key: ['clinic_id', 'staff_id'],
    }),
  ],

  project(event: ProjectedEvent): RowChange[] {
    if (event.type === 'StaffMemberRegistered' || event.type === 'StaffMemberChanged') {
      const d = event.data;
      return [put('staff', { clinic_id: d.clinicId, staff_id: d.staffId, name: d.name, role: d.role, active: d.active ? 1 : 0, changed_at: event.recordedAt })];
    }
    if (event.type !== 'ClinicConfigured') return [];
    const d = event.data;
    if (typeof d.timeZone !== 'string' || d.timeZone.length === 0) throw new TypeError('ClinicConfigured without a timeZone');
    // The last configuration wins, whatever the row held.
    return [
      put('clinics', {
        clinic_id: d.clinicId,
        name: d.name ?? null,
        time_zone: d.timeZone,
        call_windows: JSON.stringify(d.callWindows ?? []),
        max_attempts: d.maxAttempts,
        // Absent: the default (Monday–Friday 09:00–18:00), kept as the domain keeps it.
        work_hours: d.workHours ? JSON.stringify(d.workHours) : null,
        configured_at: event.recordedAt,
      }),
    ];
  },
};
