import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { patientIdOf } from '@rapport/domain';
import { CommandRunner } from '../commands/command-runner';
import type { CommandResponse } from '../http/command-response';
import { InvalidInputException } from '../http/errors';
import type { RequestContext } from '../http/request-context';
import { IsInstant } from '../http/validation';
import { FollowUpView, scheduledFollowUps } from './follow-up-view';

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

export interface AppointmentMissedView {
  appointmentId: string;
  patientId: string;
  followUps: FollowUpView[];
}

export class MissAppointmentCommand extends Command<CommandResponse<AppointmentMissedView>> {
  constructor(
    readonly appointmentId: string,
    readonly body: MissAppointmentDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}

@CommandHandler(MissAppointmentCommand)
export class MissAppointmentHandler implements ICommandHandler<MissAppointmentCommand> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ appointmentId, body, context }: MissAppointmentCommand): Promise<CommandResponse<AppointmentMissedView>> {
    // The id names its patient; an unknown patient is refused by the decider as not found.
    const patientId = patientIdOf(appointmentId)!;
    const outcome = await this.runner.patient(patientId, undefined, { type: 'MissAppointment', data: { appointmentId, patientId, at: body.at } }, context);
    return { body: { appointmentId, patientId, followUps: scheduledFollowUps(outcome.events) }, position: outcome.position, replayed: outcome.replayed };
  }
}
