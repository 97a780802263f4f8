import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { readTimeline, TIMELINE_PROJECTIONS } from '@rapport/projections';
import { AccessLog } from '../audit/access-log';
import { Allow } from '../auth/access.decorators';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { PatientDirectory } from '../auth/patient-directory';
import { Principal, READERS } from '@rapport/access';
import { ClientIdPipe } from '../http/client-id.pipe';
import { ReadYourWritesQuery } from './query-params';
import { QueryRunner } from './query-runner';

/** The relationship timeline a caller reads beside the call form; every read is itself recorded. */
@ApiTags('queries')
@Controller('v1/patients')
export class TimelineController {
  constructor(
    private readonly queries: QueryRunner,
    private readonly accessLog: AccessLog,
    private readonly patients: PatientDirectory,
  ) {}

  @Get(':patientId/timeline')
  @Allow(...READERS)
  @ApiOkResponse({ description: 'one entry per fact, oldest first, each with type, at, a one-line summary and the ids it names' })
  async timeline(@Param('patientId', ClientIdPipe) patientId: string, @Query() query: ReadYourWritesQuery, @CurrentPrincipal() principal: Principal) {
    const timeline = await this.queries.run(TIMELINE_PROJECTIONS, query.minPosition, () => readTimeline(this.queries.db, patientId));
    if (!timeline) throw new NotFoundException(`patient ${patientId} has no timeline (no record, or not projected yet: pass ?minPosition=)`);
    const clinicId = await this.patients.clinicOf(patientId);
    if (clinicId) await this.accessLog.recordRead(principal, { patientId, clinicId, what: 'timeline' });
    return timeline;
  }
}
