/** Stream names: `<category>-<id>`, so EventStoreDB's `$ce-<category>` streams work for subscribers. */
export const clinicStream = (clinicId: string) => `clinic-${clinicId}`;
export const patientStream = (patientId: string) => `patient-${patientId}`;
export const accessStream = (clinicId: string) => `access-${clinicId}`;
