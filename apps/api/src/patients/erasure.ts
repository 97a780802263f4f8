import { Inject } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { IsString, MaxLength } from 'class-validator';
import { HasText } from '../http/validation';
import type { KeyVault } from '@rapport/audit';
import { DomainRefusal } from '@rapport/domain';
import { PERSONAL_DATA_PROJECTIONS } from '@rapport/projections';
import { KEY_VAULT } from '../audit/audit-tokens';
import { CLOCK, Clock } from '../clock';
import { CommandRunner } from '../commands/command-runner';
import { READ_SIDE, ReadSide } from '../queries/read-side';
import type { CommandResponse } from '../http/command-response';
import type { RequestContext } from '../http/request-context';

export class ErasureDto {
  @ApiProperty({ example: 'the patient asked to be forgotten (PIPL art. 47)' }) @IsString() @HasText() @MaxLength(1000) reason!: string;
}

export interface ErasureView {
  patientId: string;
  erased: true;
  /** False when the patient was erased before: nothing new was recorded. */
  recorded: boolean;
}

export class ErasePersonalDataCommand extends Command<CommandResponse<ErasureView>> {
  constructor(
    readonly patientId: string,
    readonly body: ErasureDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}

/**
 * Crypto-shredding: the patient's key is destroyed first, then PersonalDataErased is recorded.
 * In that order a failure in between leaves the data unreadable (and asking again records the
 * event); the other order could leave an erasure on record with the names still readable.
 */
@CommandHandler(ErasePersonalDataCommand)
export class ErasePersonalDataHandler implements ICommandHandler<ErasePersonalDataCommand> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(KEY_VAULT) private readonly vault: KeyVault,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(READ_SIDE) private readonly readSide: ReadSide,
  ) {}

  /**
   * The read models held the names in the clear: once the projections here have redacted them,
   * the old pages are pushed out of the write-ahead log, so the answer means "gone from disk".
   * With PROJECTOR=external the projector's process does this on its own read store.
   */
  private async scrubReadModels(position: number): Promise<void> {
    if (!this.readSide.runtime) return;
    await this.readSide.waiter.waitFor(PERSONAL_DATA_PROJECTIONS, position);
    await this.readSide.models.scrub();
  }

  async execute({ patientId, body, context }: ErasePersonalDataCommand): Promise<CommandResponse<ErasureView>> {
    const { state } = await this.runner.loadPatient(patientId);
    if (!state.exists) throw new DomainRefusal('unknown_patient', `patient ${patientId} has no record yet`, 'not_found');
    await this.vault.destroy(patientId, this.clock.now().toString());
    const outcome = await this.runner.patient(patientId, undefined, { type: 'ErasePersonalData', data: { patientId, reason: body.reason } }, context);
    await this.scrubReadModels(outcome.position);
    return { body: { patientId, erased: true, recorded: outcome.events.length > 0 }, position: outcome.position, replayed: outcome.replayed };
  }
}
