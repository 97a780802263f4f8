import { Inject } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { IsString, MaxLength } from 'class-validator';
import type { CommandContext, CommandResult } from '../application/command-context';
import { COMMAND_PORTS, CommandPorts } from '../application/command-ports';
import { result } from '../application/recording';
import { HasText } from '../http/validation';
import { PersonalDetailsDto } from '../recording/personal-details.dto';

/** POST /v1/patients/:patientId/personal-details: the name or phone as staff now know it, and why. */
export class CorrectPersonalDetailsDto extends PersonalDetailsDto {
  @ApiProperty({ example: 'the number on file reached a stranger; the daughter gave the right one' }) @IsString() @HasText() @MaxLength(1000) reason!: string;
}

export interface PersonalDetailsCorrectedView {
  patientId: string;
  correctionId: string;
  /** The fields corrected (their values are sealed and not echoed). */
  corrected: string[];
  /** Whether a call has found the phone wrong since the last number given. */
  phoneWrong: boolean;
}

export class CorrectPersonalDetailsCommand extends Command<CommandResult<PersonalDetailsCorrectedView>> {
  constructor(
    readonly patientId: string,
    readonly body: CorrectPersonalDetailsDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(CorrectPersonalDetailsCommand)
export class CorrectPersonalDetailsHandler implements ICommandHandler<CorrectPersonalDetailsCommand> {
  constructor(@Inject(COMMAND_PORTS) private readonly ports: CommandPorts) {}

  execute({ patientId, body, context }: CorrectPersonalDetailsCommand): Promise<CommandResult<PersonalDetailsCorrectedView>> {
    const data = { patientId, reason: body.reason, ...(body.name !== undefined ? { name: body.name } : {}), ...(body.phone !== undefined ? { phone: body.phone } : {}) };
    return this.ports.requests.run(context, async () => {
      const outcome = await this.ports.runner.patient(patientId, undefined, { type: 'CorrectPersonalDetails', data }, context);
      const corrected = outcome.events.find((e) => e.type === 'PersonalDetailsCorrected');
      return result(outcome, {
        patientId,
        correctionId: String(corrected?.data.correctionId ?? ''),
        corrected: ['name', 'phone'].filter((f) => f in data),
        phoneWrong: outcome.state.phoneWrong === true,
      });
    });
  }
}
