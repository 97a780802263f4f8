import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { ConfigureClinic } from '@rapport/domain';
import { configureClinic, ClinicView } from '../application/clinics';
import type { CommandContext, CommandResult } from '../application/command-context';
import { COMMAND_PORTS, CommandPorts } from '../application/command-ports';
import { plainData } from '../http/plain-data';
import type { ConfigureClinicDto } from './configure-clinic.dto';

export class ConfigureClinicCommand extends Command<CommandResult<ClinicView>> {
  constructor(
    readonly clinicId: string,
    readonly body: ConfigureClinicDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(ConfigureClinicCommand)
export class ConfigureClinicHandler implements ICommandHandler<ConfigureClinicCommand> {
  constructor(@Inject(COMMAND_PORTS) private readonly ports: CommandPorts) {}

  execute({ clinicId, body, context }: ConfigureClinicCommand): Promise<CommandResult<ClinicView>> {
    return configureClinic(this.ports, { ...(plainData(body) as unknown as ConfigureClinic['data']), clinicId }, context);
  }
}
