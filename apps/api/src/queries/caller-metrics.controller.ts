import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiRead } from '../http/openapi';
import { CallerMetricsInRange, ClinicCallerMetrics } from './query.responses';
import {
  CALLER_METRICS_PROJECTIONS,
  CLINIC_CALLER_METRICS_PROJECTIONS,
  readCallerMetrics,
  readClinicCallerMetrics,
} from '@rapport/projections';
import { Allow, AllowSelf } from '../auth/access.decorators';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { clinicScope, OVERSEERS, Principal } from '@rapport/access';
import { ClientIdPipe } from '../http/client-id.pipe';
import { RangeQueryDto, rangeOf } from './query-params';
import { QueryRunner } from './query-runner';

const METRICS = 'attempts, reached, contactRate (reached ÷ attempts), appointmentsBooked, conversionRate (booked ÷ reached), referralsRequested, referralsConverted, objectionsRaised, objectionsResolved';

/** Conversion metrics per caller, for any [from, to) range (calls count at their startedAt, other facts at recordedAt). */
@ApiTags('queries')
@Controller('v1')
export class CallerMetricsController {
  constructor(private readonly queries: QueryRunner) {}

  @Get('callers/:callerId/metrics')
  @AllowSelf('callerId')
  @Allow(...OVERSEERS)
  @ApiRead({
    operationId: 'getCallerMetrics',
    summary: 'A caller’s contact and conversion figures',
    description: `${METRICS}, in [from, to), across the clinics of the token (every clinic with *). The caller themself, or an overseer. Calls count at their startedAt, other facts at their recordedAt.`,
    response: CallerMetricsInRange,
    errors: [400, 401, 403, 503],
  })
  async caller(@Param('callerId', ClientIdPipe) callerId: string, @Query() query: RangeQueryDto, @CurrentPrincipal() principal: Principal) {
    const range = rangeOf(query);
    return this.queries.run(CALLER_METRICS_PROJECTIONS, query.minPosition, () => readCallerMetrics(this.queries.db, callerId, range, clinicScope(principal)));
  }

  @Get('clinics/:clinicId/callers/metrics')
  @Allow(...OVERSEERS)
  @ApiRead({
    operationId: 'getClinicCallerMetrics',
    summary: 'Every caller’s figures at a clinic',
    description: `${METRICS}, per caller of one clinic, in [from, to).`,
    response: ClinicCallerMetrics,
    errors: [400, 401, 403, [404, 'The clinic is not configured.'], 503],
  })
  async clinic(@Param('clinicId', ClientIdPipe) clinicId: string, @Query() query: RangeQueryDto) {
    const range = rangeOf(query);
    return this.queries.run(CLINIC_CALLER_METRICS_PROJECTIONS, query.minPosition, () => readClinicCallerMetrics(this.queries.db, clinicId, range));
  }
}
