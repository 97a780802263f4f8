import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ClinicState, ConfigureClinic } from '@rapport/domain';
import { plainData } from '../http/plain-data';
import { CommandRunner } from '../commands/command-runner';
import type { CommandResponse } from '../http/command-response';
import type { RequestContext } from '../http/request-context';
import type { ConfigureClinicDto } from './configure-clinic.dto';

export interface ClinicView {
  clinicId: string;
  name?: string;
  timeZone: string;
  callWindows: string[];
  maxAttempts: number;
  protocolVersion: number;
}

export class ConfigureClinicCommand extends Command<CommandResponse<ClinicView>> {
  constructor(
    readonly clinicId: string,
    readonly body: ConfigureClinicDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}

@CommandHandler(ConfigureClinicCommand)
export class ConfigureClinicHandler implements ICommandHandler<ConfigureClinicCommand> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ clinicId, body, context }: ConfigureClinicCommand): Promise<CommandResponse<ClinicView>> {
    const outcome = await this.runner.clinic(clinicId, { type: 'ConfigureClinic', data: { ...(plainData(body) as unknown as ConfigureClinic['data']), clinicId } }, context);
    const state = outcome.replayed ? (await this.runner.loadClinic(clinicId)).state : outcome.state;
    return { body: clinicView(clinicId, state), position: outcome.position, replayed: outcome.replayed };
  }
}

export function clinicView(clinicId: string, state: ClinicState): ClinicView {
  return {
    clinicId,
    ...(state.name !== undefined ? { name: state.name } : {}),
    timeZone: state.timeZone,
    callWindows: state.callWindows,
    maxAttempts: state.maxAttempts,
    protocolVersion: state.protocol.version,
  };
}
