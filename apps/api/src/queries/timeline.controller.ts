import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { readTimeline, TIMELINE_PROJECTIONS } from '../../../../libs/projections/src';
import { ClientIdPipe } from '../http/client-id.pipe';
import { ReadYourWritesQuery } from './query-params';
import { QueryRunner } from './read-your-writes';

/** The relationship timeline a caller reads beside the call form. */
@ApiTags('queries')
@Controller('v1/patients')
export class TimelineController {
  constructor(private readonly queries: QueryRunner) {}

  @Get(':patientId/timeline')
  @ApiOkResponse({ description: 'one entry per fact, oldest first, each with type, at, a one-line summary and the ids it names' })
  async timeline(@Param('patientId', ClientIdPipe) patientId: string, @Query() query: ReadYourWritesQuery) {
    const timeline = await this.queries.run(TIMELINE_PROJECTIONS, query.minPosition, () => readTimeline(this.queries.db, patientId));
    if (!timeline) throw new NotFoundException(`patient ${patientId} has no timeline (no record, or not projected yet: pass ?minPosition=)`);
    return timeline;
  }
}
