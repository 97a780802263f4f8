import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EVENT_SCHEMA_VERSIONS, PatientRecordRead } from '../../../../libs/domain/src';
import type { EventStore } from '../../../../libs/event-store/src';
import type { Principal } from '../auth/roles';
import { CLOCK, Clock } from '../clock';
import { accessStream } from '../commands/streams';

export const ACCESS_LOG_STORE = Symbol('AccessLogStore');

/**
 * Reading a patient's record is itself a recorded fact: a PatientRecordRead in the clinic's
 * `access-<clinicId>` stream (hash-chained like every other stream), appended before the record
 * is answered. If it cannot be recorded, the record is not shown.
 */
@Injectable()
export class AccessLog {
  constructor(
    @Inject(ACCESS_LOG_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async recordRead(principal: Principal, read: { patientId: string; clinicId: string; what: PatientRecordRead['data']['what'] }, correlationId?: string): Promise<void> {
    const eventId = randomUUID();
    const data: PatientRecordRead['data'] = { patientId: read.patientId, clinicId: read.clinicId, userId: principal.userId, role: principal.role, what: read.what };
    const metadata = {
      eventId,
      schemaVersion: EVENT_SCHEMA_VERSIONS.PatientRecordRead,
      correlationId: correlationId ?? eventId,
      causationId: eventId,
      actor: { userId: principal.userId, role: principal.role },
      recordedAt: this.clock.now().toString(),
    };
    // 'any': the audited store chains it at the head, one at a time per stream, retrying against other processes.
    await this.store.append(accessStream(read.clinicId), [{ eventId, type: 'PatientRecordRead', data, metadata }], { expectedRevision: 'any' });
  }
}
