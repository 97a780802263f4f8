import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Type } from 'class-transformer';
import { IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { ReferralRequested } from '@rapport/domain';
import { CommandRunner } from '../commands/command-runner';
import type { CommandResponse } from '../http/command-response';
import type { RequestContext } from '../http/request-context';
import { CLIENT_ID, CLIENT_ID_MESSAGE } from '../http/validation';
import { ReferredPersonDto } from './personal-details.dto';
import { plainData } from '../http/plain-data';

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

export class RequestReferralCommand extends Command<CommandResponse<{ referralId: string }>> {
  constructor(
    readonly body: RequestReferralDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}

@CommandHandler(RequestReferralCommand)
export class RequestReferralHandler implements ICommandHandler<RequestReferralCommand> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ body, context }: RequestReferralCommand): Promise<CommandResponse<{ referralId: string }>> {
    const outcome = await this.runner.patient(body.patientId, undefined, { type: 'RequestReferral', data: plainData(body) }, context);
    const referralId = (outcome.events[0]!.data as ReferralRequested['data']).referralId;
    return { body: { referralId }, position: outcome.position, replayed: outcome.replayed };
  }
}
