import { ForbiddenException, Inject, NotFoundException } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CORRECTABLE_FIELDS, currentRecord, isCorrectable, RecordCorrected } from '@rapport/domain';
import { EVENT_STORE, EventStore, RecordedEvent } from '@rapport/event-store';
import { PatientDirectory } from '../auth/patient-directory';
import { canActFor, Principal, SELF_RECORDING } from '@rapport/access';
import { CommandRunner } from '../commands/command-runner';
import { patientStream } from '@rapport/domain';
import type { CommandResponse } from '../http/command-response';
import { InvalidInputException } from '../http/errors';
import type { RequestContext } from '../http/request-context';
import { READ_SIDE, ReadSide } from '../queries/read-side';
import { changesOf, CorrectionDto } from './correction.dto';

export interface CorrectionView {
  correctionId: string;
  /** The correction's own event. */
  eventId: string;
  type: RecordCorrected['type'];
  correctsEventId: string;
  patientId: string;
  corrected: Record<string, unknown>;
  previous: Record<string, unknown>;
}

export class CorrectRecordCommand extends Command<CommandResponse<CorrectionView>> {
  constructor(
    readonly body: CorrectionDto,
    readonly principal: Principal,
    readonly context: RequestContext,
  ) {
    super();
  }
}

/**
 * A correction is appended to the patient's stream beside the fact it corrects; nothing is
 * changed. A caller or doctor corrects only what they recorded (or the calls they made); managers
 * and admins correct any record of their clinics.
 */
@CommandHandler(CorrectRecordCommand)
export class CorrectRecordHandler implements ICommandHandler<CorrectRecordCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly patients: PatientDirectory,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_SIDE) private readonly readSide: ReadSide,
  ) {}

  async execute({ body, principal, context }: CorrectRecordCommand): Promise<CommandResponse<CorrectionView>> {
    const patientId = body.patientId ?? (await this.patientOfEvent(body.eventId));
    const clinicId = await this.patients.clinicOf(patientId);
    if (clinicId && !canActFor(principal, clinicId)) throw new ForbiddenException(`this token does not cover clinic ${clinicId}`);
    const events = await this.store.readStream(patientStream(patientId));
    const original = events.find((e) => e.eventId === body.eventId);
    if (original) this.requireMayCorrect(principal, original);
    const changes = changesOf(body);
    if (original && isCorrectable(original.type)) {
      const allowed: readonly string[] = CORRECTABLE_FIELDS[original.type];
      const refused = Object.keys(changes).filter((f) => !allowed.includes(f));
      if (refused.length > 0) {
        throw new InvalidInputException(refused.map((field) => ({ field, message: `${field} cannot be corrected on a ${original.type}; correctable: ${allowed.join(', ')}` })));
      }
    }
    const target = currentRecord(events, body.eventId);
    const outcome = await this.runner.patient(
      patientId,
      undefined,
      { type: 'CorrectRecord', data: { patientId, eventId: body.eventId, reason: body.reason, changes, ...(target ? { target } : {}) } },
      context,
    );
    const recorded = outcome.events[0]!;
    const d = recorded.data as unknown as RecordCorrected['data'];
    return {
      body: { correctionId: d.correctionId, eventId: recorded.eventId, type: recorded.type as RecordCorrected['type'], correctsEventId: d.correctsEventId, patientId, corrected: d.corrected, previous: d.previous },
      position: outcome.position,
      replayed: outcome.replayed,
    };
  }

  /** Without a patientId: the patient whose timeline shows the event (the read side knows every fact's event id). */
  private async patientOfEvent(eventId: string): Promise<string> {
    const row = await this.readSide.models.reader
      .selectFrom('timeline_entries')
      .select('patient_id')
      .where('event_id', '=', eventId)
      .where('type', '!=', 'ReferralBooked')
      .executeTakeFirst();
    if (!row) throw new NotFoundException(`no recorded fact has event id ${eventId} (or it is not projected yet): pass patientId`);
    return row.patient_id;
  }

  private requireMayCorrect(principal: Principal, original: RecordedEvent): void {
    if (!SELF_RECORDING.includes(principal.role)) return;
    const actor = (original.metadata.actor as { userId?: unknown } | undefined)?.userId;
    if (actor === principal.userId || original.data.callerId === principal.userId) return;
    throw new ForbiddenException(`a ${principal.role} corrects only what they recorded; event ${original.eventId} was recorded by someone else`);
  }
}
