import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { CALL_OUTCOMES, CallAttempted, CallOutcome, FollowUpClosed, FollowUpRescheduled } from '@rapport/domain';
import { CommandRunner } from '../commands/command-runner';
import type { CommandResponse } from '../http/command-response';
import type { RequestContext } from '../http/request-context';
import { CLIENT_ID, CLIENT_ID_MESSAGE, IsInstant, HasText, SERVER_ID, SERVER_ID_MESSAGE } from '../http/validation';
import { plainData } from '../http/plain-data';
import { FollowUpView, scheduledFollowUps } from './follow-up-view';

/** POST /v1/calls: every attempt, reached or not, recorded as it happened. */
export class RecordCallDto {
  @ApiProperty() @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE }) patientId!: string;
  @ApiProperty() @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE }) callerId!: string;
  @ApiProperty({ example: '2026-11-24T02:35:00Z', description: 'when the call started, as the caller says' }) @IsInstant() startedAt!: string;
  @ApiProperty({ enum: CALL_OUTCOMES }) @IsIn(CALL_OUTCOMES) outcome!: CallOutcome;

  @ApiPropertyOptional({ description: 'the follow-up this call works; it is closed or moved' })
  @IsOptional()
  @IsString()
  @Matches(SERVER_ID, { message: SERVER_ID_MESSAGE })
  followUpId?: string;

  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(86400) durationSeconds?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) notes?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 5 }) @IsOptional() @IsInt() @Min(1) @Max(5) satisfaction?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) symptoms?: string;
  @ApiPropertyOptional({ description: 'for call_back_later: when the patient asked to be called' }) @IsOptional() @IsInstant() callBackAt?: string;
  @ApiPropertyOptional({
    description: 'the patient complained or reported discomfort: a callback task for the attending doctor (also when symptoms are given with satisfaction 1 or 2)',
  })
  @IsOptional()
  @IsBoolean()
  complaint?: boolean;
  @ApiPropertyOptional({ description: 'required when the call started more than 24 hours ago' })
  @IsOptional()
  @IsString()
  @HasText()
  @MaxLength(500)
  lateEntryReason?: string;
}

export interface CallRecordedView {
  callId: string;
  followUp?: { followUpId: string; status: 'open' | 'closed'; nextDueAt?: string; attempts: number; closedReason?: string };
  /** What the call led to: the next call of a chain (yearly, prospect, escalation, greeting) or a doctor's callback. */
  scheduled?: FollowUpView[];
  /** Seven consecutive refusals: persuasion stopped for this person. */
  persuasionStopped?: boolean;
}

export class RecordCallCommand extends Command<CommandResponse<CallRecordedView>> {
  constructor(
    readonly body: RecordCallDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}

@CommandHandler(RecordCallCommand)
export class RecordCallHandler implements ICommandHandler<RecordCallCommand> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ body, context }: RecordCallCommand): Promise<CommandResponse<CallRecordedView>> {
    const outcome = await this.runner.patient(body.patientId, undefined, { type: 'RecordCall', data: plainData(body) }, context);
    let view: CallRecordedView = { callId: '' };
    for (const event of outcome.events) {
      if (event.type === 'CallAttempted') view = { callId: (event.data as CallAttempted['data']).callId };
      if (event.type === 'FollowUpRescheduled') {
        const d = event.data as FollowUpRescheduled['data'];
        view.followUp = { followUpId: d.followUpId, status: 'open', nextDueAt: d.dueAt, attempts: d.attempts };
      }
      if (event.type === 'FollowUpClosed' && (event.data as FollowUpClosed['data']).followUpId === body.followUpId) {
        const d = event.data as FollowUpClosed['data'];
        view.followUp = { followUpId: d.followUpId, status: 'closed', attempts: d.attempts, closedReason: d.reason };
      }
    }
    const scheduled = scheduledFollowUps(outcome.events);
    if (scheduled.length > 0) view.scheduled = scheduled;
    if (outcome.events.some((e) => e.type === 'ProspectPersuasionStopped')) view.persuasionStopped = true;
    return { body: view, position: outcome.position, replayed: outcome.replayed };
  }
}
