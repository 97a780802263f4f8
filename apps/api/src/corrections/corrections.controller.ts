import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CorrectionRecorded } from '../recording/recording.responses';
import { ApiCommand } from '../http/openapi';
import { Allow } from '../auth/access.decorators';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { Principal, RECORDERS } from '@rapport/access';
import { sendCommandResponse } from '../http/command-response';
import { requestContext } from '../http/request-context';
import { CorrectRecordCommand } from './correct-record.command';
import { CorrectionDto } from './correction.dto';

/** Nothing is edited: a wrong record gets a correction that points at it. */
@ApiTags('recording')
@Controller('v1/corrections')
export class CorrectionsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Allow(...RECORDERS)
  @HttpCode(201)
  @ApiCommand({
      operationId: 'correctRecord',
      summary: 'Correct a recorded fact',
      description:
        'Nothing is edited: a correction (CallRecordCorrected, ObjectionRecordCorrected, ReferralRecordCorrected, AppointmentRecordCorrected, TreatmentRecordCorrected) ' +
        'is recorded in the patient’s stream beside the fact it corrects, with the reason. Which fields a fact allows: docs/api.md; any other is a 400 `field_not_correctable`.',
      response: CorrectionRecorded,
      errors: [[404, '`unknown_event` (pass patientId when the event is not projected yet), `unknown_patient`.'], [422, '`not_correctable`, `correction_needs_reason`, `nothing_to_correct`, …']],
    })
  async correct(@Body() body: CorrectionDto, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return sendCommandResponse(reply, await this.commands.execute(new CorrectRecordCommand(body, principal, requestContext(req, body))));
  }
}
