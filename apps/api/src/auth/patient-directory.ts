import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '../../../../libs/event-store/src';
import { patientStream } from '../commands/streams';

/** Which clinic a patient belongs to: the clinic of the first event in their stream (it never changes). */
@Injectable()
export class PatientDirectory {
  private readonly known = new Map<string, string>();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async clinicOf(patientId: string): Promise<string | undefined> {
    const cached = this.known.get(patientId);
    if (cached) return cached;
    const [first] = await this.store.readStream(patientStream(patientId), { fromRevision: 0 });
    const clinicId = first?.data.clinicId;
    if (typeof clinicId !== 'string') return undefined;
    this.known.set(patientId, clinicId);
    return clinicId;
  }
}
