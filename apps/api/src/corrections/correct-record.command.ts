import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { Principal } from '@rapport/access';
import type { CommandContext, CommandResult } from '../application/command-context';
import { COMMAND_PORTS, CommandPorts } from '../application/command-ports';
import { correctRecord, CorrectionView } from '../application/corrections';
import { changesOf, CorrectionDto } from './correction.dto';

export class CorrectRecordCommand extends Command<CommandResult<CorrectionView>> {
  constructor(
    readonly body: CorrectionDto,
    readonly principal: Principal,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(CorrectRecordCommand)
export class CorrectRecordHandler implements ICommandHandler<CorrectRecordCommand> {
  constructor(@Inject(COMMAND_PORTS) private readonly ports: CommandPorts) {}

  execute({ body, principal, context }: CorrectRecordCommand): Promise<CommandResult<CorrectionView>> {
    return correctRecord(this.ports, { eventId: body.eventId, reason: body.reason, ...(body.patientId ? { patientId: body.patientId } : {}), changes: changesOf(body) }, principal, context);
  }
}
