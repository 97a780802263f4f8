import { Inject } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { OBJECTION_KINDS, OBJECTION_METHODS, ObjectionKind, ObjectionMethod } from '@rapport/domain';
import { COMMAND_PORTS, CommandPorts } from '../application/command-ports';
import type { CommandContext, CommandResult } from '../application/command-context';
import { CLIENT_ID, CLIENT_ID_MESSAGE, HasText, SERVER_ID, SERVER_ID_MESSAGE } from '../http/validation';
import { plainData } from '../http/plain-data';
import { raiseObjection } from '../application/recording';

/** POST /v1/objections: what held the patient back, and how the caller answered it (seed 002, §5). */
export class RaiseObjectionDto {
  @ApiProperty() @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE }) patientId!: string;
  @ApiProperty() @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE }) callerId!: string;
  @ApiProperty({ enum: OBJECTION_KINDS }) @IsIn(OBJECTION_KINDS) kind!: ObjectionKind;
  @ApiProperty({ example: 'cost' }) @IsString() @HasText() @MaxLength(100) topic!: string;
  @ApiProperty({ enum: OBJECTION_METHODS }) @IsIn(OBJECTION_METHODS) method!: ObjectionMethod;
  @ApiProperty() @IsBoolean() resolved!: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() answerable?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(SERVER_ID, { message: SERVER_ID_MESSAGE }) callId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class RaiseObjectionCommand extends Command<CommandResult<{ objectionId: string }>> {
  constructor(
    readonly body: RaiseObjectionDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RaiseObjectionCommand)
export class RaiseObjectionHandler implements ICommandHandler<RaiseObjectionCommand> {
  constructor(@Inject(COMMAND_PORTS) private readonly ports: CommandPorts) {}

  execute({ body, context }: RaiseObjectionCommand): Promise<CommandResult<{ objectionId: string }>> {
    return raiseObjection(this.ports, plainData(body), context);
  }
}
