import { Body, Controller, Get, HttpCode, Param, Put, Query, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MANAGERS, READERS } from '@rapport/access';
import { readStaff } from '@rapport/projections';
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
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({
    description:
      'StaffMemberRegistered (a new id) or StaffMemberChanged (nothing when the same): { clinicId, staffId, name, role, active }; ' +
      '404 unknown_clinic (configure it first); 400 naming the field',
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
  @ApiOkResponse({ description: 'the staff directory, by name: { clinicId, staff: [{ staffId, name, role, active }] } (those who left too: old calls name them)' })
  async list(@Param('clinicId', ClientIdPipe) clinicId: string, @Query() query: ReadYourWritesQuery) {
    return this.queries.run(['clinics'], query.minPosition, () => readStaff(this.queries.db, clinicId));
  }
}
