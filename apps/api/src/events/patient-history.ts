import { Inject, Injectable } from '@nestjs/common';
import { patientStream } from '@rapport/domain';
import { EVENT_STORE, EventStore, RecordedEvent } from '@rapport/event-store';

/**
 * The audit's view of one patient: their stream exactly as recorded (personal data opened, or
 * shown as erased), not a projection of it. The one query that reads the log itself, by design.
 */
@Injectable()
export class PatientHistory {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async of(patientId: string): Promise<{ stream: string; events: RecordedEvent[] }> {
    const stream = patientStream(patientId);
    return { stream, events: await this.store.readStream(stream) };
  }
}
