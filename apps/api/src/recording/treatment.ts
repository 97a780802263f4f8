import { Inject } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { COMMAND_PORTS, CommandPorts } from '../application/command-ports';
import type { CommandContext, CommandResult } from '../application/command-context';
import { Type } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, Matches, ValidateNested } from 'class-validator';
import { CLIENT_ID, CLIENT_ID_MESSAGE, IsInstant } from '../http/validation';
import { plainData } from '../http/plain-data';
import { PersonalDetailsDto } from './personal-details.dto';
import { recordTreatment, TreatmentRecordedView } from '../application/recording';

/** POST /v1/treatments: a treatment was completed; the protocol schedules its follow-ups. */
export class RecordTreatmentDto {
  @ApiProperty() @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE }) treatmentId!: string;
  @ApiProperty() @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE }) patientId!: string;
  @ApiProperty() @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE }) clinicId!: string;
  @ApiProperty() @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE }) doctorId!: string;

  @ApiProperty({ example: 'implant_surgery', description: "a protocol procedure code, or a clinic's own" })
  @IsString()
  @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE })
  procedure!: string;

  @ApiProperty({ example: '2026-11-23T06:00:00Z' }) @IsInstant() completedAt!: string;

  @ApiPropertyOptional({ type: PersonalDetailsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PersonalDetailsDto)
  patient?: PersonalDetailsDto;

  @ApiPropertyOptional({ description: 'root-canal treatment: already restored' }) @IsOptional() @IsBoolean() restored?: boolean;
  @ApiPropertyOptional({ description: 'extraction: a prosthesis will be needed' }) @IsOptional() @IsBoolean() needsProsthesis?: boolean;
}

export class RecordTreatmentCommand extends Command<CommandResult<TreatmentRecordedView>> {
  constructor(
    readonly body: RecordTreatmentDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RecordTreatmentCommand)
export class RecordTreatmentHandler implements ICommandHandler<RecordTreatmentCommand> {
  constructor(@Inject(COMMAND_PORTS) private readonly ports: CommandPorts) {}

  execute({ body, context }: RecordTreatmentCommand): Promise<CommandResult<TreatmentRecordedView>> {
    return recordTreatment(this.ports, plainData(body), context);
  }
}
