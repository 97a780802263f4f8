import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RECORDERS } from '@rapport/access';
import { FollowUpClaimed } from '../recording/recording.responses';
import { ApiCommand } from '../http/openapi';
import { Allow } from '../auth/access.decorators';
import { sendCommandResponse } from '../http/command-response';
import { requestContext } from '../http/request-context';
import { FollowUpIdPipe } from '../recording/follow-up-id.pipe';
import { ClaimFollowUpCommand, ClaimFollowUpDto } from './claims';

@ApiTags('follow-ups')
@Controller('v1/follow-ups')
export class ClaimsController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':followUpId/claim')
  @Allow(...RECORDERS)
  @HttpCode(201)
  @ApiCommand({
      operationId: 'claimFollowUp',
      summary: 'Claim a follow-up while calling',
      description: 'Records FollowUpClaimed: the signed-in person is on this call until `until` (released by the next call on it); the queue shows the claim.',
      response: FollowUpClaimed,
      errors: [[404, '`unknown_follow_up`.'], [409, '`follow_up_claimed`: someone else holds it (the message names who), or an Idempotency-Key conflict.'], [422, '`follow_up_closed`.']],
    })
  async claim(@Param('followUpId', FollowUpIdPipe) followUpId: string, @Body() body: ClaimFollowUpDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return sendCommandResponse(reply, await this.commands.execute(new ClaimFollowUpCommand(followUpId, body, requestContext(req, body))));
  }
}
