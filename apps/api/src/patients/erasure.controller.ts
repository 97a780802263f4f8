import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Allow } from '../auth/access.decorators';
import { MANAGERS } from '@rapport/access';
import { ClientIdPipe } from '../http/client-id.pipe';
import { sendCommandResponse } from '../http/command-response';
import { requestContext } from '../http/request-context';
import { ErasePersonalDataCommand, ErasureDto } from './erasure';

@ApiTags('patients')
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Controller('v1/patients')
export class ErasureController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':patientId/erasure')
  @Allow(...MANAGERS)
  @HttpCode(201)
  @ApiCreatedResponse({
    description:
      'destroys the patient’s key and records PersonalDataErased: names and phone numbers can no longer be read anywhere; ' +
      'the facts, the metrics and the hash chain stay. { patientId, erased, recorded }',
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
