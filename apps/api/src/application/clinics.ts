import type { ClinicState, ConfigureClinic, Protocol } from '@rapport/domain';
import type { CommandContext, CommandResult } from './command-context';
import type { CommandPorts } from './command-ports';
import { result } from './recording';

export interface ClinicView {
  clinicId: string;
  name?: string;
  timeZone: string;
  callWindows: string[];
  maxAttempts: number;
  prospectMaxAttempts: number;
  seniorDoctorIds: string[];
  workHours: ClinicState['workHours'];
  inquiryFirstCallMinutes: ClinicState['inquiryFirstCallMinutes'];
  windowsByWeekday: Record<string, string[]>;
  closedWeekdays: number[];
  closedDates: string[];
  protocolVersion: number;
}

export function configureClinic(ports: CommandPorts, input: ConfigureClinic['data'], context: CommandContext): Promise<CommandResult<ClinicView>> {
  return ports.requests.run(context, async () => {
    const outcome = await ports.runner.clinic(input.clinicId, { type: 'ConfigureClinic', data: input }, context);
    return result(outcome, clinicView(input.clinicId, outcome.state));
  });
}

/**
 * The clinic as configured, protocol included, and its stream's revision (its ETag): read from the
 * clinic's own stream (a handful of events), which is the authority a command decides with, so
 * what GET shows is what decides.
 */
export async function clinicConfiguration(ports: Pick<CommandPorts, 'runner'>, clinicId: string): Promise<{ clinic: ClinicView & { protocol: Protocol }; revision: number } | undefined> {
  const { state, revision } = await ports.runner.loadClinic(clinicId);
  return state.configured ? { clinic: { ...clinicView(clinicId, state), protocol: state.protocol }, revision } : undefined;
}

function clinicView(clinicId: string, state: ClinicState): ClinicView {
  return {
    clinicId,
    ...(state.name !== undefined ? { name: state.name } : {}),
    timeZone: state.timeZone,
    callWindows: state.callWindows,
    maxAttempts: state.maxAttempts,
    prospectMaxAttempts: state.prospectMaxAttempts,
    seniorDoctorIds: state.seniorDoctorIds,
    workHours: state.workHours,
    inquiryFirstCallMinutes: state.inquiryFirstCallMinutes,
    windowsByWeekday: state.windowsByWeekday ?? {},
    closedWeekdays: state.closedWeekdays ?? [],
    closedDates: state.closedDates ?? [],
    protocolVersion: state.protocol.version,
  };
}
