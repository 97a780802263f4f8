import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { READERS, Principal } from '@rapport/access';
import { readFollowUpsToReview, REVIEW_PROJECTIONS, REVIEW_STATUSES, ReviewStatus } from '@rapport/projections';
import { AccessLog, patientsByClinic } from '../audit/access-log';
import { Allow } from '../auth/access.decorators';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { ClientIdPipe } from '../http/client-id.pipe';
import { ReadYourWritesQuery } from '../queries/query-params';
import { QueryRunner } from '../queries/query-runner';

export class FollowUpsToReviewQueryDto extends ReadYourWritesQuery {
  @ApiProperty({ enum: REVIEW_STATUSES, description: 'needs_number: waiting for a phone after a wrong number; unreachable, expired: closed so' })
  @IsIn(REVIEW_STATUSES)
  status!: ReviewStatus;
  @ApiPropertyOptional({ description: 'at most this many (default 50)', minimum: 1, maximum: 500 })
  @IsOptional()
  @Matches(/^([1-9]\d{0,1}|[1-4]\d{2}|500)$/, { message: 'limit must be a whole number from 1 to 500' })
  limit?: string;
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
  @ApiOkResponse({
    description:
      'needs_number: open follow-ups of patients whose phone a call found wrong, longest due first (back in the queue once a phone is given); ' +
      'unreachable / expired: follow-ups closed so, most recently closed first. { clinicId, status, items: [{ followUpId, patientId, clinicId, patient, purpose, kind, status, dueAt?, closedAt? }] }',
  })
  async list(@Param('clinicId', ClientIdPipe) clinicId: string, @Query() query: FollowUpsToReviewQueryDto, @CurrentPrincipal() principal: Principal) {
    const list = await this.queries.run(REVIEW_PROJECTIONS[query.status], query.minPosition, () => readFollowUpsToReview(this.queries.db, clinicId, query.status, query.limit ? Number(query.limit) : 50));
    // Names and phones are shown: who saw whom is recorded before it is answered.
    for (const [listedClinic, patientIds] of patientsByClinic(list.items)) await this.accessLog.recordListed(principal, { clinicId: listedClinic, what: 'follow_ups', patientIds });
    return list;
  }
}
