import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { AppointmentBooked, patientIdOf } from '@rapport/domain';
import { CommandRunner } from '../commands/command-runner';
import type { CommandResponse } from '../http/command-response';
import type { RequestContext } from '../http/request-context';
import { CLIENT_ID, CLIENT_ID_MESSAGE, IsInstant, SERVER_ID, SERVER_ID_MESSAGE } from '../http/validation';
import { plainData } from '../http/plain-data';

/** POST /v1/appointments: the patient booked back in (a conversion; may convert a referral). */
export class BookAppointmentDto {
  @ApiProperty() @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE }) patientId!: string;
  @ApiProperty() @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE }) clinicId!: string;
  @ApiProperty({ example: '2026-11-30T02:00:00Z' }) @IsInstant() scheduledFor!: string;
  @ApiPropertyOptional() @IsOptional() @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE }) callerId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(SERVER_ID, { message: SERVER_ID_MESSAGE }) followUpId?: string;
  @ApiPropertyOptional({ description: 'the referral this booking converts' }) @IsOptional() @IsString() @Matches(SERVER_ID, { message: SERVER_ID_MESSAGE }) referralId?: string;
}

export class BookAppointmentCommand extends Command<CommandResponse<{ appointmentId: string }>> {
  constructor(
    readonly body: BookAppointmentDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}

@CommandHandler(BookAppointmentCommand)
export class BookAppointmentHandler implements ICommandHandler<BookAppointmentCommand> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ body, context }: BookAppointmentCommand): Promise<CommandResponse<{ appointmentId: string }>> {
    const referrerPatientId = body.referralId ? await this.referrerOf(body.referralId) : undefined;
    const data = plainData({ ...body, referrerPatientId });
    const outcome = await this.runner.patient(body.patientId, body.clinicId, { type: 'BookAppointment', data }, context);
    const appointmentId = (outcome.events[0]!.data as AppointmentBooked['data']).appointmentId;
    return { body: { appointmentId }, position: outcome.position, replayed: outcome.replayed };
  }

  /** The referral lives in the referrer's stream; its id names the referrer. */
  private async referrerOf(referralId: string): Promise<string | undefined> {
    const referrer = patientIdOf(referralId);
    if (!referrer) return undefined;
    const { state } = await this.runner.loadPatient(referrer);
    return state.referralIds.has(referralId) ? referrer : undefined;
  }
}
