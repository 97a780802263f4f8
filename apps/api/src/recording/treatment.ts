import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Type } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, Matches, ValidateNested } from 'class-validator';
import type { FollowUpScheduled } from '@rapport/domain';
import { EVENT_STORE, EventStore, RecordedEvent } from '@rapport/event-store';
import { Inject } from '@nestjs/common';
import { CommandRunner } from '../commands/command-runner';
import { patientStream } from '@rapport/domain';
import type { CommandResponse } from '../http/command-response';
import type { RequestContext } from '../http/request-context';
import { CLIENT_ID, CLIENT_ID_MESSAGE, IsInstant } from '../http/validation';
import { plainData } from '../http/plain-data';
import { PersonalDetailsDto } from './personal-details.dto';

/** POST /v1/treatments: a treatment was completed; the protocol schedules its follow-ups. */
export class RecordTreatmentDto {
  @ApiProperty() @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE }) treatmentId!: string;
  @ApiProperty() @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE }) patientId!: string;
  @ApiProperty() @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE }) clinicId!: string;
  @ApiProperty() @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE }) doctorId!: string;

  @ApiProperty({ example: 'implant_surgery', description: "a protocol procedure code, or a clinic's own" })
  @IsString()
  @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE })
  procedure!: string;

  @ApiProperty({ example: '2026-11-23T06:00:00Z' }) @IsInstant() completedAt!: string;

  @ApiPropertyOptional({ type: PersonalDetailsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PersonalDetailsDto)
  patient?: PersonalDetailsDto;

  @ApiPropertyOptional({ description: 'root-canal treatment: already restored' }) @IsOptional() @IsBoolean() restored?: boolean;
  @ApiPropertyOptional({ description: 'extraction: a prosthesis will be needed' }) @IsOptional() @IsBoolean() needsProsthesis?: boolean;
}

export interface ScheduledFollowUpView {
  followUpId: string;
  dueAt: string;
  purpose: string;
  urgent: boolean;
  rule: { ruleId: string; stepId: string; protocolVersion: number };
}

export interface TreatmentRecordedView {
  patientId: string;
  treatmentId: string;
  followUps: ScheduledFollowUpView[];
}

export class RecordTreatmentCommand extends Command<CommandResponse<TreatmentRecordedView>> {
  constructor(
    readonly body: RecordTreatmentDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}

@CommandHandler(RecordTreatmentCommand)
export class RecordTreatmentHandler implements ICommandHandler<RecordTreatmentCommand> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ body, context }: RecordTreatmentCommand): Promise<CommandResponse<TreatmentRecordedView>> {
    const outcome = await this.runner.patient(body.patientId, body.clinicId, { type: 'CompleteTreatment', data: plainData(body) }, context);
    // The same treatment again appends nothing; answer with the follow-ups it scheduled the first time.
    const events = outcome.events.length > 0 ? outcome.events : await this.store.readStream(patientStream(body.patientId));
    return { body: treatmentView(body.patientId, body.treatmentId, events), position: outcome.position, replayed: outcome.replayed };
  }
}

function treatmentView(patientId: string, treatmentId: string, events: RecordedEvent[]): TreatmentRecordedView {
  const followUps = events
    // Only the protocol's own follow-ups: a complaint's callback also names the treatment it concerns.
    .filter((e) => e.type === 'FollowUpScheduled' && (e.data as FollowUpScheduled['data']).treatmentId === treatmentId && ((e.data as FollowUpScheduled['data']).kind ?? 'treatment') === 'treatment')
    .map((e) => {
      const d = e.data as FollowUpScheduled['data'];
      return { followUpId: d.followUpId, dueAt: d.dueAt, purpose: d.purpose, urgent: d.urgent, rule: d.origin };
    });
  return { patientId, treatmentId, followUps };
}
