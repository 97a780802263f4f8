import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiRead } from '../http/openapi';
import { ClinicQueue, DoctorFeedback, DoctorQueue } from './query.responses';
import { DOCTOR_FEEDBACK_PROJECTIONS, QUEUE_PROJECTIONS, readClinicQueue, readDoctorFeedback, readDoctorQueue } from '@rapport/projections';
import { AccessLog, patientsByClinic } from '../audit/access-log';
import { CLOCK, Clock } from '../clock';
import { Allow, AllowSelf } from '../auth/access.decorators';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { clinicScope, OVERSEERS, Principal, READERS } from '@rapport/access';
import { ClientIdPipe } from '../http/client-id.pipe';
import { DoctorQueueQueryDto, instantMs, QueueQueryDto, RangeQueryDto, reportRangeOf } from './query-params';
import { QueryRunner } from './query-runner';

const DEFAULT_LIMIT = 50;

/** The calls due: the callers' queue per clinic, and each doctor's own tasks; and what the calls fed back to a doctor. */
@ApiTags('queries')
@Controller('v1')
export class QueueController {
  constructor(
    private readonly queries: QueryRunner,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly accessLog: AccessLog,
  ) {}

  @Get('clinics/:clinicId/queue')
  @Allow(...READERS)
  @ApiRead({
    operationId: 'getClinicQueue',
    summary: 'The calls due at a clinic',
    description:
      'Open follow-ups due at `at` (default now), urgent first, then the longest overdue, a VIP first among equals; do-not-call patients never, ' +
      'and patients who avoid work hours or keep to preferred times only when `at` (in the clinic’s zone) allows (`waiting` holds those, with when they accept a call). ' +
      'Doctors’ tasks are left out unless role=doctor or senior_doctor. Who was shown which patient is recorded.',
    response: ClinicQueue,
    errors: [400, 401, 403, [404, 'The clinic is not configured.'], 503],
  })
  async clinicQueue(@Param('clinicId', ClientIdPipe) clinicId: string, @Query() query: QueueQueryDto, @CurrentPrincipal() principal: Principal) {
    const atMs = this.instant(query.at);
    const queue = await this.queries.run(QUEUE_PROJECTIONS, query.minPosition, () =>
      readClinicQueue(this.queries.db, {
        clinicId,
        atMs,
        limit: query.limit ? Number(query.limit) : DEFAULT_LIMIT,
        audience: query.role ?? 'caller',
        ...(query.callerId ? { callerId: query.callerId } : {}),
      }),
    );
    await this.recordShown(principal, 'queue', [...queue.items, ...queue.waiting]);
    return queue;
  }

  @Get('doctors/:doctorId/queue')
  @AllowSelf('doctorId')
  @Allow(...OVERSEERS)
  @ApiRead({
    operationId: 'getDoctorQueue',
    summary: 'A doctor’s own tasks due',
    description: 'The doctor’s own tasks due at `at` (default now): callbacks for complaints, escalations. The doctor themself, or an overseer; only tasks of the token’s clinics.',
    response: DoctorQueue,
    errors: [400, 401, 403, 503],
  })
  async doctorQueue(@Param('doctorId', ClientIdPipe) doctorId: string, @Query() query: DoctorQueueQueryDto, @CurrentPrincipal() principal: Principal) {
    const atMs = this.instant(query.at);
    const queue = await this.queries.run(QUEUE_PROJECTIONS, query.minPosition, () =>
      readDoctorQueue(this.queries.db, { doctorId, atMs, limit: query.limit ? Number(query.limit) : DEFAULT_LIMIT, ...scoped(principal) }),
    );
    await this.recordShown(principal, 'doctor_queue', queue.items);
    return queue;
  }

  @Get('doctors/:doctorId/feedback')
  @AllowSelf('doctorId')
  @Allow(...OVERSEERS)
  @ApiRead({
    operationId: 'getDoctorFeedback',
    summary: 'Feedback to an attending doctor',
    description:
      'Feedback to the attending doctor (seed 000 及时反馈给主诊医生): the callers’ reached calls about the doctor’s patients with symptoms, satisfaction 1–2 ' +
      'or a complaint, as corrected, started in [from, to), newest first. The doctor themself, or an overseer; only calls of the token’s clinics.',
    response: DoctorFeedback,
    errors: [400, 401, 403, 503],
  })
  async doctorFeedback(@Param('doctorId', ClientIdPipe) doctorId: string, @Query() query: RangeQueryDto, @CurrentPrincipal() principal: Principal) {
    const range = reportRangeOf(query);
    const feedback = await this.queries.run(DOCTOR_FEEDBACK_PROJECTIONS, query.minPosition, () => readDoctorFeedback(this.queries.db, doctorId, range, clinicScope(principal)));
    await this.recordShown(principal, 'doctor_feedback', feedback.items);
    return feedback;
  }

  /** A queue shows names and phones, the feedback what patients said: who saw whom is recorded before it is answered. */
  private async recordShown(principal: Principal, what: 'queue' | 'doctor_queue' | 'doctor_feedback', items: readonly { clinicId: string; patientId: string }[]): Promise<void> {
    for (const [clinicId, patientIds] of patientsByClinic(items)) await this.accessLog.recordListed(principal, { clinicId, what, patientIds });
  }

  private instant(at: string | undefined): number {
    return at ? instantMs(at) : this.clock.now().epochMilliseconds;
  }
}

function scoped(principal: Principal): { clinicIds?: readonly string[] } {
  const clinicIds = clinicScope(principal);
  return clinicIds ? { clinicIds } : {};
}
