import { Body, Controller, HttpCode, Param, Patch, Post, Put, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendCommandResponse } from '../http/command-response';
import { requestContext } from '../http/request-context';
import { BookAppointmentCommand, BookAppointmentDto } from './appointment';
import { RecordCallCommand, RecordCallDto } from './call';
import { ReceiveInquiryCommand, ReceiveInquiryDto } from './inquiry';
import { AppointmentIdPipe, AttendAppointmentCommand, AttendAppointmentDto, MissAppointmentCommand, MissAppointmentDto } from './missed-appointment';
import { RaiseObjectionCommand, RaiseObjectionDto } from './objection';
import { RequestReferralCommand, RequestReferralDto } from './referral';
import { ChangeContactPreferencesCommand, ChangeContactPreferencesDto, PREFERENCE_FIELDS, SetContactPreferencesCommand, SetContactPreferencesDto } from './preferences';
import { plainData } from '../http/plain-data';
import { InvalidInputException } from '../http/errors';
import { RecordTreatmentCommand, RecordTreatmentDto } from './treatment';
import { ClientIdPipe } from '../http/client-id.pipe';
import { AddFollowUpCommand, AddFollowUpDto, CancelFollowUpCommand, CancelFollowUpDto, MoveFollowUpCommand, MoveFollowUpDto } from './steering';
import { FollowUpIdPipe } from './follow-up-id.pipe';
import { Allow } from '../auth/access.decorators';
import { ApiCommand } from '../http/openapi';
import {
  AppointmentAttended,
  AppointmentBooked,
  AppointmentMissed,
  CallRecorded,
  FollowUpSteered,
  InquiryRecorded,
  ObjectionRecorded,
  PreferencesRecorded,
  ReferralRecorded,
  TreatmentRecorded,
} from './recording.responses';
import { RECORDERS } from '@rapport/access';

/** The commands that record what happened with a patient: callers, doctors, managers and admins, for their clinics. */
@ApiTags('recording')
@Allow(...RECORDERS)
@Controller('v1')
export class RecordingController {
  constructor(private readonly commands: CommandBus) {}

  @Post('treatments')
  @HttpCode(201)
  @ApiCommand({
    operationId: 'recordTreatment',
    summary: 'Record a completed treatment',
    description:
      'Records TreatmentCompleted and the FollowUpScheduled events the clinic’s protocol derives from it. The same treatment again records nothing and answers the same; ' +
      'different data under its id is a 422 `treatment_conflict`.',
    response: TreatmentRecorded,
    created: 'The treatment and the follow-ups its protocol scheduled.',
    errors: [[409, 'The patient belongs to another clinic (`patient_in_other_clinic`), or an Idempotency-Key conflict.'], [422, '`clinic_not_configured`, `treatment_conflict`, `claimed_time_in_future`, …']],
  })
  async treatment(@Body() body: RecordTreatmentDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return sendCommandResponse(reply, await this.commands.execute(new RecordTreatmentCommand(body, requestContext(req, body))));
  }

  @Post('calls')
  @HttpCode(201)
  @ApiCommand({
    operationId: 'recordCall',
    summary: 'Record a call attempt',
    description:
      'Records CallAttempted, reached or not; a call on a follow-up closes it or moves it (FollowUpClosed / FollowUpRescheduled), and the same decision records what the call ' +
      'leads to: the next call of a chain, a doctor’s callback for a complaint, the next contact asked for, ProspectPersuasionStopped after seven refusals in a row.',
    response: CallRecorded,
    created: 'The call, what it did to its follow-up, and what it scheduled.',
    errors: [[404, 'The patient has no record (`unknown_patient`).'], [422, '`follow_up_closed`, `unknown_follow_up`, `late_entry_needs_reason`, `claimed_time_in_future`, `call_back_time_required`, `next_contact_needs_conversation`, …']],
  })
  async call(@Body() body: RecordCallDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return sendCommandResponse(reply, await this.commands.execute(new RecordCallCommand(body, requestContext(req, body))));
  }

  @Post('objections')
  @HttpCode(201)
  @ApiCommand({
    operationId: 'raiseObjection',
    summary: 'Record an objection',
    description: 'Records ObjectionRaised: what held the patient back, and how the caller answered it (seed 002 §5).',
    response: ObjectionRecorded,
    errors: [[404, 'The patient has no record (`unknown_patient`).'], [422, '`unknown_call`: the call named is not this patient’s.']],
  })
  async objection(@Body() body: RaiseObjectionDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return sendCommandResponse(reply, await this.commands.execute(new RaiseObjectionCommand(body, requestContext(req, body))));
  }

  @Post('referrals')
  @HttpCode(201)
  @ApiCommand({
    operationId: 'requestReferral',
    summary: 'Record a referral asked for',
    description: 'Records ReferralRequested in the referrer’s stream; the referred person’s name and phone are sealed under the referrer’s key.',
    response: ReferralRecorded,
    errors: [[404, 'The referrer has no record (`unknown_patient`).'], 422],
  })
  async referral(@Body() body: RequestReferralDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return sendCommandResponse(reply, await this.commands.execute(new RequestReferralCommand(body, requestContext(req, body))));
  }

  @Post('appointments')
  @HttpCode(201)
  @ApiCommand({
    operationId: 'bookAppointment',
    summary: 'Book an appointment',
    description:
      'Records AppointmentBooked (a conversion): open prospect, escalation and missed-visit calls close as booked; a referralId converts that referral. The booking is ' +
      'credited to the reached call that led to it (`attributedCallId`).',
    response: AppointmentBooked,
    errors: [[404, 'The patient has no record (`unknown_patient`).'], [409, 'The patient belongs to another clinic (`patient_in_other_clinic`), or an Idempotency-Key conflict.'], [422, '`appointment_in_past`, `unknown_call`, `unknown_referral`, `self_referral`, …']],
  })
  async appointment(@Body() body: BookAppointmentDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return sendCommandResponse(reply, await this.commands.execute(new BookAppointmentCommand(body, requestContext(req, body))));
  }

  @Post('appointments/:appointmentId/missed')
  @HttpCode(201)
  @ApiCommand({
    operationId: 'recordMissedAppointment',
    summary: 'Record a missed appointment',
    description: 'Records AppointmentMissed and an urgent `missed_appointment` follow-up.',
    response: AppointmentMissed,
    errors: [[404, '`unknown_appointment`.'], [409, '`appointment_already_missed`, or an Idempotency-Key conflict.'], [422, '`appointment_not_yet_due`, `appointment_closed` (it was attended).']],
  })
  async missed(
    @Param('appointmentId', AppointmentIdPipe) appointmentId: string,
    @Body() body: MissAppointmentDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return sendCommandResponse(reply, await this.commands.execute(new MissAppointmentCommand(appointmentId, body, requestContext(req, body))));
  }

  @Post('appointments/:appointmentId/attended')
  @HttpCode(201)
  @ApiCommand({
    operationId: 'recordAttendedAppointment',
    summary: 'Record an attended appointment',
    description: 'Records AppointmentAttended: the patient came (a return visit), which closes the appointment and ends any persuasion calls. The same visit again records nothing.',
    response: AppointmentAttended,
    errors: [[404, '`unknown_appointment`.'], [422, '`appointment_closed` (another outcome is recorded), `claimed_time_in_future`, `attended_before_booked`.']],
  })
  async attended(
    @Param('appointmentId', AppointmentIdPipe) appointmentId: string,
    @Body() body: AttendAppointmentDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return sendCommandResponse(reply, await this.commands.execute(new AttendAppointmentCommand(appointmentId, body, requestContext(req, body))));
  }

  @Post('inquiries')
  @HttpCode(201)
  @ApiCommand({
    operationId: 'receiveInquiry',
    summary: 'Record an inquiry',
    description:
      'Records InquiryReceived and, for someone not yet treated here with no visit coming, no sequence running and no do-not-call, the first prospect call. The same inquiry again records nothing.',
    response: InquiryRecorded,
    errors: [[409, 'The person belongs to another clinic (`patient_in_other_clinic`), or an Idempotency-Key conflict.'], [422, '`clinic_not_configured`, `claimed_time_in_future`, `convenient_time_past`, …']],
  })
  async inquiry(@Body() body: ReceiveInquiryDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return sendCommandResponse(reply, await this.commands.execute(new ReceiveInquiryCommand(body, requestContext(req, body))));
  }

  @Put('patients/:patientId/preferences')
  @HttpCode(201)
  @ApiCommand({
    operationId: 'setContactPreferences',
    summary: 'Replace a patient’s contact preferences',
    description:
      'Records ContactPreferencesSet: the whole set, replacing the one before (nothing when unchanged), and a greeting for each special date’s next occurrence. ' +
      'An empty body is a 400 naming `body` (it would wipe do-not-call and VIP): to change some fields, PATCH.',
    response: PreferencesRecorded,
    errors: [[404, 'The patient has no record (`unknown_patient`).'], [422, '`preferred_time_invalid`, `special_date_invalid`.']],
  })
  async preferences(
    @Param('patientId', ClientIdPipe) patientId: string,
    @Body() body: SetContactPreferencesDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    // A PUT replaces the whole set: an empty one would wipe do-not-call and VIP unasked.
    if (Object.keys(plainData(body)).length === 0) throw new InvalidInputException([{ field: 'body', message: 'a PUT replaces the whole set: send at least one field (PATCH changes some)' }]);
    return sendCommandResponse(reply, await this.commands.execute(new SetContactPreferencesCommand(patientId, body, requestContext(req, body))));
  }

  @Post('patients/:patientId/follow-ups')
  @HttpCode(201)
  @ApiCommand({
    operationId: 'addFollowUp',
    summary: 'Add a follow-up by hand',
    description: 'Records FollowUpAdded (kind `added`), with its purpose, into the callers’ queue or a named doctor’s own queue.',
    response: FollowUpSteered,
    errors: [[404, 'The patient has no record (`unknown_patient`).'], [422, '`due_in_past`.']],
  })
  async addFollowUp(@Param('patientId', ClientIdPipe) patientId: string, @Body() body: AddFollowUpDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return sendCommandResponse(reply, await this.commands.execute(new AddFollowUpCommand(patientId, body, requestContext(req, body))));
  }

  @Post('follow-ups/:followUpId/move')
  @HttpCode(201)
  @ApiCommand({
    operationId: 'moveFollowUp',
    summary: 'Move a follow-up',
    description: 'Records FollowUpMoved with its reason (nothing when the time is the same).',
    response: FollowUpSteered,
    errors: [[404, '`unknown_follow_up`.'], [422, '`follow_up_closed`, `due_in_past`.']],
  })
  async moveFollowUp(@Param('followUpId', FollowUpIdPipe) followUpId: string, @Body() body: MoveFollowUpDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return sendCommandResponse(reply, await this.commands.execute(new MoveFollowUpCommand(followUpId, body, requestContext(req, body))));
  }

  @Post('follow-ups/:followUpId/cancel')
  @HttpCode(201)
  @ApiCommand({
    operationId: 'cancelFollowUp',
    summary: 'Cancel a follow-up',
    description: 'Records FollowUpCancelled with its reason: the follow-up leaves the queue.',
    response: FollowUpSteered,
    errors: [[404, '`unknown_follow_up`.'], [422, '`follow_up_closed`.']],
  })
  async cancelFollowUp(@Param('followUpId', FollowUpIdPipe) followUpId: string, @Body() body: CancelFollowUpDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return sendCommandResponse(reply, await this.commands.execute(new CancelFollowUpCommand(followUpId, body, requestContext(req, body))));
  }

  @Patch('patients/:patientId/preferences')
  @HttpCode(201)
  @ApiCommand({
    operationId: 'changeContactPreferences',
    summary: 'Change some of a patient’s contact preferences',
    description: 'Records ContactPreferencesChanged with only the fields sent; `null` clears one (nothing when unchanged). An empty body is a 400.',
    response: PreferencesRecorded,
    errors: [[404, 'The patient has no record (`unknown_patient`).'], [422, '`preferred_time_invalid`, `special_date_invalid`.']],
  })
  async changePreferences(
    @Param('patientId', ClientIdPipe) patientId: string,
    @Body() body: ChangeContactPreferencesDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    // The validation pipe drops nulls (as not sent); here a null means "clear it", so they are read from the body as sent.
    const raw = (req.body ?? {}) as Record<string, unknown>;
    const cleared = Object.keys(raw).filter((field) => raw[field] === null);
    const unknown = cleared.filter((field) => !(PREFERENCE_FIELDS as readonly string[]).includes(field));
    if (unknown.length > 0) throw new InvalidInputException(unknown.map((field) => ({ field, message: `${field} is not a preference` })));
    const changes = { ...plainData(body), ...Object.fromEntries(cleared.map((field) => [field, null])) };
    if (Object.keys(changes).length === 0) throw new InvalidInputException([{ field: 'body', message: 'send at least one field to change (null clears one)' }]);
    return sendCommandResponse(reply, await this.commands.execute(new ChangeContactPreferencesCommand(patientId, changes, requestContext(req, raw))));
  }
}
