import { Controller, Get, Inject, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { patientStream } from '@rapport/domain';
import type { EventStore } from '@rapport/event-store';
import { readTimeline, TIMELINE_PROJECTIONS } from '@rapport/projections';
import { AccessLog } from '../audit/access-log';
import { RAW_EVENT_STORE } from '../audit/audit-tokens';
import { Allow } from '../auth/access.decorators';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { PatientDirectory } from '../auth/patient-directory';
import { Principal, READERS } from '@rapport/access';
import { ClientIdPipe } from '../http/client-id.pipe';
import { ApiRead } from '../http/openapi';
import { ReadYourWritesQuery } from './query-params';
import { Timeline } from './query.responses';
import { QueryRunner } from './query-runner';

/** The relationship timeline a caller reads beside the call form; every read is itself recorded. */
@ApiTags('queries')
@Controller('v1/patients')
export class TimelineController {
  constructor(
    private readonly queries: QueryRunner,
    private readonly accessLog: AccessLog,
    private readonly patients: PatientDirectory,
    @Inject(RAW_EVENT_STORE) private readonly raw: EventStore,
  ) {}

  @Get(':patientId/timeline')
  @Allow(...READERS)
  @ApiRead({
    operationId: 'getTimeline',
    summary: 'A patient’s relationship timeline',
    description:
      'One entry per fact, oldest first, each with type, at, a one-line summary and the ids it names. The ETag is the revision of the patient’s record the timeline ' +
      'shows: send it as If-Match to record only if nothing happened since. Every read is itself recorded.',
    response: Timeline,
    etag: true,
    errors: [400, 401, 403, [404, 'The patient has no record (or it is not projected yet: pass ?minPosition=).'], 503],
  })
  async timeline(
    @Param('patientId', ClientIdPipe) patientId: string,
    @Query() query: ReadYourWritesQuery,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { timeline, projected } = await this.queries.run(TIMELINE_PROJECTIONS, query.minPosition, async () => {
      // Where the projection stood before it was read: the timeline shows at least that much.
      const position = await this.queries.projectedPosition(TIMELINE_PROJECTIONS);
      return { timeline: await readTimeline(this.queries.db, patientId), projected: position };
    });
    if (!timeline) throw new NotFoundException(`patient ${patientId} has no timeline (no record, or not projected yet: pass ?minPosition=)`);
    void reply.header('ETag', `"${await this.revisionAt(patientId, projected)}"`);
    const clinicId = await this.patients.clinicOf(patientId);
    if (clinicId) await this.accessLog.recordRead(principal, { patientId, clinicId, what: 'timeline' });
    return timeline;
  }

  /** The patient stream's revision as of a global position (its last event at or before it). */
  private async revisionAt(patientId: string, position: number): Promise<number> {
    const events = await this.raw.readStream(patientStream(patientId));
    let revision = -1;
    for (const event of events) if (event.position <= position) revision = event.revision;
    return revision;
  }
}
