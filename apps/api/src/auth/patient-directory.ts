import { Inject, Injectable } from '@nestjs/common';
import type { EventStore } from '@rapport/event-store';
import { RAW_EVENT_STORE } from '../audit/audit-tokens';
import { patientStream } from '@rapport/domain';

/** Remembered patients before the map starts afresh (a miss costs one read of one event). */
const MAX_KNOWN = 100_000;

/**
 * Which clinic a patient belongs to: the clinic of the first event in their stream (it never
 * changes). Reads the raw store: the clinic id is never sealed, so nothing needs opening.
 */
@Injectable()
export class PatientDirectory {
  private readonly known = new Map<string, string>();

  constructor(@Inject(RAW_EVENT_STORE) private readonly store: EventStore) {}

  async clinicOf(patientId: string): Promise<string | undefined> {
    const cached = this.known.get(patientId);
    if (cached) return cached;
    const [first] = await this.store.readStream(patientStream(patientId), { fromRevision: 0 });
    const clinicId = first?.data.clinicId;
    if (typeof clinicId !== 'string') return undefined;
    if (this.known.size >= MAX_KNOWN) this.known.clear();
    this.known.set(patientId, clinicId);
    return clinicId;
  }
}
