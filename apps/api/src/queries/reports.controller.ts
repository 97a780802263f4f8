import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { BEST_TIMES_PROJECTIONS, readBestTimes, readWeeklyReport, WEEKLY_REPORT_PROJECTIONS } from '@rapport/projections';
import { CLOCK, Clock } from '../clock';
import { Allow } from '../auth/access.decorators';
import { OVERSEERS } from '@rapport/access';
import { ClientIdPipe } from '../http/client-id.pipe';
import { RangeQueryDto, rangeOf, WeekQueryDto } from './query-params';
import { QueryRunner } from './query-runner';

/** What a clinic manager reads: when to call, and the week in numbers. */
@ApiTags('queries')
@Allow(...OVERSEERS)
@Controller('v1/clinics/:clinicId/reports')
export class ReportsController {
  constructor(
    private readonly queries: QueryRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('best-times')
  @ApiOkResponse({ description: 'contact and conversion rate by local hour of day and weekday (1 = Monday) in the clinic’s zone: { cells: [...] }' })
  async bestTimes(@Param('clinicId', ClientIdPipe) clinicId: string, @Query() query: RangeQueryDto) {
    const range = rangeOf(query);
    return this.queries.run(BEST_TIMES_PROJECTIONS, query.minPosition, () => readBestTimes(this.queries.db, clinicId, range));
  }

  @Get('weekly')
  @ApiOkResponse({
    description:
      'Monday to Sunday in the clinic’s zone: due (callers’ follow-ups first due in the week), made, reached, overdue (due ones nobody tried ' +
      'by the end of their local due day), booked, referrals, referralsConverted, complaints (doctor callbacks scheduled), outcomes',
  })
  async weekly(@Param('clinicId', ClientIdPipe) clinicId: string, @Query() query: WeekQueryDto) {
    const now = this.clock.now().epochMilliseconds;
    return this.queries.run(WEEKLY_REPORT_PROJECTIONS, query.minPosition, () => readWeeklyReport(this.queries.db, clinicId, query.week, now));
  }
}
