import { Inject } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { CLAIM_MINUTES } from '@rapport/domain';
import type { CommandContext, CommandResult } from '../application/command-context';
import { COMMAND_PORTS, CommandPorts } from '../application/command-ports';
import { patientOfFollowUp, result } from '../application/recording';

/** POST /v1/follow-ups/:followUpId/claim: how long the caller expects to be on it. */
export class ClaimFollowUpDto {
  @ApiPropertyOptional({ description: 'minutes nobody else should dial (default 10)', minimum: CLAIM_MINUTES.min, maximum: CLAIM_MINUTES.max, type: 'integer' })
  @IsOptional()
  @IsInt()
  @Min(CLAIM_MINUTES.min)
  @Max(CLAIM_MINUTES.max)
  minutes?: number;
}

export interface FollowUpClaimView {
  followUpId: string;
  patientId: string;
  claimedBy: string;
  until: string;
}

export const DEFAULT_CLAIM_MINUTES = 10;

export class ClaimFollowUpCommand extends Command<CommandResult<FollowUpClaimView>> {
  constructor(
    readonly followUpId: string,
    readonly body: ClaimFollowUpDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** The claim is the signed-in person's own: nobody claims a call for somebody else. */
@CommandHandler(ClaimFollowUpCommand)
export class ClaimFollowUpHandler implements ICommandHandler<ClaimFollowUpCommand> {
  constructor(@Inject(COMMAND_PORTS) private readonly ports: CommandPorts) {}

  execute({ followUpId, body, context }: ClaimFollowUpCommand): Promise<CommandResult<FollowUpClaimView>> {
    const patientId = patientOfFollowUp(followUpId);
    const claimedBy = context.principal.userId;
    return this.ports.requests.run(context, async () => {
      const outcome = await this.ports.runner.patient(patientId, undefined, { type: 'ClaimFollowUp', data: { patientId, followUpId, claimedBy, minutes: body.minutes ?? DEFAULT_CLAIM_MINUTES } }, context);
      const claim = outcome.state.followUps.get(followUpId)?.claim;
      return result(outcome, { followUpId, patientId, claimedBy, until: claim?.until ?? '' });
    });
  }
}
