import { Controller, Get, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { ContactPreferences } from '@rapport/domain';
import { COMMAND_PORTS, CommandPorts } from '../application/command-ports';
import { contactPreferences } from '../application/recording';
import { ApiTags } from '@nestjs/swagger';
import { ApiRead } from '../http/openapi';
import { PatientPreferences } from '../recording/recording.responses';
import { PatientEvents } from './event.responses';
import type { RecordedEvent } from '@rapport/event-store';
import { AccessLog } from '../audit/access-log';
import { Allow } from '../auth/access.decorators';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { Principal, READERS } from '@rapport/access';
import { ClientIdPipe } from '../http/client-id.pipe';
import { PatientHistory } from './patient-history';

/** The audit view: a patient's stream as stored (personal data opened, or shown as erased); every read is itself recorded. */
@ApiTags('patients')
@Controller('v1/patients')
export class PatientEventsController {
  constructor(
    private readonly history: PatientHistory,
    private readonly accessLog: AccessLog,
    @Inject(COMMAND_PORTS) private readonly ports: CommandPorts,
  ) {}

  @Get(':patientId/events')
  @Allow(...READERS)
  @ApiRead({
    operationId: 'getPatientEvents',
    summary: 'Read a patient’s stream as stored',
    description:
      'The audit view: every event of the patient’s stream with type, data, metadata, stream revision and global position (personal data opened, or shown as erased). ' +
      'Read from the log itself, so never behind. Every read is itself recorded.',
    response: PatientEvents,
    errors: [400, 401, 403, [404, 'The patient has no record.']],
  })
  async events(@Param('patientId', ClientIdPipe) patientId: string, @CurrentPrincipal() principal: Principal): Promise<{ patientId: string; stream: string; events: RecordedEvent[] }> {
    const { stream, events } = await this.history.of(patientId);
    if (events.length === 0) throw new NotFoundException(`patient ${patientId} has no record`);
    await this.accessLog.recordRead(principal, { patientId, clinicId: String(events[0]!.data.clinicId), what: 'events' });
    return { patientId, stream, events };
  }

  @Get(':patientId/preferences')
  @Allow(...READERS)
  @ApiRead({
    operationId: 'getContactPreferences',
    summary: 'Read a patient’s contact preferences',
    description: 'The contact preferences as they stand, from the patient’s own stream. The ETag is the record’s revision: send it back as If-Match to change them only if nobody else has since.',
    response: PatientPreferences,
    etag: true,
    errors: [400, 401, 403, [404, 'The patient has no record.']],
  })
  async preferences(@Param('patientId', ClientIdPipe) patientId: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<{ patientId: string; preferences: ContactPreferences }> {
    const current = await contactPreferences(this.ports, patientId);
    if (!current) throw new NotFoundException(`patient ${patientId} has no record`);
    void reply.header('ETag', `"${current.revision}"`);
    return { patientId, preferences: current.preferences };
  }
}
