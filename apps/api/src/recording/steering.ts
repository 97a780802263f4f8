import { Inject } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { COMMAND_PORTS, CommandPorts } from '../application/command-ports';
import type { CommandContext, CommandResult } from '../application/command-context';
import { addFollowUp, cancelFollowUp, FollowUpSteeredView, moveFollowUp } from '../application/recording';
import { CLIENT_ID, CLIENT_ID_MESSAGE, HasText, IsInstant } from '../http/validation';

/** POST /v1/patients/:patientId/follow-ups: a follow-up added by hand, with its purpose. */
export class AddFollowUpDto {
  @ApiProperty({ example: 'Ask how the new denture feels after a week of meals' }) @IsString() @HasText() @MaxLength(500) purpose!: string;
  @ApiProperty({ example: '2026-12-01T02:30:00Z', description: 'when to call; not in the past' }) @IsInstant() dueAt!: string;
  @ApiPropertyOptional({ description: 'a doctor whose own queue it lands in (GET /v1/doctors/:doctorId/queue); absent: the callers’ queue' })
  @IsOptional()
  @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE })
  assigneeId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @HasText() @MaxLength(2000) note?: string;
}

/** POST /v1/follow-ups/:followUpId/move: another time, and why. */
export class MoveFollowUpDto {
  @ApiProperty({ example: '2026-12-02T08:00:00Z', description: 'the new due time; not in the past' }) @IsInstant() dueAt!: string;
  @ApiProperty({ example: 'the patient is travelling until Tuesday' }) @IsString() @HasText() @MaxLength(500) reason!: string;
}

/** POST /v1/follow-ups/:followUpId/cancel: and why. */
export class CancelFollowUpDto {
  @ApiProperty({ example: 'the patient moved to another city' }) @IsString() @HasText() @MaxLength(500) reason!: string;
}

export class AddFollowUpCommand extends Command<CommandResult<FollowUpSteeredView>> {
  constructor(
    readonly patientId: string,
    readonly body: AddFollowUpDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}

export class MoveFollowUpCommand extends Command<CommandResult<FollowUpSteeredView>> {
  constructor(
    readonly followUpId: string,
    readonly body: MoveFollowUpDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}

export class CancelFollowUpCommand extends Command<CommandResult<FollowUpSteeredView>> {
  constructor(
    readonly followUpId: string,
    readonly body: CancelFollowUpDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(AddFollowUpCommand)
export class AddFollowUpHandler implements ICommandHandler<AddFollowUpCommand> {
  constructor(@Inject(COMMAND_PORTS) private readonly ports: CommandPorts) {}
  execute({ patientId, body, context }: AddFollowUpCommand): Promise<CommandResult<FollowUpSteeredView>> {
    return addFollowUp(this.ports, { patientId, ...body }, context);
  }
}

@CommandHandler(MoveFollowUpCommand)
export class MoveFollowUpHandler implements ICommandHandler<MoveFollowUpCommand> {
  constructor(@Inject(COMMAND_PORTS) private readonly ports: CommandPorts) {}
  execute({ followUpId, body, context }: MoveFollowUpCommand): Promise<CommandResult<FollowUpSteeredView>> {
    return moveFollowUp(this.ports, { followUpId, ...body }, context);
  }
}

@CommandHandler(CancelFollowUpCommand)
export class CancelFollowUpHandler implements ICommandHandler<CancelFollowUpCommand> {
  constructor(@Inject(COMMAND_PORTS) private readonly ports: CommandPorts) {}
  execute({ followUpId, body, context }: CancelFollowUpCommand): Promise<CommandResult<FollowUpSteeredView>> {
    return cancelFollowUp(this.ports, { followUpId, ...body }, context);
  }
}
