import { Inject } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { IsString, MaxLength } from 'class-validator';
import type { CommandContext, CommandResult } from '../application/command-context';
import { COMMAND_PORTS, CommandPorts } from '../application/command-ports';
import { erasePersonalData, ErasureView } from '../application/erasure';
import { HasText } from '../http/validation';

export class ErasureDto {
  @ApiProperty({ example: 'the patient asked to be forgotten (PIPL art. 47)' }) @IsString() @HasText() @MaxLength(1000) reason!: string;
}

export class ErasePersonalDataCommand extends Command<CommandResult<ErasureView>> {
  constructor(
    readonly patientId: string,
    readonly body: ErasureDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(ErasePersonalDataCommand)
export class ErasePersonalDataHandler implements ICommandHandler<ErasePersonalDataCommand> {
  constructor(@Inject(COMMAND_PORTS) private readonly ports: CommandPorts) {}

  execute({ patientId, body, context }: ErasePersonalDataCommand): Promise<CommandResult<ErasureView>> {
    return erasePersonalData(this.ports, { patientId, reason: body.reason }, context);
  }
}
