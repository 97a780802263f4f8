import { ConflictException, Controller, ForbiddenException, Get, Inject, PayloadTooLargeException, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiRead } from '../http/openapi';
import { AccessLogPage, AnchorExport as AnchorExportView, AuditAttempts, AuditReport as AuditReportView } from './audit.responses';
import type { FastifyReply } from 'fastify';
import { AnchorExport, AuditReport, exportAuditAnchor, verifyAuditTrail } from '@rapport/audit';
import type { EventStore } from '@rapport/event-store';
import {
  ACCESS_LOG_PROJECTIONS,
  AUDIT_ATTEMPTS_PROJECTIONS,
  AuditExportTooLargeError,
  readAccessLog,
  readAuditAttempts,
} from '@rapport/projections';
import { Allow } from '../auth/access.decorators';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { AUDITORS, clinicScope, OVERSEERS, Principal } from '@rapport/access';
import { RAPPORT_CONFIG, RapportConfig } from '@rapport/config';
import { InvalidInputException } from '../http/errors';
import { rangeOf } from '../queries/query-params';
import { QueryRunner } from '../queries/query-runner';
import { AuditAccessQueryDto, AuditAttemptsQueryDto } from './audit-query.dto';
import { RAW_EVENT_STORE } from './audit-tokens';
import { AUDIT_CSV_COLUMNS, attemptsCsv } from './attempts-csv';
import { sendCsv } from '../http/csv';

/** The auditors' views: the hash chain checked, every contact attempt, every read of a record. */
@ApiTags('audit')
@Controller('v1/audit')
export class AuditController {
  constructor(
    @Inject(RAW_EVENT_STORE) private readonly raw: EventStore,
    private readonly queries: QueryRunner,
    @Inject(RAPPORT_CONFIG) private readonly config: RapportConfig,
  ) {}

  @Get('verify')
  @Allow(...AUDITORS)
  @ApiRead({
    operationId: 'verifyAuditTrail',
    summary: 'Check the hash chains and the audit anchor',
    description:
      'Walks the log as stored with its audit anchor, by position: each stream’s hash chain, and each event against the anchor’s keyed running head ' +
      '(deleted, moved or rewritten events, a cut tail, an edited anchor). firstBroken names the first problem in global order; broken lists each stream’s first ' +
      'broken hash chain. Needs a token for every clinic (*).',
    response: AuditReportView,
    errors: [401, [403, 'The role may not, or the token is not for every clinic (*).']],
  })
  async verify(@CurrentPrincipal() principal: Principal): Promise<AuditReport> {
    if (clinicScope(principal)) throw new ForbiddenException('verification walks every clinic’s streams: it needs a token for all clinics (*)');
    return verifyAuditTrail(this.raw, { dataDir: this.config.dataDir });
  }

  @Get('anchor')
  @Allow(...AUDITORS)
  @ApiRead({
    operationId: 'exportAuditAnchor',
    summary: 'The signed head of the audit anchor',
    description:
      'The signed head of the audit anchor, for a clinic to keep off this machine: the same JSON as `npm run verify -- --export-anchor FILE`; ' +
      '`npm run verify -- --anchor FILE` later checks the log still holds that prefix. Made only when the log verifies. Needs a token for every clinic (*).',
    response: AnchorExportView,
    errors: [401, [403, 'The role may not, or the token is not for every clinic (*).'], [409, 'The log does not verify (the first problem named), or nothing is anchored yet.']],
  })
  async anchor(@CurrentPrincipal() principal: Principal): Promise<AnchorExport> {
    if (clinicScope(principal)) throw new ForbiddenException('the anchor covers every clinic’s streams: it needs a token for all clinics (*)');
    const { report, exported } = await exportAuditAnchor(this.raw, { dataDir: this.config.dataDir });
    if (!report.ok) throw new ConflictException(`the log does not verify, so no anchor is exported: ${report.firstBroken!.reason} (position ${report.firstBroken!.position}, event ${report.firstBroken!.eventId})`);
    if (!exported) throw new ConflictException('nothing is anchored yet: there is no head to export');
    return exported;
  }

  @Get('attempts')
  @Allow(...OVERSEERS)
  @ApiRead({
    operationId: 'getAuditAttempts',
    summary: 'Every contact attempt',
    description:
      'Every contact attempt (failed ones too) matching the filters, oldest first by the claimed start, each with who recorded it and its corrections; limited to the ' +
      `token’s clinics. format=csv: one row per attempt and below it one per correction; columns ${AUDIT_CSV_COLUMNS.join(', ')}.`,
    response: AuditAttempts,
    csv: true,
    errors: [400, 401, 403, [413, 'More than 100,000 attempts match: narrow the filters.'], 503],
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
      return sendCsv(reply, `rapport-attempts${query.clinicId ? `-${query.clinicId}` : ''}.csv`, attemptsCsv(attempts));
    }
    return { ...pick(query, ['patientId', 'callerId', 'clinicId', 'from', 'to']), attempts };
  }

  @Get('access')
  @Allow(...AUDITORS)
  @ApiRead({
    operationId: 'getAccessLog',
    summary: 'Who read which patient’s record',
    description: 'Who read which patient’s events or timeline (or was shown them in a queue or the feed), and when, oldest first; limited to the token’s clinics.',
    response: AccessLogPage,
    errors: [400, 401, 403, 503],
  })
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
