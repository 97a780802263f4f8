import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AccessEvent, envelope, PatientRecordRead, PatientRecordsListed } from '@rapport/domain';
import type { EventStore } from '@rapport/event-store';
import type { Principal } from '@rapport/access';
import { CLOCK, Clock } from '../clock';
import { accessStream } from '@rapport/domain';

export const ACCESS_LOG_STORE = Symbol('AccessLogStore');

/**
 * Reading a patient's record is itself a recorded fact: a PatientRecordRead (or, for lists,
 * PatientRecordsListed) in the clinic's `access-<clinicId>` stream (hash-chained like every other
 * stream), appended before the record is answered. If it cannot be recorded, it is not shown.
 */
@Injectable()
export class AccessLog {
  constructor(
    @Inject(ACCESS_LOG_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async recordRead(principal: Principal, read: { patientId: string; clinicId: string; what: PatientRecordRead['data']['what'] }, correlationId?: string): Promise<void> {
    const data: PatientRecordRead['data'] = { patientId: read.patientId, clinicId: read.clinicId, userId: principal.userId, role: principal.role, what: read.what };
    await this.append(principal, read.clinicId, { type: 'PatientRecordRead', data }, correlationId);
  }

  /**
   * A list that shows names and phones (a queue, a page of the feed): one event per clinic per
   * request, naming every patient shown. Nothing is recorded when it showed nobody.
   */
  async recordListed(principal: Principal, listed: { clinicId: string; what: PatientRecordsListed['data']['what']; patientIds: readonly string[] }, correlationId?: string): Promise<void> {
    const patientIds = [...new Set(listed.patientIds)];
    if (patientIds.length === 0) return;
    const data: PatientRecordsListed['data'] = { clinicId: listed.clinicId, userId: principal.userId, role: principal.role, what: listed.what, patientIds };
    await this.append(principal, listed.clinicId, { type: 'PatientRecordsListed', data }, correlationId);
  }

  private async append(principal: Principal, clinicId: string, event: AccessEvent, correlationId?: string): Promise<void> {
    const eventId = randomUUID();
    const origin = { eventId, correlationId: correlationId ?? eventId, causationId: eventId, actor: { userId: principal.userId, role: principal.role }, recordedAt: this.clock.now().toString() };
    // 'any': the audited store chains it at the head, one at a time per stream, retrying against other processes.
    await this.store.append(accessStream(clinicId), [envelope(event, origin)], { expectedRevision: 'any' });
  }
}

/** The patients of a list, grouped by their clinic (each clinic's access stream records its own). */
export function patientsByClinic(items: readonly { clinicId: string; patientId: string }[]): Map<string, string[]> {
  const byClinic = new Map<string, string[]>();
  for (const { clinicId, patientId } of items) byClinic.set(clinicId, [...(byClinic.get(clinicId) ?? []), patientId]);
  return byClinic;
}
