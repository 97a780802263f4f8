import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import {
  APPOINTMENTS_REPORT_PROJECTIONS,
  AppointmentsReport,
  BEST_TIMES_PROJECTIONS,
  OBJECTIONS_REPORT_PROJECTIONS,
  ObjectionsReport,
  readAppointmentsReport,
  readBestTimes,
  readObjectionsReport,
  readReferralsReport,
  REFERRALS_REPORT_PROJECTIONS,
  readWeeklyReport,
  WEEKLY_REPORT_PROJECTIONS,
} from '@rapport/projections';
import { CLOCK, Clock } from '../clock';
import { Allow } from '../auth/access.decorators';
import { OVERSEERS } from '@rapport/access';
import { ClientIdPipe } from '../http/client-id.pipe';
import { RangeQueryDto, rangeOf, ReportQueryDto, reportRangeOf, WeekQueryDto } from './query-params';
import { csvTable, sendCsv } from '../http/csv';
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

  /** A report over a checked range, as JSON, or as CSV with `format=csv`. */
  private async report<R>(
    reply: FastifyReply,
    query: ReportQueryDto,
    filename: string,
    projections: readonly string[],
    read: (range: { fromMs?: number; toMs?: number }) => Promise<R>,
    toCsv: (report: R) => string,
  ): Promise<R | string> {
    const range = reportRangeOf(query);
    const report = await this.queries.run(projections, query.minPosition, () => read(range));
    return query.format === 'csv' ? sendCsv(reply, filename, toCsv(report)) : report;
  }

  @Get('appointments')
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    description:
      'appointments booked for a time in [from, to): booked, attended, missed, open (no outcome yet), showRate = attended ÷ (attended + missed), ' +
      'noShowRate, in total and byWeekday (the local weekday of the booked time, 1 = Monday); format=csv: one row per weekday and a total',
  })
  async appointments(@Param('clinicId', ClientIdPipe) clinicId: string, @Query() query: ReportQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.report(reply, query, `rapport-appointments-${clinicId}.csv`, APPOINTMENTS_REPORT_PROJECTIONS, (range) => readAppointmentsReport(this.queries.db, clinicId, range), appointmentsCsv);
  }

  @Get('objections')
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    description:
      'objections raised in [from, to) (at their recordedAt), as corrected: byKindMethod, byTopicMethod (raised, resolved, resolutionRate) and topics, ' +
      'most raised first; format=csv: one row per group, its section first',
  })
  async objections(@Param('clinicId', ClientIdPipe) clinicId: string, @Query() query: ReportQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.report(reply, query, `rapport-objections-${clinicId}.csv`, OBJECTIONS_REPORT_PROJECTIONS, (range) => readObjectionsReport(this.queries.db, clinicId, range), objectionsCsv);
  }

  @Get('referrals')
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    description:
      'referrals asked for in [from, to) (at their recordedAt), followed to their first booking and visit whenever those came: requested, booked, attended, ' +
      'topReferrers and each chain (referrer → referred → booking → visit); format=csv: one row per chain',
  })
  async referrals(@Param('clinicId', ClientIdPipe) clinicId: string, @Query() query: ReportQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.report(reply, query, `rapport-referrals-${clinicId}.csv`, REFERRALS_REPORT_PROJECTIONS, (range) => readReferralsReport(this.queries.db, clinicId, range), (report) => csvTable(REFERRAL_COLUMNS, report.chains));
  }
}

const REFERRAL_COLUMNS = ['referralId', 'referrerId', 'requestedAt', 'referredPatientId', 'appointmentId', 'bookedAt', 'attendedAt'] as const;

const APPOINTMENT_COLUMNS = ['weekday', 'booked', 'attended', 'missed', 'open', 'showRate', 'noShowRate'] as const;

/** A row per weekday, then the total. */
function appointmentsCsv(report: AppointmentsReport): string {
  return csvTable(APPOINTMENT_COLUMNS, [...report.byWeekday, { ...report, weekday: 'total' }]);
}

const OBJECTION_COLUMNS = ['section', 'kind', 'topic', 'method', 'raised', 'resolved', 'resolutionRate'] as const;

/** The three groupings one below the other; a topic is free text, so it is guarded like the audit's notes. */
function objectionsCsv(report: ObjectionsReport): string {
  return csvTable(OBJECTION_COLUMNS, [
    ...report.byKindMethod.map((r) => ({ section: 'kind_method', ...r })),
    ...report.byTopicMethod.map((r) => ({ section: 'topic_method', ...r })),
    ...report.topics.map((r) => ({ section: 'topic', ...r })),
  ], new Set(['topic']));
}
