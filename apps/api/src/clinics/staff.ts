import { Inject } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { STAFF_ROLES, type StaffRole } from '@rapport/domain';
import type { CommandContext, CommandResult } from '../application/command-context';
import { COMMAND_PORTS, CommandPorts } from '../application/command-ports';
import { result } from '../application/recording';
import { HasText } from '../http/validation';

/** PUT /v1/clinics/:clinicId/staff/:staffId: who an id is (the id a token carries as its user). */
export class StaffMemberDto {
  @ApiProperty({ example: '张护士' }) @IsString() @HasText() @MaxLength(100) name!: string;
  @ApiProperty({ enum: STAFF_ROLES }) @IsIn(STAFF_ROLES) role!: StaffRole;
  @ApiPropertyOptional({ description: 'still works here (default: as before, or true)' }) @IsOptional() @IsBoolean() active?: boolean;
}

export interface StaffMemberView {
  clinicId: string;
  staffId: string;
  name: string;
  role: StaffRole;
  active: boolean;
}

export class RegisterStaffMemberCommand extends Command<CommandResult<StaffMemberView>> {
  constructor(
    readonly clinicId: string,
    readonly staffId: string,
    readonly body: StaffMemberDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RegisterStaffMemberCommand)
export class RegisterStaffMemberHandler implements ICommandHandler<RegisterStaffMemberCommand> {
  constructor(@Inject(COMMAND_PORTS) private readonly ports: CommandPorts) {}

  execute({ clinicId, staffId, body, context }: RegisterStaffMemberCommand): Promise<CommandResult<StaffMemberView>> {
    return this.ports.requests.run(context, async () => {
      const data = { clinicId, staffId, name: body.name, role: body.role, ...(body.active !== undefined ? { active: body.active } : {}) };
      const outcome = await this.ports.runner.clinic(clinicId, { type: 'RegisterStaffMember', data }, context);
      const member = outcome.state.staff.get(staffId)!;
      return result(outcome, { clinicId, staffId, ...member });
    });
  }
}
