import { Body, Controller, Get, HttpCode, Param, Put, Query, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MANAGERS, READERS } from '@rapport/access';
import { readStaff } from '@rapport/projections';
import { StaffDirectory, StaffMemberRecorded } from './clinic.responses';
import { ApiCommand, ApiRead } from '../http/openapi';
import { Allow } from '../auth/access.decorators';
import { ClientIdPipe } from '../http/client-id.pipe';
import { sendCommandResponse } from '../http/command-response';
import { requestContext } from '../http/request-context';
import { ReadYourWritesQuery } from '../queries/query-params';
import { QueryRunner } from '../queries/query-runner';
import { RegisterStaffMemberCommand, StaffMemberDto } from './staff';

/** The clinic's staff directory: names for the ids on every screen (issue 16 item 6). */
@ApiTags('clinics')
@Controller('v1/clinics')
export class StaffController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryRunner,
  ) {}

  @Put(':clinicId/staff/:staffId')
  @Allow(...MANAGERS)
  @HttpCode(201)
  @ApiCommand({
      operationId: 'registerStaffMember',
      summary: 'Register or change a staff member',
      description: 'Records StaffMemberRegistered (a new id) or StaffMemberChanged (nothing when the same): the names the screens and reports put beside the ids.',
      response: StaffMemberRecorded,
      errors: [[404, '`unknown_clinic`: configure the clinic first.'], 422],
    })
  async put(
    @Param('clinicId', ClientIdPipe) clinicId: string,
    @Param('staffId', ClientIdPipe) staffId: string,
    @Body() body: StaffMemberDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return sendCommandResponse(reply, await this.commands.execute(new RegisterStaffMemberCommand(clinicId, staffId, body, requestContext(req, body))));
  }

  @Get(':clinicId/staff')
  @Allow(...READERS)
  @ApiRead({
      operationId: 'getStaffDirectory',
      summary: 'A clinic’s staff directory',
      description: 'The staff directory, by name, those who left too (old calls name them).',
      response: StaffDirectory,
      errors: [400, 401, 403, [404, 'The clinic is not configured.'], 503],
    })
  async list(@Param('clinicId', ClientIdPipe) clinicId: string, @Query() query: ReadYourWritesQuery) {
    return this.queries.run(['clinics'], query.minPosition, () => readStaff(this.queries.db, clinicId));
  }
}
