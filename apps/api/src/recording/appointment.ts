import { Inject } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { COMMAND_PORTS, CommandPorts } from '../application/command-ports';
import type { CommandContext, CommandResult } from '../application/command-context';
import { IsOptional, IsString, Matches } from 'class-validator';
import { CLIENT_ID, CLIENT_ID_MESSAGE, IsInstant, SERVER_ID, SERVER_ID_MESSAGE } from '../http/validation';
import { plainData } from '../http/plain-data';
import { bookAppointment } from '../application/recording';

/** POST /v1/appointments: the patient booked back in (a conversion; may convert a referral). */
export class BookAppointmentDto {
  @ApiProperty() @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE }) patientId!: string;
  @ApiProperty() @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE }) clinicId!: string;
  @ApiProperty({ example: '2026-11-30T02:00:00Z' }) @IsInstant() scheduledFor!: string;
  @ApiPropertyOptional() @IsOptional() @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE }) callerId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(SERVER_ID, { message: SERVER_ID_MESSAGE }) followUpId?: string;
  @ApiPropertyOptional({ description: 'the call it was booked on: the booking is credited to it' }) @IsOptional() @IsString() @Matches(SERVER_ID, { message: SERVER_ID_MESSAGE }) callId?: string;
  @ApiPropertyOptional({ description: 'the referral this booking converts' }) @IsOptional() @IsString() @Matches(SERVER_ID, { message: SERVER_ID_MESSAGE }) referralId?: string;
}

export class BookAppointmentCommand extends Command<CommandResult<{ appointmentId: string }>> {
  constructor(
    readonly body: BookAppointmentDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(BookAppointmentCommand)
export class BookAppointmentHandler implements ICommandHandler<BookAppointmentCommand> {
  constructor(@Inject(COMMAND_PORTS) private readonly ports: CommandPorts) {}

  execute({ body, context }: BookAppointmentCommand): Promise<CommandResult<{ appointmentId: string }>> {
    return bookAppointment(this.ports, plainData(body), context);
  }
}
