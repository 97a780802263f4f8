import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Allow } from '../auth/access.decorators';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { Principal, RECORDERS } from '@rapport/access';
import { sendCommandResponse } from '../http/command-response';
import { requestContext } from '../http/request-context';
import { CorrectRecordCommand } from './correct-record.command';
import { CorrectionDto } from './correction.dto';

/** Nothing is edited: a wrong record gets a correction that points at it. */
@ApiTags('recording')
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Controller('v1/corrections')
export class CorrectionsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Allow(...RECORDERS)
  @HttpCode(201)
  @ApiCreatedResponse({
    description:
      'CallRecordCorrected (or Objection-, Referral-, Appointment-, TreatmentRecordCorrected) in the patient’s stream: ' +
      '{ correctionId, eventId, type, correctsEventId, patientId, corrected, previous }',
  })
  async correct(@Body() body: CorrectionDto, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return sendCommandResponse(reply, await this.commands.execute(new CorrectRecordCommand(body, principal, requestContext(req, body))));
  }
}
