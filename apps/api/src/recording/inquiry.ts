import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { InquiryReceived, Temporal } from '@rapport/domain';
import { CommandRunner } from '../commands/command-runner';
import type { CommandResponse } from '../http/command-response';
import { plainData } from '../http/plain-data';
import type { RequestContext } from '../http/request-context';
import { CLIENT_ID, CLIENT_ID_MESSAGE, IsInstant } from '../http/validation';
import { FollowUpView, scheduledFollowUps } from './follow-up-view';
import { PersonalDetailsDto } from './personal-details.dto';

const CHANNELS = ['phone', 'web', 'wechat'] as const;

/** POST /v1/inquiries: someone asked about treatment and has not come (seed 002); the prospect calls start. */
export class ReceiveInquiryDto {
  @ApiProperty() @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE }) patientId!: string;
  @ApiProperty() @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE }) clinicId!: string;
  @ApiProperty({ example: '2026-11-23T06:00:00Z' }) @IsInstant() receivedAt!: string;
  @ApiPropertyOptional({ enum: CHANNELS }) @IsOptional() @IsIn(CHANNELS) channel?: (typeof CHANNELS)[number];
  @ApiPropertyOptional({ example: 'missing molar, asking about implants' }) @IsOptional() @IsString() @MaxLength(2000) concern?: string;

  @ApiPropertyOptional({ type: PersonalDetailsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PersonalDetailsDto)
  patient?: PersonalDetailsDto;
}

export interface InquiryReceivedView {
  patientId: string;
  inquiryId: string;
  /** The first prospect call; empty when no sequence starts (already treated, visit booked, do-not-call, one running). */
  followUps: FollowUpView[];
}

export class ReceiveInquiryCommand extends Command<CommandResponse<InquiryReceivedView>> {
  constructor(
    readonly body: ReceiveInquiryDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}

@CommandHandler(ReceiveInquiryCommand)
export class ReceiveInquiryHandler implements ICommandHandler<ReceiveInquiryCommand> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ body, context }: ReceiveInquiryCommand): Promise<CommandResponse<InquiryReceivedView>> {
    const outcome = await this.runner.patient(body.patientId, body.clinicId, { type: 'ReceiveInquiry', data: plainData(body) }, context);
    const recorded = outcome.events.find((e) => e.type === 'InquiryReceived');
    // The same inquiry again records nothing: answer with the one recorded the first time.
    const receivedAt = Temporal.Instant.from(body.receivedAt).toString();
    const inquiryId = recorded
      ? (recorded.data as InquiryReceived['data']).inquiryId
      : ([...outcome.state.inquiries.values()].find((i) => i.receivedAt === receivedAt)?.inquiryId ?? '');
    return { body: { patientId: body.patientId, inquiryId, followUps: scheduledFollowUps(outcome.events) }, position: outcome.position, replayed: outcome.replayed };
  }
}
