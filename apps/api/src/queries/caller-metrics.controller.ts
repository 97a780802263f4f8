import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  CALLER_METRICS_PROJECTIONS,
  CLINIC_CALLER_METRICS_PROJECTIONS,
  readCallerMetrics,
  readClinicCallerMetrics,
} from '../../../../libs/projections/src';
import { ClientIdPipe } from '../http/client-id.pipe';
import { RangeQueryDto, rangeOf } from './query-params';
import { QueryRunner } from './read-your-writes';

const METRICS = 'attempts, reached, contactRate (reached ÷ attempts), appointmentsBooked, conversionRate (booked ÷ reached), referralsRequested, referralsConverted, objectionsRaised, objectionsResolved';

/** Conversion metrics per caller, for any [from, to) range (calls count at their startedAt, other facts at recordedAt). */
@ApiTags('queries')
@Controller('v1')
export class CallerMetricsController {
  constructor(private readonly queries: QueryRunner) {}

  @Get('callers/:callerId/metrics')
  @ApiOkResponse({ description: `${METRICS}, across every clinic` })
  async caller(@Param('callerId', ClientIdPipe) callerId: string, @Query() query: RangeQueryDto) {
    const range = rangeOf(query);
    return this.queries.run(CALLER_METRICS_PROJECTIONS, query.minPosition, () => readCallerMetrics(this.queries.db, callerId, range));
  }

  @Get('clinics/:clinicId/callers/metrics')
  @ApiOkResponse({ description: `the same per caller, for one clinic: { callers: [...] }` })
  async clinic(@Param('clinicId', ClientIdPipe) clinicId: string, @Query() query: RangeQueryDto) {
    const range = rangeOf(query);
    return this.queries.run(CLINIC_CALLER_METRICS_PROJECTIONS, query.minPosition, () => readClinicCallerMetrics(this.queries.db, clinicId, range));
  }
}
