import { Inject } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { COMMAND_PORTS, CommandPorts } from '../application/command-ports';
import type { CommandContext, CommandResult } from '../application/command-context';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { HasText } from '../http/validation';
import { plainData } from '../http/plain-data';
import { changeContactPreferences, PreferencesSetView, setContactPreferences } from '../application/recording';
import type { ChangeContactPreferences } from '@rapport/domain';

export class SpecialDateDto {
  @ApiProperty({ example: 'birthday', description: 'birthday, wedding_anniversary, or another day worth a greeting' })
  @IsString()
  @HasText()
  @MaxLength(50)
  kind!: string;

  @ApiProperty({ example: '03-15', description: '"MM-DD", or "YYYY-MM-DD" (the year it began; greeted every year)' })
  @Matches(/^(\d{4}-)?\d{2}-\d{2}$/, { message: '$property must be "MM-DD" or "YYYY-MM-DD"' })
  date!: string;
}

/** PUT /v1/patients/:patientId/preferences: how and when the patient wants to be contacted, replaced as a whole (an empty body is a 400). */
export class SetContactPreferencesDto {
  @ApiPropertyOptional({ example: ['12:00-13:00'], description: 'local "HH:MM-HH:MM" ranges the patient prefers' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(12)
  @Matches(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, { each: true, message: 'each of $property must be a local range "HH:MM-HH:MM"' })
  preferredTimes?: string[];

  @ApiPropertyOptional({ description: 'not Monday–Friday 09:00–18:00 local' }) @IsOptional() @IsBoolean() avoidWorkHours?: boolean;
  @ApiPropertyOptional({ description: 'no calls at all' }) @IsOptional() @IsBoolean() doNotCall?: boolean;

  @ApiPropertyOptional({ type: [SpecialDateDto], description: 'each gets a greeting call on the day, every year' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => SpecialDateDto)
  specialDates?: SpecialDateDto[];

  @ApiPropertyOptional({ description: 'a high-value patient (大患者): their calls come first' }) @IsOptional() @IsBoolean() vip?: boolean;
}

/** PATCH /v1/patients/:patientId/preferences: only the fields sent change; `null` clears one. */
export class ChangeContactPreferencesDto extends SetContactPreferencesDto {
  // The same fields; a null among them (read from the body as sent, the pipe drops nulls) clears one.
}

/** The fields a preference change may name (a null among them clears it). */
export const PREFERENCE_FIELDS = ['preferredTimes', 'avoidWorkHours', 'doNotCall', 'specialDates', 'vip'] as const;

export class ChangeContactPreferencesCommand extends Command<CommandResult<PreferencesSetView>> {
  constructor(
    readonly patientId: string,
    readonly changes: ChangeContactPreferences['data']['changes'],
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(ChangeContactPreferencesCommand)
export class ChangeContactPreferencesHandler implements ICommandHandler<ChangeContactPreferencesCommand> {
  constructor(@Inject(COMMAND_PORTS) private readonly ports: CommandPorts) {}

  execute({ patientId, changes, context }: ChangeContactPreferencesCommand): Promise<CommandResult<PreferencesSetView>> {
    return changeContactPreferences(this.ports, { patientId, changes }, context);
  }
}

export class SetContactPreferencesCommand extends Command<CommandResult<PreferencesSetView>> {
  constructor(
    readonly patientId: string,
    readonly body: SetContactPreferencesDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(SetContactPreferencesCommand)
export class SetContactPreferencesHandler implements ICommandHandler<SetContactPreferencesCommand> {
  constructor(@Inject(COMMAND_PORTS) private readonly ports: CommandPorts) {}

  execute({ patientId, body, context }: SetContactPreferencesCommand): Promise<CommandResult<PreferencesSetView>> {
    return setContactPreferences(this.ports, { patientId, ...plainData(body) }, context);
  }
}
