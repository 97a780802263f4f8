import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, Put, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Allow } from '../auth/access.decorators';
import { MANAGERS, READERS } from '@rapport/access';
import { clinicConfiguration, ClinicView } from '../application/clinics';
import { COMMAND_PORTS, CommandPorts } from '../application/command-ports';
import { sendCommandResponse } from '../http/command-response';
import { ClientIdPipe } from '../http/client-id.pipe';
import { requestContext } from '../http/request-context';
import { ConfigureClinicCommand } from './configure-clinic.command';
import { ConfigureClinicDto } from './configure-clinic.dto';

@ApiTags('clinics')
@Controller('v1/clinics')
export class ClinicsController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(COMMAND_PORTS) private readonly ports: CommandPorts,
  ) {}

  @Put(':clinicId')
  @Allow(...MANAGERS)
  @HttpCode(201)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ description: 'ClinicConfigured recorded (nothing when the configuration is unchanged)' })
  async configure(
    @Param('clinicId', ClientIdPipe) clinicId: string,
    @Body() body: ConfigureClinicDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ClinicView> {
    const response = await this.commands.execute(new ConfigureClinicCommand(clinicId, body, requestContext(request, body)));
    return sendCommandResponse(reply, response);
  }

  @Get(':clinicId')
  @Allow(...READERS)
  @ApiOkResponse({ description: 'the clinic as configured' })
  async get(@Param('clinicId', ClientIdPipe) clinicId: string): Promise<ClinicView & { protocol: unknown }> {
    const clinic = await clinicConfiguration(this.ports, clinicId);
    if (!clinic) throw new NotFoundException(`clinic ${clinicId} is not configured`);
    return clinic;
  }
}
