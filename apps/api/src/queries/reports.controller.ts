import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiTags } from '@nestjs/swagger';
import { ApiRead } from '../http/openapi';
import {
  AppointmentsReport as AppointmentsReportView,
  BestTimesReport,
  DoctorsReport as DoctorsReportView,
  EffectivenessReport as EffectivenessReportView,
  ObjectionsReport as ObjectionsReportView,
  ProspectsReport,
  ReferralsReport,
  UrgentReport,
  WeeklyReport,
} from './query.responses';
import {
  APPOINTMENTS_REPORT_PROJECTIONS,
  DOCTORS_REPORT_PROJECTIONS,
  DoctorsReport,
  EFFECTIVENESS_REPORT_PROJECTIONS,
  EffectivenessReport,
  PROSPECTS_REPORT_PROJECTIONS,
  readDoctorsReport,
  readEffectivenessReport,
  readProspectsReport,
  readUrgentReport,
  URGENT_REPORT_PROJECTIONS,
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
import { EffectivenessQueryDto, RangeQueryDto, rangeOf, ReportQueryDto, reportRangeOf, WeekQueryDto } from './query-params';
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
  @ApiRead({
    operationId: 'getBestTimesReport',
    summary: 'When to call: contact and conversion by hour and weekday',
    description: 'contact and conversion rate by local hour of day and weekday (1 = Monday) in the clinic’s zone: { cells: [...] }',
    response: BestTimesReport,
    errors: [400, 401, 403, [404, 'The clinic is not configured.'], 503],
  })
  async bestTimes(@Param('clinicId', ClientIdPipe) clinicId: string, @Query() query: RangeQueryDto) {
    const range = rangeOf(query);
    return this.queries.run(BEST_TIMES_PROJECTIONS, query.minPosition, () => readBestTimes(this.queries.db, clinicId, range));
  }

  @Get('weekly')
  @ApiRead({
    operationId: 'getWeeklyReport',
    summary: 'The week in numbers',
    description: 'Monday to Sunday in the clinic’s zone: due (callers’ follow-ups first due in the week), made, reached, overdue (due ones nobody tried ' +
      'by the end of their local due day), booked, referrals, referralsConverted, complaints (doctor callbacks scheduled), outcomes',
    response: WeeklyReport,
    errors: [400, 401, 403, [404, 'The clinic is not configured.'], 503],
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
  @ApiRead({
    operationId: 'getAppointmentsReport',
    summary: 'Appointments and what became of them',
    description: 'appointments booked for a time in [from, to): booked, attended, missed, open (no outcome yet), showRate = attended ÷ (attended + missed), ' +
      'noShowRate, in total and byWeekday (the local weekday of the booked time, 1 = Monday); format=csv: one row per weekday and a total',
    response: AppointmentsReportView,
    csv: true,
    errors: [400, 401, 403, [404, 'The clinic is not configured.'], 503],
  })
  async appointments(@Param('clinicId', ClientIdPipe) clinicId: string, @Query() query: ReportQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.report(reply, query, `rapport-appointments-${clinicId}.csv`, APPOINTMENTS_REPORT_PROJECTIONS, (range) => readAppointmentsReport(this.queries.db, clinicId, range), appointmentsCsv);
  }

  @Get('objections')
  @ApiRead({
    operationId: 'getObjectionsReport',
    summary: 'Objections and the methods that answer them',
    description: 'objections raised in [from, to) (at their recordedAt), as corrected: byKindMethod, byTopicMethod (raised, resolved, resolutionRate) and topics, ' +
      'most raised first; format=csv: one row per group, its section first',
    response: ObjectionsReportView,
    csv: true,
    errors: [400, 401, 403, [404, 'The clinic is not configured.'], 503],
  })
  async objections(@Param('clinicId', ClientIdPipe) clinicId: string, @Query() query: ReportQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.report(reply, query, `rapport-objections-${clinicId}.csv`, OBJECTIONS_REPORT_PROJECTIONS, (range) => readObjectionsReport(this.queries.db, clinicId, range), objectionsCsv);
  }

  @Get('referrals')
  @ApiRead({
    operationId: 'getReferralsReport',
    summary: 'Referrals followed to bookings and visits',
    description: 'referrals asked for in [from, to) (at their recordedAt), followed to their first booking and visit whenever those came: requested, booked, attended, ' +
      'topReferrers and each chain (referrer → referred → booking → visit); format=csv: one row per chain',
    response: ReferralsReport,
    csv: true,
    errors: [400, 401, 403, [404, 'The clinic is not configured.'], 503],
  })
  async referrals(@Param('clinicId', ClientIdPipe) clinicId: string, @Query() query: ReportQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.report(reply, query, `rapport-referrals-${clinicId}.csv`, REFERRALS_REPORT_PROJECTIONS, (range) => readReferralsReport(this.queries.db, clinicId, range), (report) => csvTable(REFERRAL_COLUMNS, report.chains));
  }

  @Get('effectiveness')
  @ApiRead({
    operationId: 'getEffectivenessReport',
    summary: 'What the follow-ups achieve',
    description: 'callers’ follow-ups first due in [from, to), by=procedure (kind and the treatment’s procedure, default) or by=rule (protocol rule and step): ' +
      'due, attempted (a call), reached (a reached call), reachRate = reached ÷ due, booked (a booking credited to one of its calls), attended (that visit), ' +
      'complaints (a call reported one); most due first; format=csv: one row per group',
    response: EffectivenessReportView,
    csv: true,
    errors: [400, 401, 403, [404, 'The clinic is not configured.'], 503],
  })
  async effectiveness(@Param('clinicId', ClientIdPipe) clinicId: string, @Query() query: EffectivenessQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const by = query.by ?? 'procedure';
    return this.report(reply, query, `rapport-effectiveness-${by}-${clinicId}.csv`, EFFECTIVENESS_REPORT_PROJECTIONS, (range) => readEffectivenessReport(this.queries.db, clinicId, by, range), effectivenessCsv);
  }

  @Get('doctors')
  @ApiRead({
    operationId: 'getDoctorsReport',
    summary: 'Feedback per attending doctor',
    description: 'per attending doctor: the callers’ reached calls about their patients started in [from, to) (reachedCalls, satisfactionMean, satisfaction 1–5 counts, complaints), ' +
      'and the complaint callbacks they did in it (callbacksDone, callbackMedianMinutes from the task to reaching the patient); format=csv: one row per doctor',
    response: DoctorsReportView,
    csv: true,
    errors: [400, 401, 403, [404, 'The clinic is not configured.'], 503],
  })
  async doctors(@Param('clinicId', ClientIdPipe) clinicId: string, @Query() query: ReportQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.report(reply, query, `rapport-doctors-${clinicId}.csv`, DOCTORS_REPORT_PROJECTIONS, (range) => readDoctorsReport(this.queries.db, clinicId, range), doctorsCsv);
  }

  @Get('prospects')
  @ApiRead({
    operationId: 'getProspectsReport',
    summary: 'The prospect funnel per channel',
    description: 'inquiries received in [from, to), per channel: inquiries, minutes to the first call (median and p90 over those called), notCalled, reached, booked ' +
      '(the first booking after the inquiry), attended, bookingRate = booked ÷ inquiries, beside seedBookingRate (seed 002: 35%); format=csv: one row per channel',
    response: ProspectsReport,
    csv: true,
    errors: [400, 401, 403, [404, 'The clinic is not configured.'], 503],
  })
  async prospects(@Param('clinicId', ClientIdPipe) clinicId: string, @Query() query: ReportQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.report(reply, query, `rapport-prospects-${clinicId}.csv`, PROSPECTS_REPORT_PROJECTIONS, (range) => readProspectsReport(this.queries.db, clinicId, range), (report) => csvTable(PROSPECT_COLUMNS, report.rows));
  }

  @Get('urgent')
  @ApiRead({
    operationId: 'getUrgentReport',
    summary: 'Urgent calls done in time',
    description: 'urgent follow-ups due in [from, to), per rule: due, inTime (first called by the rule’s deadline: missed visit 1 h, post-op 1 h after due, complaint callback 8 h, ' +
      '“within 24 hours” by the 24 hours), late, notDone, inTimeRate = inTime ÷ due; format=csv: one row per rule',
    response: UrgentReport,
    csv: true,
    errors: [400, 401, 403, [404, 'The clinic is not configured.'], 503],
  })
  async urgent(@Param('clinicId', ClientIdPipe) clinicId: string, @Query() query: ReportQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.report(reply, query, `rapport-urgent-${clinicId}.csv`, URGENT_REPORT_PROJECTIONS, (range) => readUrgentReport(this.queries.db, clinicId, range), (report) => csvTable(URGENT_COLUMNS, report.rows));
  }
}

const EFFECTIVENESS_COLUMNS = ['kind', 'procedure', 'rule', 'step', 'due', 'attempted', 'reached', 'reachRate', 'booked', 'attended', 'complaints'] as const;

/** A procedure is a clinic's own code (free text), so it is guarded like the audit's notes. */
function effectivenessCsv(report: EffectivenessReport): string {
  return csvTable(EFFECTIVENESS_COLUMNS, report.rows, new Set(['procedure']));
}

const DOCTOR_COLUMNS = ['doctorId', 'name', 'reachedCalls', 'satisfactionMean', 'satisfaction1', 'satisfaction2', 'satisfaction3', 'satisfaction4', 'satisfaction5', 'complaints', 'callbacksDone', 'callbackMedianMinutes'] as const;

function doctorsCsv(report: DoctorsReport): string {
  return csvTable(DOCTOR_COLUMNS, report.rows.map((r) => ({ ...r, satisfaction1: r.satisfaction[1], satisfaction2: r.satisfaction[2], satisfaction3: r.satisfaction[3], satisfaction4: r.satisfaction[4], satisfaction5: r.satisfaction[5] })));
}

const PROSPECT_COLUMNS = ['channel', 'inquiries', 'firstAttemptMedianMinutes', 'firstAttemptP90Minutes', 'notCalled', 'reached', 'booked', 'attended', 'bookingRate'] as const;
const URGENT_COLUMNS = ['rule', 'due', 'inTime', 'late', 'notDone', 'inTimeRate'] as const;

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
