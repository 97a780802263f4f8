import { ArgumentMetadata, Inject, Injectable, PipeTransform } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { COMMAND_PORTS, CommandPorts } from '../application/command-ports';
import type { CommandContext, CommandResult } from '../application/command-context';
import { InvalidInputException } from '../http/errors';
import { IsInstant } from '../http/validation';
import { AppointmentAttendedView, AppointmentMissedView, attendAppointment, missAppointment } from '../application/recording';

/** POST /v1/appointments/:appointmentId/missed: the patient did not come; an urgent call follows (seed 000). */
export class MissAppointmentDto {
  @ApiProperty({ example: '2026-11-30T02:20:00Z', description: 'when the clinic noted the visit missed (at or after the booked time)' })
  @IsInstant()
  at!: string;
}

/** An appointment id is server-made: `<patientId>.apt<n>`; anything else is a 400 naming the parameter. */
@Injectable()
export class AppointmentIdPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (typeof value === 'string' && /^[A-Za-z0-9_-]{1,64}\.apt\d{1,12}$/.test(value)) return value;
    const field = metadata.data ?? 'appointmentId';
    throw new InvalidInputException([{ field, message: `${field} must be an appointment id the server made: <patientId>.apt<n>` }]);
  }
}

export class MissAppointmentCommand extends Command<CommandResult<AppointmentMissedView>> {
  constructor(
    readonly appointmentId: string,
    readonly body: MissAppointmentDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(MissAppointmentCommand)
export class MissAppointmentHandler implements ICommandHandler<MissAppointmentCommand> {
  constructor(@Inject(COMMAND_PORTS) private readonly ports: CommandPorts) {}

  execute({ appointmentId, body, context }: MissAppointmentCommand): Promise<CommandResult<AppointmentMissedView>> {
    return missAppointment(this.ports, { appointmentId, at: body.at }, context);
  }
}

/** POST /v1/appointments/:appointmentId/attended: the patient came (复诊); it closes the appointment. */
export class AttendAppointmentDto {
  @ApiProperty({ example: '2026-11-30T02:05:00Z', description: 'when the patient arrived (from 12 hours before the booked time; not in the future)' })
  @IsInstant()
  at!: string;
}

export class AttendAppointmentCommand extends Command<CommandResult<AppointmentAttendedView>> {
  constructor(
    readonly appointmentId: string,
    readonly body: AttendAppointmentDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(AttendAppointmentCommand)
export class AttendAppointmentHandler implements ICommandHandler<AttendAppointmentCommand> {
  constructor(@Inject(COMMAND_PORTS) private readonly ports: CommandPorts) {}

  execute({ appointmentId, body, context }: AttendAppointmentCommand): Promise<CommandResult<AppointmentAttendedView>> {
    return attendAppointment(this.ports, { appointmentId, at: body.at }, context);
  }
}
