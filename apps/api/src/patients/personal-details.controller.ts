import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RECORDERS } from '@rapport/access';
import { PersonalDetailsCorrected } from '../recording/recording.responses';
import { ApiCommand } from '../http/openapi';
import { Allow } from '../auth/access.decorators';
import { ClientIdPipe } from '../http/client-id.pipe';
import { sendCommandResponse } from '../http/command-response';
import { requestContext } from '../http/request-context';
import { CorrectPersonalDetailsCommand, CorrectPersonalDetailsDto } from './personal-details';

@ApiTags('patients')
@Controller('v1/patients')
export class PersonalDetailsController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':patientId/personal-details')
  @Allow(...RECORDERS)
  @HttpCode(201)
  @ApiCommand({
      operationId: 'correctPersonalDetails',
      summary: 'Correct a patient’s name or phone',
      description:
        'Records PersonalDetailsCorrected: the name or phone as now known (sealed under the patient’s key), and why; a phone brings the follow-ups that waited for a ' +
        'number back to the queue.',
      response: PersonalDetailsCorrected,
      errors: [[404, 'The patient has no record (`unknown_patient`).'], [422, '`nothing_to_correct`, `patient_erased`.']],
    })
  async correct(@Param('patientId', ClientIdPipe) patientId: string, @Body() body: CorrectPersonalDetailsDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return sendCommandResponse(reply, await this.commands.execute(new CorrectPersonalDetailsCommand(patientId, body, requestContext(req, body))));
  }
}
