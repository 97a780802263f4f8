import { Controller, ForbiddenException, Get, Inject, PayloadTooLargeException, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ChainReport, verifyChain } from '../../../../libs/audit/src';
import type { EventStore } from '../../../../libs/event-store/src';
import {
  ACCESS_LOG_PROJECTIONS,
  AUDIT_ATTEMPTS_PROJECTIONS,
  AuditExportTooLargeError,
  readAccessLog,
  readAuditAttempts,
} from '../../../../libs/projections/src';
import { Allow } from '../auth/access.decorators';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { AUDITORS, clinicScope, OVERSEERS, Principal } from '../auth/roles';
import { InvalidInputException } from '../http/errors';
import { rangeOf } from '../queries/query-params';
import { QueryRunner } from '../queries/read-your-writes';
import { AuditAccessQueryDto, AuditAttemptsQueryDto } from './audit-query.dto';
import { RAW_EVENT_STORE } from './audit-tokens';
import { AUDIT_CSV_COLUMNS, attemptsCsv } from './attempts-csv';

/** The auditors' views: the hash chain checked, every contact attempt, every read of a record. */
@ApiTags('audit')
@Controller('v1/audit')
export class AuditController {
  constructor(
    @Inject(RAW_EVENT_STORE) private readonly raw: EventStore,
    private readonly queries: QueryRunner,
  ) {}

  @Get('verify')
  @Allow(...AUDITORS)
  @ApiOkResponse({
    description:
      'walks every stream of the log as stored and checks each event’s hash chain: { ok, streams, events, firstBroken?, broken } — ' +
      'firstBroken names the first broken event (stream, revision, position, eventId, type, reason). Needs a token for every clinic (*).',
  })
  async verify(@CurrentPrincipal() principal: Principal): Promise<ChainReport> {
    if (clinicScope(principal)) throw new ForbiddenException('verification walks every clinic’s streams: it needs a token for all clinics (*)');
    return verifyChain(this.raw);
  }

  @Get('attempts')
  @Allow(...OVERSEERS)
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    description:
      'every contact attempt (failed ones too) matching the filters, oldest first, each with its corrections; limited to the token’s clinics. ' +
      `format=csv: one row per attempt and below it one per correction; columns ${AUDIT_CSV_COLUMNS.join(', ')}`,
  })
  async attempts(@Query() query: AuditAttemptsQueryDto, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply) {
    const range = rangeOf(query);
    const scope = clinicScope(principal);
    const filter = {
      ...pick(query, ['patientId', 'callerId', 'clinicId']),
      ...range,
      ...(scope ? { clinicIds: scope } : {}),
    };
    const attempts = await this.queries
      .run(AUDIT_ATTEMPTS_PROJECTIONS, query.minPosition, () => readAuditAttempts(this.queries.db, filter))
      .catch((error: unknown) => {
        if (error instanceof AuditExportTooLargeError) throw new PayloadTooLargeException(error.message);
        throw error;
      });
    if (query.format === 'csv') {
      void reply.header('content-type', 'text/csv; charset=utf-8');
      void reply.header('content-disposition', `attachment; filename="rapport-attempts${query.clinicId ? `-${query.clinicId}` : ''}.csv"`);
      return attemptsCsv(attempts);
    }
    return { ...pick(query, ['patientId', 'callerId', 'clinicId', 'from', 'to']), attempts };
  }

  @Get('access')
  @Allow(...AUDITORS)
  @ApiOkResponse({ description: 'who read which patient’s events or timeline, and when, oldest first: { entries: [{ at, userId, role, patientId, clinicId, what }], truncated }' })
  async access(@Query() query: AuditAccessQueryDto, @CurrentPrincipal() principal: Principal) {
    const range = rangeOf(query);
    const limit = query.limit ? Number(query.limit) : 1000;
    if (limit < 1 || limit > 10_000) throw new InvalidInputException([{ field: 'limit', message: 'limit must be a whole number from 1 to 10000' }]);
    const scope = clinicScope(principal);
    return this.queries.run(ACCESS_LOG_PROJECTIONS, query.minPosition, () =>
      readAccessLog(this.queries.db, { ...pick(query, ['patientId', 'userId', 'clinicId']), ...range, ...(scope ? { clinicIds: scope } : {}), limit }),
    );
  }
}

/** The given keys that are set. */
function pick<T extends object, K extends keyof T>(object: T, keys: K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(keys.filter((k) => object[k] !== undefined).map((k) => [k, object[k]])) as Partial<Pick<T, K>>;
}
