import { Body, Controller, HttpCode, Param, Patch, Post, Put, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiTags } from '@nestjs/swagger';
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
import { RECORDERS } from '@rapport/access';

/** The commands that record what happened with a patient: callers, doctors, managers and admins, for their clinics. */
@ApiTags('recording')
@Allow(...RECORDERS)
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'the same key and body again returns the first response' })
@Controller('v1')
export class RecordingController {
  constructor(private readonly commands: CommandBus) {}

  @Post('treatments')
  @HttpCode(201)
  @ApiCreatedResponse({ description: 'TreatmentCompleted and the FollowUpScheduled events the protocol derives' })
  async treatment(@Body() body: RecordTreatmentDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return sendCommandResponse(reply, await this.commands.execute(new RecordTreatmentCommand(body, requestContext(req, body))));
  }

  @Post('calls')
  @HttpCode(201)
  @ApiCreatedResponse({ description: 'CallAttempted, and the follow-up closed or moved' })
  async call(@Body() body: RecordCallDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return sendCommandResponse(reply, await this.commands.execute(new RecordCallCommand(body, requestContext(req, body))));
  }

  @Post('objections')
  @HttpCode(201)
  @ApiCreatedResponse({ description: 'ObjectionRaised' })
  async objection(@Body() body: RaiseObjectionDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return sendCommandResponse(reply, await this.commands.execute(new RaiseObjectionCommand(body, requestContext(req, body))));
  }

  @Post('referrals')
  @HttpCode(201)
  @ApiCreatedResponse({ description: 'ReferralRequested' })
  async referral(@Body() body: RequestReferralDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return sendCommandResponse(reply, await this.commands.execute(new RequestReferralCommand(body, requestContext(req, body))));
  }

  @Post('appointments')
  @HttpCode(201)
  @ApiCreatedResponse({ description: 'AppointmentBooked' })
  async appointment(@Body() body: BookAppointmentDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return sendCommandResponse(reply, await this.commands.execute(new BookAppointmentCommand(body, requestContext(req, body))));
  }

  @Post('appointments/:appointmentId/missed')
  @HttpCode(201)
  @ApiCreatedResponse({ description: 'AppointmentMissed and an urgent follow-up (kind missed_appointment); 404 for an unknown appointment' })
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
  @ApiCreatedResponse({ description: 'AppointmentAttended: the visit happened (a return visit); 404 for an unknown appointment, 422 when it already has an outcome' })
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
  @ApiCreatedResponse({ description: 'InquiryReceived and the first prospect call (kind prospect, callNumber 1)' })
  async inquiry(@Body() body: ReceiveInquiryDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return sendCommandResponse(reply, await this.commands.execute(new ReceiveInquiryCommand(body, requestContext(req, body))));
  }

  @Put('patients/:patientId/preferences')
  @HttpCode(201)
  @ApiHeader({ name: 'If-Match', required: false, description: 'the ETag read: replace only if nobody changed the patient’s record since (else 412)' })
  @ApiCreatedResponse({ description: 'ContactPreferencesSet (nothing when unchanged) and greetings for special dates; ETag: the record’s revision; 400 for an empty body; 404 for an unknown patient' })
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
  @ApiCreatedResponse({ description: 'FollowUpAdded: a follow-up added by hand (kind added), in the callers’ queue or a named doctor’s; 422 due_in_past' })
  async addFollowUp(@Param('patientId', ClientIdPipe) patientId: string, @Body() body: AddFollowUpDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return sendCommandResponse(reply, await this.commands.execute(new AddFollowUpCommand(patientId, body, requestContext(req, body))));
  }

  @Post('follow-ups/:followUpId/move')
  @HttpCode(201)
  @ApiCreatedResponse({ description: 'FollowUpMoved (nothing when the time is the same); 422 follow_up_closed, due_in_past; 404 unknown_follow_up' })
  async moveFollowUp(@Param('followUpId', FollowUpIdPipe) followUpId: string, @Body() body: MoveFollowUpDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return sendCommandResponse(reply, await this.commands.execute(new MoveFollowUpCommand(followUpId, body, requestContext(req, body))));
  }

  @Post('follow-ups/:followUpId/cancel')
  @HttpCode(201)
  @ApiCreatedResponse({ description: 'FollowUpCancelled: it leaves the queue; 422 follow_up_closed; 404 unknown_follow_up' })
  async cancelFollowUp(@Param('followUpId', FollowUpIdPipe) followUpId: string, @Body() body: CancelFollowUpDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return sendCommandResponse(reply, await this.commands.execute(new CancelFollowUpCommand(followUpId, body, requestContext(req, body))));
  }

  @Patch('patients/:patientId/preferences')
  @HttpCode(201)
  @ApiHeader({ name: 'If-Match', required: false, description: 'the ETag read: change only if nobody changed the patient’s record since (else 412)' })
  @ApiCreatedResponse({ description: 'ContactPreferencesChanged: only the fields sent, null clears one (nothing when unchanged); ETag: the record’s revision; 400 for an empty body' })
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
