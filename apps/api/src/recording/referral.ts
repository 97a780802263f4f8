import { Inject } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Type } from 'class-transformer';
import { IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { COMMAND_PORTS, CommandPorts } from '../application/command-ports';
import type { CommandContext, CommandResult } from '../application/command-context';
import { CLIENT_ID, CLIENT_ID_MESSAGE } from '../http/validation';
import { ReferredPersonDto } from './personal-details.dto';
import { plainData } from '../http/plain-data';
import { requestReferral } from '../application/recording';

/** POST /v1/referrals: a satisfied patient was asked to refer family or friends. */
export class RequestReferralDto {
  @ApiProperty({ description: 'the referrer' }) @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE }) patientId!: string;
  @ApiProperty() @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE }) callerId!: string;

  @ApiPropertyOptional({ type: ReferredPersonDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ReferredPersonDto)
  referred?: ReferredPersonDto;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class RequestReferralCommand extends Command<CommandResult<{ referralId: string }>> {
  constructor(
    readonly body: RequestReferralDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RequestReferralCommand)
export class RequestReferralHandler implements ICommandHandler<RequestReferralCommand> {
  constructor(@Inject(COMMAND_PORTS) private readonly ports: CommandPorts) {}

  execute({ body, context }: RequestReferralCommand): Promise<CommandResult<{ referralId: string }>> {
    return requestReferral(this.ports, plainData(body), context);
  }
}
