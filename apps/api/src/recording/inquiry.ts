import { Inject } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { COMMAND_PORTS, CommandPorts } from '../application/command-ports';
import type { CommandContext, CommandResult } from '../application/command-context';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { plainData } from '../http/plain-data';
import { CLIENT_ID, CLIENT_ID_MESSAGE, IsInstant } from '../http/validation';
import { InquiryReceivedView, receiveInquiry } from '../application/recording';
import { INQUIRY_CHANNELS } from '@rapport/domain';
import { PersonalDetailsDto } from './personal-details.dto';

const CHANNELS = INQUIRY_CHANNELS;

/** POST /v1/inquiries: someone asked about treatment and has not come (seed 002); the prospect calls start. */
export class ReceiveInquiryDto {
  @ApiProperty() @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE }) patientId!: string;
  @ApiProperty() @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE }) clinicId!: string;
  @ApiProperty({ example: '2026-11-23T06:00:00Z' }) @IsInstant() receivedAt!: string;
  @ApiPropertyOptional({ enum: CHANNELS }) @IsOptional() @IsIn(CHANNELS) channel?: (typeof CHANNELS)[number];
  @ApiPropertyOptional({ example: '2026-11-23T12:00:00Z', description: 'when the person said a call suits them: call 1 is due then (else within the clinic’s minutes for the channel)' })
  @IsOptional()
  @IsInstant()
  convenientAt?: string;
  @ApiPropertyOptional({ example: 'missing molar, asking about implants' }) @IsOptional() @IsString() @MaxLength(2000) concern?: string;

  @ApiPropertyOptional({ type: PersonalDetailsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PersonalDetailsDto)
  patient?: PersonalDetailsDto;
}

export class ReceiveInquiryCommand extends Command<CommandResult<InquiryReceivedView>> {
  constructor(
    readonly body: ReceiveInquiryDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(ReceiveInquiryCommand)
export class ReceiveInquiryHandler implements ICommandHandler<ReceiveInquiryCommand> {
  constructor(@Inject(COMMAND_PORTS) private readonly ports: CommandPorts) {}

  execute({ body, context }: ReceiveInquiryCommand): Promise<CommandResult<InquiryReceivedView>> {
    return receiveInquiry(this.ports, plainData(body), context);
  }
}
