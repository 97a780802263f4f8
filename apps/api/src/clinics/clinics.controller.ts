import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, Put, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Allow } from '../auth/access.decorators';
import { MANAGERS, READERS } from '@rapport/access';
import { clinicConfiguration, ClinicView } from '../application/clinics';
import { COMMAND_PORTS, CommandPorts } from '../application/command-ports';
import { sendCommandResponse } from '../http/command-response';
import { ClientIdPipe } from '../http/client-id.pipe';
import { ApiCommand, ApiRead } from '../http/openapi';
import { requestContext } from '../http/request-context';
import { ClinicConfiguration, ClinicWithProtocol } from './clinic.responses';
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
  @ApiCommand({
    operationId: 'configureClinic',
    summary: 'Configure a clinic',
    description:
      'Records ClinicConfigured: time zone, call windows, calendar, work hours, prospects’ settings, urgent rules and (optionally) its own protocol. ' +
      'Nothing is recorded when the configuration is unchanged. Fields left out keep their value (calendar lists: `[]` or `{}` clears).',
    response: ClinicConfiguration,
    created: 'The clinic as configured now.',
    errors: [[422, 'A rule refused the configuration: `time_zone_unknown`, `call_windows_invalid`, `protocol_invalid`, `calendar_invalid`, `work_hours_invalid`, `urgent_rules_invalid`.']],
  })
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
  @ApiRead({
    operationId: 'getClinic',
    summary: 'Read a clinic’s configuration',
    description: 'The clinic as configured, with its protocol, read from the clinic’s own stream. The ETag is the stream’s revision: send it as If-Match to configure the clinic only if nobody has since.',
    response: ClinicWithProtocol,
    etag: true,
    errors: [400, 401, 403, [404, 'The clinic is not configured.']],
  })
  async get(@Param('clinicId', ClientIdPipe) clinicId: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const found = await clinicConfiguration(this.ports, clinicId);
    if (!found) throw new NotFoundException(`clinic ${clinicId} is not configured`);
    void reply.header('ETag', `"${found.revision}"`);
    return found.clinic;
  }
}
