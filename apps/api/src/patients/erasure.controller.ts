import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { ApiCommand } from '../http/openapi';
import { ErasureRecorded } from '../recording/recording.responses';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Allow } from '../auth/access.decorators';
import { MANAGERS } from '@rapport/access';
import { ClientIdPipe } from '../http/client-id.pipe';
import { sendCommandResponse } from '../http/command-response';
import { requestContext } from '../http/request-context';
import { ErasePersonalDataCommand, ErasureDto } from './erasure';

@ApiTags('patients')
@Controller('v1/patients')
export class ErasureController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':patientId/erasure')
  @Allow(...MANAGERS)
  @HttpCode(201)
  @ApiCommand({
    operationId: 'erasePersonalData',
    summary: 'Erase a patient’s personal data',
    description:
      'Destroys the patient’s key and records PersonalDataErased: names and phone numbers can no longer be read anywhere; the facts, the metrics and the hash chain stay. ' +
      'Asking again records nothing (`recorded: false`).',
    response: ErasureRecorded,
    errors: [[404, 'The patient has no record (`unknown_patient`).']],
  })
  async erase(
    @Param('patientId', ClientIdPipe) patientId: string,
    @Body() body: ErasureDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return sendCommandResponse(reply, await this.commands.execute(new ErasePersonalDataCommand(patientId, body, requestContext(req, body))));
  }
}
