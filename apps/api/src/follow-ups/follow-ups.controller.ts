import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { READERS, Principal } from '@rapport/access';
import { readFollowUpsToReview, REVIEW_PROJECTIONS, REVIEW_STATUSES, ReviewStatus } from '@rapport/projections';
import { AccessLog, patientsByClinic } from '../audit/access-log';
import { ApiRead } from '../http/openapi';
import { FollowUpsToReview } from '../queries/query.responses';
import { Allow } from '../auth/access.decorators';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { ClientIdPipe } from '../http/client-id.pipe';
import { IsWholeNumber, ReadYourWritesQuery } from '../queries/query-params';
import { QueryRunner } from '../queries/query-runner';

export class FollowUpsToReviewQueryDto extends ReadYourWritesQuery {
  @ApiProperty({ enum: REVIEW_STATUSES, description: 'needs_number: waiting for a phone after a wrong number; unreachable, expired: closed so' })
  @IsIn(REVIEW_STATUSES)
  status!: ReviewStatus;
  @ApiPropertyOptional({ type: 'integer', description: 'at most this many (default 50)', minimum: 1, maximum: 500 }) @IsOptional() @IsWholeNumber(1, 500) limit?: string;
}

/** The follow-ups staff look at outside the queue (API.md `GET /v1/clinics/:clinicId/follow-ups`). */
@ApiTags('queries')
@Controller('v1/clinics')
export class FollowUpsController {
  constructor(
    private readonly queries: QueryRunner,
    private readonly accessLog: AccessLog,
  ) {}

  @Get(':clinicId/follow-ups')
  @Allow(...READERS)
  @ApiRead({
      operationId: 'getFollowUpsToReview',
      summary: 'Follow-ups to look at outside the queue',
      description:
        'needs_number: open follow-ups of patients whose phone a call found wrong, longest due first (back in the queue once a phone is given); unreachable / expired: ' +
        'follow-ups closed so, most recently closed first. Who was shown which patient is recorded.',
      response: FollowUpsToReview,
      errors: [400, 401, 403, [404, 'The clinic is not configured.'], 503],
    })
  async list(@Param('clinicId', ClientIdPipe) clinicId: string, @Query() query: FollowUpsToReviewQueryDto, @CurrentPrincipal() principal: Principal) {
    const list = await this.queries.run(REVIEW_PROJECTIONS[query.status], query.minPosition, () => readFollowUpsToReview(this.queries.db, clinicId, query.status, query.limit ? Number(query.limit) : 50));
    // Names and phones are shown: who saw whom is recorded before it is answered.
    for (const [listedClinic, patientIds] of patientsByClinic(list.items)) await this.accessLog.recordListed(principal, { clinicId: listedClinic, what: 'follow_ups', patientIds });
    return list;
  }
}
